import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { graphql, type GraphQLCallOptions } from '@shop/testing';
import type { Catalog } from '../src/catalog.js';
import { inProcessCheckout, placeOrder, startOrders, token, type Harness } from './harness.js';

// Orders answers queries through graphql-jit (the kit's compiled execution). A second orders
// subgraph on the same database runs everything through graphql-js: every answer here, data,
// errors and HTTP status, must be the same from both, byte for byte once parsed.

const flatCatalog: Catalog = {
  pricesFor: async (ids) => new Map(ids.map((id) => [id, { minor: 250, currency: 'EUR' }])),
};

// What the router asks orders for a page of order history.
const ORDER_HISTORY = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User {
      orders(first: 50) {
        totalCount
        edges { node { orderNumber status createdAt total { amount currencyCode } items { quantity unitPrice { amount } product { __typename id } } } }
      }
    }
  }
}`;

const users = (...ids: string[]) => ids.map((id) => ({ __typename: 'User', id }));

describe('compiled execution (graphql-jit) against graphql-js, on the orders schema', () => {
  const world = inProcessCheckout();
  let compiled: Harness;
  let reference: Harness;
  const placed = new Map<string, string[]>();
  // The router forwards the caller's token with every entity fetch; an ADMIN may read every user's orders.
  let admin: GraphQLCallOptions;

  /** Sends the same request to both subgraphs; their answers must not differ. */
  const both = async (query: string, variables: Record<string, unknown> = {}, options: GraphQLCallOptions = {}) => {
    const [fromJit, fromGraphqlJs] = await Promise.all([graphql(compiled.url, query, variables, options), graphql(reference.url, query, variables, options)]);
    const answer = (result: typeof fromJit) => JSON.stringify({ status: result.status, data: result.data, errors: result.errors });
    expect(answer(fromJit)).toBe(answer(fromGraphqlJs));
    return fromJit;
  };

  beforeAll(async () => {
    const checkout = { catalog: flatCatalog, storefront: world.storefront, inventory: world.inventory };
    admin = { token: await token('history-admin', 'ADMIN') };
    compiled = await startOrders(checkout);
    reference = await startOrders({ ...checkout, databaseUrl: compiled.databaseUrl, execution: 'graphql-js' });
    for (const [userId, count] of [['history-a', 4], ['history-b', 3], ['history-c', 0]] as const) {
      const userToken = await token(userId);
      const ids: string[] = [];
      for (let n = 0; n < count; n += 1) {
        const items = [0, 1, 2].map((k) => ({ productId: `p-${n}-${k}`, quantity: 1 + k }));
        ids.push(await placeOrder(compiled.url, world, userToken, items));
      }
      placed.set(userId, ids);
    }
  });

  afterAll(async () => {
    await reference?.stop();
    await compiled?.stop();
  });

  it('answers a page of order history as graphql-js does', async () => {
    const result = await both(ORDER_HISTORY, { representations: users('history-a', 'history-c', 'history-b') }, admin);
    expect(result.errors).toBeUndefined();
    const pages = result.data._entities.map((entity: { orders: { totalCount: number } }) => entity.orders.totalCount);
    expect(pages).toEqual([4, 0, 3]);
    expect(result.data._entities[0].orders.edges[0].node.items).toHaveLength(3);
  });

  it('answers variables, aliases, fragments, __typename and @skip/@include as graphql-js does', async () => {
    const query = `query($r: [_Any!]!, $first: Int, $withItems: Boolean!, $noTotal: Boolean!) {
      _entities(representations: $r) {
        __typename
        ... on User { id page: orders(first: $first) { ...Page } again: orders(first: 1) { totalCount pageInfo { hasNextPage endCursor } } }
      }
    }
    fragment Page on OrderConnection {
      totalCount @skip(if: $noTotal)
      edges { cursor node { __typename id status user { id } items @include(if: $withItems) { lineTotal { amount currencyCode } quantity } } }
    }`;
    for (const flags of [{ withItems: true, noTotal: false }, { withItems: false, noTotal: true }]) {
      const result = await both(query, { r: users('history-b', 'history-a'), first: 2, ...flags }, admin);
      expect(result.data._entities[0].page.edges).toHaveLength(2);
    }
  });

  it('answers a failing resolver in the middle of a list with the same null and error path', async () => {
    const orderId = placed.get('history-a')![1]!;
    // A line whose price the domain refuses (not a safe integer of minor units): its unitPrice
    // resolver throws, and the null climbs the non-null fields up to the user's orders.
    await sql`UPDATE order_items SET unit_price_minor = 9007199254740993 WHERE order_id = ${orderId} AND position = 1`.execute(compiled.store.db);
    try {
      const result = await both(ORDER_HISTORY, { representations: users('history-b', 'history-a', 'history-c') }, admin);
      expect(result.status).toBe(200);
      expect(result.data._entities[0].orders.totalCount).toBe(3);
      expect(result.data._entities[1]).toEqual({ orders: null });
      expect(result.data._entities[2].orders.totalCount).toBe(0);
      expect(result.errors!.map((error) => [error.path, error.extensions?.code])).toEqual([
        [['_entities', 1, 'orders', 'edges', 2, 'node', 'items', 1, 'unitPrice'], 'INTERNAL_SERVER_ERROR'],
      ]);
      // By id the null climbs to the order itself.
      const byId = `query($id: ID!) { order(id: $id) { id total { amount } items { quantity lineTotal { amount } } } }`;
      const order = await both(byId, { id: orderId }, { token: await token('history-a') });
      expect(order.data).toEqual({ order: null });
      expect(order.errors!.map((error) => error.path)).toEqual([['order', 'items', 1, 'lineTotal']]);
    } finally {
      await sql`UPDATE order_items SET unit_price_minor = 250 WHERE order_id = ${orderId} AND position = 1`.execute(compiled.store.db);
    }
  });

  it('reports every failing field of an object where graphql-js stops at the first one that fails synchronously', async () => {
    // The one known difference: graphql-js runs an object's fields in turn and, once a
    // synchronous failure has nulled the object, skips the rest; graphql-jit runs them all and
    // reports each error. The data are the same (asynchronous failures graphql-js reports all too).
    const orderId = placed.get('history-b')![0]!;
    await sql`UPDATE order_items SET unit_price_minor = 9007199254740993 WHERE order_id = ${orderId} AND position = 2`.execute(compiled.store.db);
    try {
      const query = `query($id: ID!) { order(id: $id) { id items { lineTotal { amount } unitPrice { amount } } } }`;
      const options = { token: await token('history-b') };
      const [fromJit, fromGraphqlJs] = await Promise.all([graphql(compiled.url, query, { id: orderId }, options), graphql(reference.url, query, { id: orderId }, options)]);
      expect(fromJit.status).toBe(fromGraphqlJs.status);
      expect(fromJit.data).toEqual({ order: null });
      expect(fromGraphqlJs.data).toEqual({ order: null });
      expect(fromGraphqlJs.errors!.map((error) => error.path)).toEqual([['order', 'items', 2, 'lineTotal']]);
      expect(fromJit.errors!.map((error) => error.path)).toEqual([
        ['order', 'items', 2, 'lineTotal'],
        ['order', 'items', 2, 'unitPrice'],
      ]);
      expect(fromJit.errors![0]).toEqual(fromGraphqlJs.errors![0]);
    } finally {
      await sql`UPDATE order_items SET unit_price_minor = 250 WHERE order_id = ${orderId} AND position = 1`.execute(compiled.store.db);
    }
  });

  it('refuses variables graphql-js refuses, with the same BAD_USER_INPUT and status', async () => {
    const query = `query($r: [_Any!]!, $first: Int, $status: OrderStatus) { _entities(representations: $r) { ... on User { orders(first: $first, status: $status) { totalCount } } } }`;
    const wrongType = await both(query, { r: users('history-a'), first: 'fifty' }, admin);
    expect(wrongType.status).toBe(400);
    expect(wrongType.errors!.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([['BAD_USER_INPUT', 'first']]);
    const notAStatus = await both(query, { r: users('history-a'), status: 'LOST' }, admin);
    expect(notAStatus.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await both(query, { first: 2 }, admin);
    expect(missing.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers argument and domain errors, unknown entities and missing callers as graphql-js does', async () => {
    const customer = await token('history-a');
    const stranger = await token('someone-else');
    const orderId = placed.get('history-a')![0]!;
    await both(`{ orders(first: 1000) { totalCount } }`, {}, { token: customer });
    // An ADMIN's list counts only when asked: its totalCount is a function graphql-js calls.
    const all = await both(`{ orders(first: 2) { totalCount edges { node { orderNumber } } } }`, {}, admin);
    expect(all.data.orders.totalCount).toBe(7);
    await both(`{ orders(first: 2) { totalCount edges { node { id } } } }`, {}, { token: customer });
    await both(`{ orders(first: 2) { totalCount } }`);
    // Without a caller the user's orders are refused, each with its path.
    await both(ORDER_HISTORY, { representations: users('history-a', 'history-b') });
    await both(`query($id: ID!) { order(id: $id) { id status } }`, { id: orderId }, { token: stranger });
    await both(`query($id: ID!) { order(id: $id) { id status } }`, { id: 'not-a-uuid' }, { token: customer });
    await both(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id status } } }`, {
      r: [{ __typename: 'Order', id: orderId }, { __typename: 'Order', id: '00000000-0000-0000-0000-000000000000' }, { __typename: 'Nope', id: 'x' }],
    });
    await both(`query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }`, { r: [{ id: 'no-typename' }] });
  });

  it('answers introspection and the service SDL as graphql-js does (graphql-js runs them)', async () => {
    await both(`{ __schema { queryType { name } types { name } } __typename }`);
    await both(`{ _service { sdl } }`);
  });
});
