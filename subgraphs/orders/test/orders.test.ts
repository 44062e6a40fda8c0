import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import type { Catalog } from '../src/catalog.js';
import { createOrdersRepository, type OrdersRepository } from '../src/repository.js';
import type { OrderStatus } from '../src/statusMachine.js';
import { inProcessCheckout, ORDER_FIELDS, placeOrder, startOrders, token, type Harness } from './harness.js';

// Every product costs 10.00 EUR: these tests are about who sees and changes what, not prices.
const flatCatalog: Catalog = {
  pricesFor: async (ids) => new Map(ids.map((id) => [id, { minor: 1000, currency: 'EUR' }])),
};

const ORDER = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
const CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id) { id status statusHistory { status } } }';

describe('reading and cancelling orders', () => {
  let orders: Harness;
  const world = inProcessCheckout();
  let repository: OrdersRepository;
  let alice: string;
  let bob: string;
  let admin: string;

  /** Moves an order along the way payments and shipping will, through the same repository path. */
  async function advance(orderId: string, path: OrderStatus[]): Promise<void> {
    for (let i = 1; i < path.length; i += 1) {
      expect(await repository.transition(orderId, path[i - 1]!, path[i]!, 'test')).not.toBeNull();
    }
  }

  async function statusOf(orderId: string): Promise<string> {
    const { order } = await graphqlOk(orders.url, 'query($id: ID!) { order(id: $id) { status } }', { id: orderId }, { token: admin });
    return order.status;
  }

  beforeAll(async () => {
    orders = await startOrders({ catalog: flatCatalog, storefront: world.storefront, inventory: world.inventory });
    repository = createOrdersRepository(orders.store.db);
    alice = await token('user-alice');
    bob = await token('user-bob');
    admin = await token('user-admin', 'ADMIN');
  });

  afterAll(async () => {
    await orders?.stop();
  });

  describe('Query.order', () => {
    let aliceOrder: string;
    beforeAll(async () => {
      aliceOrder = await placeOrder(orders.url, world, alice, [{ productId: 'p-1', quantity: 2 }]);
    });

    it('shows the customer their own order', async () => {
      const { order } = await graphqlOk(orders.url, ORDER, { id: aliceOrder }, { token: alice });
      expect(order).toMatchObject({ id: aliceOrder, status: 'PENDING_PAYMENT', user: { id: 'user-alice' }, total: { amount: '20.00' } });
    });

    it('shows any order to an ADMIN', async () => {
      const { order } = await graphqlOk(orders.url, ORDER, { id: aliceOrder }, { token: admin });
      expect(order.id).toBe(aliceOrder);
    });

    it("answers NOT_FOUND, without data, for another customer's order", async () => {
      const result = await graphql(orders.url, ORDER, { id: aliceOrder }, { token: bob });
      expect(errorCodes(result)).toEqual(['NOT_FOUND']);
      expect(result.data?.order).toBeNull();
      expect(JSON.stringify(result)).not.toContain('user-alice');
    });

    it.each([['a malformed id', 'not-an-id'], ['an unknown id', '00000000-0000-4000-8000-000000000000'], ['an empty id', '']])(
      'answers NOT_FOUND for %s',
      async (_name, id) => {
        const result = await graphql(orders.url, ORDER, { id }, { token: admin });
        expect(errorCodes(result)).toEqual(['NOT_FOUND']);
      },
    );

    it('asks anonymous callers to sign in', async () => {
      expect(errorCodes(await graphql(orders.url, ORDER, { id: aliceOrder }))).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses a forged token', async () => {
      const result = await graphql(orders.url, ORDER, { id: aliceOrder }, { token: `${alice}x` });
      expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('Mutation.cancelOrder', () => {
    it('lets the customer cancel a PENDING_PAYMENT order, recording it in the history', async () => {
      const id = await placeOrder(orders.url, world, alice, [{ productId: 'p-1', quantity: 1 }]);
      const { cancelOrder } = await graphqlOk(orders.url, CANCEL, { id }, { token: alice });
      expect(cancelOrder).toEqual({ id, status: 'CANCELLED', statusHistory: [{ status: 'PENDING_PAYMENT' }, { status: 'CANCELLED' }] });
      expect(await statusOf(id)).toBe('CANCELLED');
    });

    it('refuses to cancel twice (CONFLICT) and records nothing more', async () => {
      const id = await placeOrder(orders.url, world, alice, [{ productId: 'p-1', quantity: 1 }]);
      await graphqlOk(orders.url, CANCEL, { id }, { token: alice });
      const again = await graphql(orders.url, CANCEL, { id }, { token: admin });
      expect(errorCodes(again)).toEqual(['CONFLICT']);
      expect(again.errors?.[0]?.message).toMatch(/CANCELLED cannot become CANCELLED/);
      const { order } = await graphqlOk(orders.url, 'query($id: ID!) { order(id: $id) { statusHistory { status } } }', { id }, { token: alice });
      expect(order.statusHistory).toEqual([{ status: 'PENDING_PAYMENT' }, { status: 'CANCELLED' }]);
    });

    it('lets the customer cancel a PAID order', async () => {
      const id = await placeOrder(orders.url, world, alice, [{ productId: 'p-1', quantity: 1 }]);
      await advance(id, ['PENDING_PAYMENT', 'PAID']);
      const { cancelOrder } = await graphqlOk(orders.url, CANCEL, { id }, { token: alice });
      expect(cancelOrder.statusHistory.map((s: { status: string }) => s.status)).toEqual(['PENDING_PAYMENT', 'PAID', 'CANCELLED']);
    });

    it('stops the customer once fulfilment started, but not an ADMIN', async () => {
      const id = await placeOrder(orders.url, world, alice, [{ productId: 'p-1', quantity: 1 }]);
      await advance(id, ['PENDING_PAYMENT', 'PAID', 'FULFILLING']);
      const byCustomer = await graphql(orders.url, CANCEL, { id }, { token: alice });
      expect(errorCodes(byCustomer)).toEqual(['CONFLICT']);
      expect(byCustomer.errors?.[0]?.message).toMatch(/can no longer be cancelled/);
      expect(await statusOf(id)).toBe('FULFILLING');
      const { cancelOrder } = await graphqlOk(orders.url, CANCEL, { id }, { token: admin });
      expect(cancelOrder.status).toBe('CANCELLED');
    });

    it('refuses even an ADMIN once the order has shipped', async () => {
      const id = await placeOrder(orders.url, world, alice, [{ productId: 'p-1', quantity: 1 }]);
      await advance(id, ['PENDING_PAYMENT', 'PAID', 'FULFILLING', 'SHIPPED']);
      const result = await graphql(orders.url, CANCEL, { id }, { token: admin });
      expect(errorCodes(result)).toEqual(['CONFLICT']);
      expect(await statusOf(id)).toBe('SHIPPED');
    });

    it("answers NOT_FOUND for another customer's order and leaves it alone", async () => {
      const id = await placeOrder(orders.url, world, alice, [{ productId: 'p-1', quantity: 1 }]);
      expect(errorCodes(await graphql(orders.url, CANCEL, { id }, { token: bob }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await graphql(orders.url, CANCEL, { id: 'garbage' }, { token: bob }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await graphql(orders.url, CANCEL, { id }))).toEqual(['UNAUTHENTICATED']);
      expect(await statusOf(id)).toBe('PENDING_PAYMENT');
    });

    it('cancels exactly once when cancellations race', async () => {
      const id = await placeOrder(orders.url, world, alice, [{ productId: 'p-1', quantity: 1 }]);
      const results = await Promise.all(Array.from({ length: 6 }, () => graphql(orders.url, CANCEL, { id }, { token: alice })));
      const codes = results.map((r) => errorCodes(r)[0] ?? 'OK').sort();
      expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
      const { order } = await graphqlOk(orders.url, 'query($id: ID!) { order(id: $id) { statusHistory { status } } }', { id }, { token: alice });
      expect(order.statusHistory).toEqual([{ status: 'PENDING_PAYMENT' }, { status: 'CANCELLED' }]);
    });
  });

  describe('Query.orders (ADMIN)', () => {
    const ALL = `query($first: Int, $after: String, $status: OrderStatus) {
      orders(first: $first, after: $after, status: $status) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status createdAt user { id } } }
      }
    }`;

    it('refuses customers (FORBIDDEN) and anonymous callers (UNAUTHENTICATED)', async () => {
      expect(errorCodes(await graphql(orders.url, ALL, {}, { token: alice }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await graphql(orders.url, ALL, {}))).toEqual(['UNAUTHENTICATED']);
    });

    beforeAll(async () => {
      for (let i = 0; i < 55; i += 1) {
        await placeOrder(orders.url, world, i % 2 === 0 ? alice : bob, [{ productId: `p-${i}`, quantity: 1 }]);
      }
    });

    it("lists every customer's orders newest first, 20 by default, with the total count", async () => {
      const { rows } = await orders.store.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
      const total = rows[0]!.n;
      expect(total).toBeGreaterThan(55);
      const { orders: page } = await graphqlOk(orders.url, ALL, {}, { token: admin });
      expect(page.totalCount).toBe(total);
      expect(page.edges).toHaveLength(20);
      expect(page.pageInfo.hasNextPage).toBe(true);
      expect(new Set(page.edges.map((e: { node: { user: { id: string } } }) => e.node.user.id))).toEqual(new Set(['user-alice', 'user-bob']));
      const times = page.edges.map((e: { node: { createdAt: string } }) => Date.parse(e.node.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const { orders: rest } = await graphqlOk(orders.url, ALL, { first: 100, after: page.pageInfo.endCursor }, { token: admin });
      expect(rest.edges).toHaveLength(total - 20);
      expect(rest.pageInfo.hasNextPage).toBe(false);
      const all = [...page.edges, ...rest.edges].map((e: { node: { id: string } }) => e.node.id);
      expect(new Set(all).size).toBe(total);
    });

    it('filters by status', async () => {
      const id = await placeOrder(orders.url, world, bob, [{ productId: 'p-1', quantity: 1 }]);
      await graphqlOk(orders.url, CANCEL, { id }, { token: bob });
      const { orders: cancelled } = await graphqlOk(orders.url, ALL, { status: 'CANCELLED', first: 100 }, { token: admin });
      expect(cancelled.edges[0].node.id).toBe(id);
      expect(cancelled.edges).toHaveLength(cancelled.totalCount);
      expect(cancelled.edges.every((e: { node: { status: string } }) => e.node.status === 'CANCELLED')).toBe(true);
    });

    it('reads 50 orders with their items and users in a constant number of SQL statements', async () => {
      const query = '{ orders(first: 50) { edges { node { id user { id } items { quantity product { id } } statusHistory { status } } } } }';
      orders.subgraph.sqlStats.reset();
      const { orders: page } = await graphqlOk(orders.url, query, {}, { token: admin });
      expect(page.edges).toHaveLength(50);
      expect(page.edges.every((e: { node: { items: unknown[] } }) => e.node.items.length === 1)).toBe(true);
      // One page query, one for all items, one for all histories; no count unless asked.
      expect(orders.subgraph.sqlStats.queries).toBe(3);
    });

    it.each([
      ['first above 100', { first: 101 }, 'first'],
      ['negative first', { first: -1 }, 'first'],
      ['a garbage cursor', { after: 'bm90LWEtY3Vyc29y' }, 'after'],
      ['a non-base64 cursor', { after: '%%%' }, 'after'],
    ])('refuses %s with BAD_USER_INPUT', async (_name, variables, field) => {
      const result = await graphql(orders.url, ALL, variables, { token: admin });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.field).toBe(field);
    });
  });

  it('answers /health once the database is reachable', async () => {
    const response = await fetch(orders.url.replace(/\/graphql$/, '/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', service: 'orders' });
  });
});
