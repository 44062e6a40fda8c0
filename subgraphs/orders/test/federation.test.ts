import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import type { Catalog } from '../src/catalog.js';
import { inProcessCheckout, placeOrder, startOrders, token, type Harness } from './harness.js';

const flatCatalog: Catalog = {
  pricesFor: async (ids) => new Map(ids.map((id) => [id, { minor: 250, currency: 'EUR' }])),
};

const ORDER_ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id status user { id } } } }`;

const USER_ORDERS = `query($r: [_Any!]!, $first: Int, $after: String, $status: OrderStatus) {
  _entities(representations: $r) {
    ... on User {
      id
      orders(first: $first, after: $after, status: $status) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id status createdAt user { id } items { quantity product { id } } } }
      }
    }
  }
}`;

interface UserOrders {
  id: string;
  orders: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ cursor: string; node: { id: string; status: string; createdAt: string; user: { id: string }; items: Array<{ quantity: number }> } }>;
  };
}

const users = (ids: string[]) => ids.map((id) => ({ __typename: 'User', id }));

describe('federation entities', () => {
  let orders: Harness;
  const world = inProcessCheckout();
  let admin: string;
  /** Order ids per user, oldest first. */
  const placed = new Map<string, string[]>();
  const userIds = Array.from({ length: 10 }, (_, i) => `user-${i}`);

  beforeAll(async () => {
    orders = await startOrders({ catalog: flatCatalog, storefront: world.storefront, inventory: world.inventory });
    admin = await token('user-admin', 'ADMIN');
    // user-i has i % 4 orders (so some have none), each with i + 1 units of two products.
    for (const [i, userId] of userIds.entries()) {
      const userToken = await token(userId);
      const ids: string[] = [];
      for (let n = 0; n < i % 4; n += 1) {
        ids.push(await placeOrder(orders.url, world, userToken, [{ productId: `p-${n}`, quantity: i + 1 }, { productId: 'p-x', quantity: 1 }]));
      }
      placed.set(userId, ids);
    }
  });

  afterAll(async () => {
    await orders?.stop();
  });

  describe('Order', () => {
    it('resolves an order for its owner and an ADMIN, null for a stranger or anonymous caller', async () => {
      const id = placed.get('user-1')![0]!;
      const r = [{ __typename: 'Order', id }];
      const owner = await graphqlOk(orders.url, ORDER_ENTITIES, { r }, { token: await token('user-1') });
      expect(owner._entities).toEqual([{ id, status: 'PENDING_PAYMENT', user: { id: 'user-1' } }]);
      const byAdmin = await graphqlOk(orders.url, ORDER_ENTITIES, { r }, { token: admin });
      expect(byAdmin._entities).toEqual(owner._entities);
      const stranger = await graphql(orders.url, ORDER_ENTITIES, { r }, { token: await token('user-2') });
      expect(stranger.errors).toBeUndefined();
      expect(stranger.data?._entities).toEqual([null]);
      const anonymous = await graphql(orders.url, ORDER_ENTITIES, { r });
      expect(anonymous.data?._entities).toEqual([null]);
    });

    it('resolves many orders in one SQL statement, in representation order, null for unknown or malformed ids', async () => {
      const ids = [...placed.get('user-3')!, ...placed.get('user-2')!];
      const r = [
        ...ids.map((id) => ({ __typename: 'Order', id })),
        { __typename: 'Order', id: '00000000-0000-4000-8000-000000000000' },
        { __typename: 'Order', id: 'malformed' },
      ];
      orders.subgraph.sqlStats.reset();
      const { _entities } = await graphqlOk(orders.url, ORDER_ENTITIES, { r }, { token: admin });
      expect(orders.subgraph.sqlStats.queries).toBe(1);
      expect(_entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual([...ids, null, null]);
    });
  });

  describe('User.orders', () => {
    it("reads 10 users' orders with all their items in one SQL statement", async () => {
      orders.subgraph.sqlStats.reset();
      const { _entities } = await graphqlOk<{ _entities: UserOrders[] }>(orders.url, USER_ORDERS, { r: users(userIds), first: 2 }, { token: admin });
      expect(orders.subgraph.sqlStats.queries).toBe(1);

      expect(_entities.map((u) => u.id)).toEqual(userIds);
      for (const [i, user] of _entities.entries()) {
        const own = placed.get(user.id)!;
        expect(user.orders.totalCount).toBe(own.length);
        // Newest first, at most `first`, each order the user's own with its items.
        expect(user.orders.edges.map((e) => e.node.id)).toEqual([...own].reverse().slice(0, 2));
        expect(user.orders.pageInfo.hasNextPage).toBe(own.length > 2);
        for (const { node } of user.orders.edges) {
          expect(node.user.id).toBe(user.id);
          expect(node.items.map((item) => item.quantity)).toEqual([i + 1, 1]);
        }
      }
    });

    it('reads the items with the page also when a fragment asks for them, the same items as the loader gives', async () => {
      const throughFragment = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { orders(first: 2) { edges { node { ...Lines } } } } } }
        fragment Lines on Order { id lines: items { quantity product { id } } }`;
      orders.subgraph.sqlStats.reset();
      const { _entities } = await graphqlOk<{ _entities: Array<{ orders: { edges: Array<{ node: { id: string; lines: unknown[] } }> } }> }>(
        orders.url,
        throughFragment,
        { r: users(userIds) },
        { token: admin },
      );
      expect(orders.subgraph.sqlStats.queries).toBe(1);
      const ids = _entities.flatMap((user) => user.orders.edges.map((edge) => edge.node.id));
      const { _entities: one } = await graphqlOk<{ _entities: Array<{ items: unknown[] }> }>(
        orders.url,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { items { quantity product { id } } } } }',
        { r: ids.map((id) => ({ __typename: 'Order', id })) },
        { token: admin },
      );
      expect(_entities.flatMap((user) => user.orders.edges.map((edge) => edge.node.lines))).toEqual(one.map((order) => order.items));
    });

    it('pages through a user\'s orders without repeats, also when new orders arrive meanwhile', async () => {
      const userId = 'pager';
      const userToken = await token(userId);
      const ids: string[] = [];
      for (let n = 0; n < 7; n += 1) ids.push(await placeOrder(orders.url, world, userToken, [{ productId: 'p-1', quantity: 1 }]));

      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const { _entities } = await graphqlOk<{ _entities: UserOrders[] }>(orders.url, USER_ORDERS, { r: users([userId]), first: 3, after }, { token: userToken });
        const page: UserOrders['orders'] = _entities[0]!.orders;
        seen.push(...page.edges.map((e) => e.node.id));
        pages += 1;
        if (pages === 1) await placeOrder(orders.url, world, userToken, [{ productId: 'p-2', quantity: 1 }]);
        if (!page.pageInfo.hasNextPage) break;
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
        after = page.pageInfo.endCursor;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
    });

    it('filters by status, counting only matching orders', async () => {
      const userId = 'filterer';
      const userToken = await token(userId);
      const keep = await placeOrder(orders.url, world, userToken, [{ productId: 'p-1', quantity: 1 }]);
      const drop = await placeOrder(orders.url, world, userToken, [{ productId: 'p-1', quantity: 1 }]);
      await graphqlOk(orders.url, 'mutation($id: ID!) { cancelOrder(id: $id) { id } }', { id: drop }, { token: userToken });
      const query = (status: string) => graphqlOk<{ _entities: UserOrders[] }>(orders.url, USER_ORDERS, { r: users([userId]), status }, { token: userToken });
      const pending = (await query('PENDING_PAYMENT'))._entities[0]!.orders;
      expect(pending.edges.map((e) => e.node.id)).toEqual([keep]);
      expect(pending.totalCount).toBe(1);
      const cancelled = (await query('CANCELLED'))._entities[0]!.orders;
      expect(cancelled.edges.map((e) => e.node.id)).toEqual([drop]);
    });

    it('answers an empty connection for a user without orders', async () => {
      const { _entities } = await graphqlOk<{ _entities: UserOrders[] }>(orders.url, USER_ORDERS, { r: users(['user-0']) }, { token: admin });
      expect(_entities[0]!.orders).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
    });

    it("shows a customer their own orders but refuses someone else's (FORBIDDEN)", async () => {
      const result = await graphql<{ _entities: Array<UserOrders | null> }>(orders.url, USER_ORDERS, { r: users(['user-2', 'user-3']) }, { token: await token('user-2') });
      expect(result.data?._entities[0]?.orders.totalCount).toBe(2);
      // User.orders is nullable (an orders outage must not blank the user): only it is withheld.
      expect(result.data?._entities[1]).toEqual({ id: 'user-3', orders: null });
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(result.errors?.[0]?.path).toEqual(['_entities', 1, 'orders']);
      expect(JSON.stringify(result.data)).not.toContain(placed.get('user-3')![0]);
    });

    it('asks anonymous callers to sign in', async () => {
      expect(errorCodes(await graphql(orders.url, USER_ORDERS, { r: users(['user-2']) }))).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses a garbage cursor and an oversized page with BAD_USER_INPUT', async () => {
      const garbage = await graphql(orders.url, USER_ORDERS, { r: users(['user-2']), after: 'garbage' }, { token: admin });
      expect(errorCodes(garbage)).toEqual(['BAD_USER_INPUT']);
      expect(garbage.errors?.[0]?.extensions?.field).toBe('after');
      const huge = await graphql(orders.url, USER_ORDERS, { r: users(['user-2']), first: 500 }, { token: admin });
      expect(errorCodes(huge)).toEqual(['BAD_USER_INPUT']);
    });
  });
});
