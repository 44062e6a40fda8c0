import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createPostgres, type Postgres } from '@shop/postgres';
import { errorCodes, graphql, graphqlOk, type GraphQLResponse } from '@shop/testing';
import type { ShippingDatabase } from '../src/db/schema.js';
import type { ShippingSubgraph } from '../src/server.js';
import { answerFromFixtures, startRouterStandIn, startShipping, token, type CartFixture, type RouterStandIn } from './harness.js';

const RATES = /* GraphQL */ `
  query Rates($addressId: ID!, $cartId: ID!) {
    shippingRates(addressId: $addressId, cartId: $cartId) { id name carrier price { amount currencyCode } estimatedDays }
  }
`;

const RATE = /* GraphQL */ `
  query Rate($methodId: ID!, $addressId: ID!, $cartId: ID!) {
    shippingRate(methodId: $methodId, addressId: $addressId, cartId: $cartId) { id price { amount currencyCode } estimatedDays }
  }
`;

const METHODS = /* GraphQL */ `{ shippingMethods { id name carrier estimatedDaysMin estimatedDaysMax } }`;

const line = (productId: string, quantity: number, weightGrams: number | null) => ({ productId, quantity, weightGrams });
const aliceCart = (subtotal: string, items: CartFixture['items']): CartFixture => ({ ownerId: 'alice', subtotal, items });

const FIXTURES = {
  addresses: {
    alice: [
      { id: 'alice-berlin', country: 'DE', postalCode: '10115' },
      { id: 'alice-paris', country: 'FR', postalCode: '75001' },
      { id: 'alice-nyc', country: 'US', postalCode: '10001' },
    ],
    bob: [{ id: 'bob-munich', country: 'DE', postalCode: '80331' }],
  },
  carts: {
    'cart-light': aliceCart('39.98', [line('p-shirt', 2, 400)]),
    'cart-heavy': aliceCart('45.00', [line('p-dumbbell', 2, 6_000)]),
    'cart-30kg': aliceCart('45.00', [line('p-anvil', 1, 30_000)]),
    'cart-31kg': aliceCart('45.00', [line('p-anvil', 1, 30_000), line('p-horseshoe', 1, 1_000)]),
    'cart-50': aliceCart('50.00', [line('p-jacket', 1, 900)]),
    'cart-49.99': aliceCart('49.99', [line('p-jacket', 1, 900)]),
    'cart-weightless': aliceCart('10.00', [line('p-poster', 5, null)]),
    'cart-empty': aliceCart('0.00', []),
    'cart-bob': { ownerId: 'bob', subtotal: '10.00', items: [line('p-shirt', 1, 400)] },
  } satisfies Record<string, CartFixture>,
};

const rate = (id: string, amount: string, estimatedDays: number) => ({ id, amount, estimatedDays });

describe('shipping rates over HTTP (real PostgreSQL, stand-in router)', () => {
  let router: RouterStandIn;
  let shipping: { url: string; databaseUrl: string; subgraph: ShippingSubgraph };
  let store: Postgres<ShippingDatabase>;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    router = await startRouterStandIn(answerFromFixtures(FIXTURES));
    shipping = await startShipping({
      env: { ROUTER_URL: router.url, DEFAULT_WEIGHT_GRAMS: '500', FREE_SHIPPING_THRESHOLD: '50.00' },
    });
    store = createPostgres<ShippingDatabase>({ url: shipping.databaseUrl, maxConnections: 1 });
    [alice, bob] = await Promise.all([token('alice'), token('bob')]);
  });

  afterAll(async () => {
    await shipping?.subgraph.stop();
    await store?.destroy();
    await router?.stop();
  });

  async function ratesFor(addressId: string, cartId: string, who = alice) {
    const data = await graphqlOk(shipping.url, RATES, { addressId, cartId }, { token: who });
    return (data.shippingRates as Array<{ id: string; price: { amount: string; currencyCode: string }; estimatedDays: number }>).map(
      (r) => {
        expect(r.price.currencyCode).toBe('EUR');
        return rate(r.id, r.price.amount, r.estimatedDays);
      },
    );
  }

  function expectError(result: GraphQLResponse, code: string, field?: string) {
    expect(result.data?.shippingRates ?? result.data?.shippingRate ?? null).toBeNull();
    expect(errorCodes(result)).toEqual([code]);
    if (field) expect(result.errors?.[0]?.extensions?.field).toBe(field);
  }

  it('offers pickup, standard and express for a light domestic cart, cheapest first', async () => {
    const { shippingRates } = await graphqlOk(shipping.url, RATES, { addressId: 'alice-berlin', cartId: 'cart-light' }, { token: alice });
    expect(shippingRates).toEqual([
      { id: 'pickup', name: 'Pickup in store', carrier: null, price: { amount: '0.00', currencyCode: 'EUR' }, estimatedDays: 2 },
      { id: 'standard', name: 'Standard delivery', carrier: 'DHL', price: { amount: '4.90', currencyCode: 'EUR' }, estimatedDays: 4 },
      { id: 'express', name: 'Express delivery', carrier: 'UPS', price: { amount: '9.90', currencyCode: 'EUR' }, estimatedDays: 2 },
    ]);
  });

  it('asks the router once per request, as the caller', async () => {
    router.requests.length = 0;
    await graphqlOk(shipping.url, RATES, { addressId: 'alice-berlin', cartId: 'cart-light' }, { token: alice, headers: { 'x-request-id': 'req-rates-1' } });
    expect(router.requests).toHaveLength(1);
    expect(router.requests[0]!.method).toBe('POST');
    expect(router.requests[0]!.headers.authorization).toBe(`Bearer ${alice}`);
    expect(router.requests[0]!.headers['x-request-id']).toBe('req-rates-1');
    expect(router.requests[0]!.body.variables).toEqual({ cartId: 'cart-light' });
  });

  it('keeps concurrent callers apart: each router request carries its own caller\'s token', async () => {
    router.requests.length = 0;
    const asks = Array.from({ length: 12 }, (_, i) =>
      i % 2 === 0 ? ratesFor('alice-berlin', 'cart-light', alice) : ratesFor('bob-munich', 'cart-bob', bob),
    );
    const results = await Promise.all(asks);
    for (const result of results) {
      expect(result).toEqual([rate('pickup', '0.00', 2), rate('standard', '4.90', 4), rate('express', '9.90', 2)]);
    }
    expect(router.requests).toHaveLength(12);
    for (const request of router.requests) {
      const owner = request.body.variables?.cartId === 'cart-bob' ? bob : alice;
      expect(request.headers.authorization).toBe(`Bearer ${owner}`);
    }
  });

  it('prices a heavy cart to another EU country from the heavier bracket, without pickup', async () => {
    expect(await ratesFor('alice-paris', 'cart-heavy')).toEqual([rate('standard', '29.90', 4), rate('express', '49.90', 2)]);
  });

  it('prices a country outside the EU with the world tariff', async () => {
    expect(await ratesFor('alice-nyc', 'cart-light')).toEqual([rate('standard', '19.90', 4), rate('express', '39.90', 2)]);
  });

  it('offers express up to 30 kg and refuses it above', async () => {
    expect(await ratesFor('alice-berlin', 'cart-30kg')).toEqual([
      rate('pickup', '0.00', 2),
      rate('standard', '14.90', 4),
      rate('express', '19.90', 2),
    ]);
    expect(await ratesFor('alice-berlin', 'cart-31kg')).toEqual([rate('pickup', '0.00', 2), rate('standard', '14.90', 4)]);
  });

  it('ships standard for free from the threshold on, and only standard', async () => {
    expect(await ratesFor('alice-berlin', 'cart-50')).toEqual([
      rate('pickup', '0.00', 2),
      rate('standard', '0.00', 4),
      rate('express', '9.90', 2),
    ]);
    expect(await ratesFor('alice-berlin', 'cart-49.99')).toEqual([
      rate('pickup', '0.00', 2),
      rate('standard', '4.90', 4),
      rate('express', '9.90', 2),
    ]);
  });

  it('counts products without a weight at the configured default weight', async () => {
    // 5 x 500 g = 2.5 kg: past the 2 kg bracket.
    expect(await ratesFor('alice-berlin', 'cart-weightless')).toEqual([
      rate('pickup', '0.00', 2),
      rate('standard', '6.90', 4),
      rate('express', '12.90', 2),
    ]);
  });

  it("treats someone else's address like an unknown one: NOT_FOUND", async () => {
    expectError(await graphql(shipping.url, RATES, { addressId: 'bob-munich', cartId: 'cart-light' }, { token: alice }), 'NOT_FOUND');
    expectError(await graphql(shipping.url, RATES, { addressId: 'no-such-address', cartId: 'cart-light' }, { token: alice }), 'NOT_FOUND');
  });

  it('refuses anonymous and badly signed callers without asking the router', async () => {
    router.requests.length = 0;
    expectError(await graphql(shipping.url, RATES, { addressId: 'alice-berlin', cartId: 'cart-light' }), 'UNAUTHENTICATED');
    expectError(
      await graphql(shipping.url, RATES, { addressId: 'alice-berlin', cartId: 'cart-light' }, { token: `${alice}x` }),
      'UNAUTHENTICATED',
    );
    expect(errorCodes(await graphql(shipping.url, METHODS))).toEqual(['UNAUTHENTICATED']);
    expect(router.requests).toHaveLength(0);
  });

  it('refuses an empty, unknown or foreign cart with BAD_USER_INPUT on cartId', async () => {
    for (const cartId of ['cart-empty', 'no-such-cart', 'cart-bob']) {
      expectError(await graphql(shipping.url, RATES, { addressId: 'alice-berlin', cartId }, { token: alice }), 'BAD_USER_INPUT', 'cartId');
    }
  });

  it('refuses ids that cannot be ids with BAD_USER_INPUT naming the argument', async () => {
    expectError(await graphql(shipping.url, RATES, { addressId: '', cartId: 'cart-light' }, { token: alice }), 'BAD_USER_INPUT', 'addressId');
    expectError(await graphql(shipping.url, RATES, { addressId: 'alice-berlin', cartId: 'c'.repeat(201) }, { token: alice }), 'BAD_USER_INPUT', 'cartId');
  });

  it('answers SUBGRAPH_UNAVAILABLE, without details, when the router cannot give the cart', async () => {
    const result = await graphql(shipping.url, RATES, { addressId: 'alice-berlin', cartId: 'cart-broken' }, { token: alice });
    expectError(result, 'SUBGRAPH_UNAVAILABLE');
    expect(result.errors?.[0]?.message).toBe('A service this operation needs gave no usable answer; retry later');
  });

  it('prices one chosen method for checkout, null when it is not offered', async () => {
    const ask = async (methodId: string, addressId: string, cartId: string) =>
      (await graphqlOk(shipping.url, RATE, { methodId, addressId, cartId }, { token: alice })).shippingRate;
    expect(await ask('express', 'alice-berlin', 'cart-light')).toEqual({ id: 'express', price: { amount: '9.90', currencyCode: 'EUR' }, estimatedDays: 2 });
    expect(await ask('standard', 'alice-berlin', 'cart-50')).toEqual({ id: 'standard', price: { amount: '0.00', currencyCode: 'EUR' }, estimatedDays: 4 });
    expect(await ask('pickup', 'alice-paris', 'cart-light')).toBeNull();
    expect(await ask('express', 'alice-berlin', 'cart-31kg')).toBeNull();
    expect(await ask('teleport', 'alice-berlin', 'cart-light')).toBeNull();
    expectError(await graphql(shipping.url, RATE, { methodId: 'standard', addressId: 'bob-munich', cartId: 'cart-light' }, { token: alice }), 'NOT_FOUND');
    expectError(await graphql(shipping.url, RATE, { methodId: 'standard', addressId: 'alice-berlin', cartId: 'cart-empty' }, { token: alice }), 'BAD_USER_INPUT', 'cartId');
  });

  it('lists the methods in use', async () => {
    const { shippingMethods } = await graphqlOk(shipping.url, METHODS, {}, { token: bob });
    expect(shippingMethods).toEqual([
      { id: 'express', name: 'Express delivery', carrier: 'UPS', estimatedDaysMin: 1, estimatedDaysMax: 2 },
      { id: 'pickup', name: 'Pickup in store', carrier: null, estimatedDaysMin: 1, estimatedDaysMax: 2 },
      { id: 'standard', name: 'Standard delivery', carrier: 'DHL', estimatedDaysMin: 2, estimatedDaysMax: 4 },
    ]);
  });

  it('reads the whole tariff in ONE SQL statement and the router once per request, however many fields need them', async () => {
    const query = /* GraphQL */ `
      query All($addressId: ID!, $cartId: ID!) {
        shippingMethods { id }
        rates: shippingRates(addressId: $addressId, cartId: $cartId) { id }
        again: shippingRates(addressId: $addressId, cartId: $cartId) { id }
        express: shippingRate(methodId: "express", addressId: $addressId, cartId: $cartId) { id }
        pickup: shippingRate(methodId: "pickup", addressId: $addressId, cartId: $cartId) { id }
      }
    `;
    router.requests.length = 0;
    shipping.subgraph.sqlStats.reset();
    const data = await graphqlOk(shipping.url, query, { addressId: 'alice-berlin', cartId: 'cart-light' }, { token: alice });
    expect(data.rates.map((r: { id: string }) => r.id)).toEqual(['pickup', 'standard', 'express']);
    expect(data.again).toEqual(data.rates);
    expect(data.express).toEqual({ id: 'express' });
    expect(shipping.subgraph.sqlStats.queries).toBe(1);
    expect(router.requests).toHaveLength(1);
  });

  it('prices with the tariff in the database as of this request: no stale copy', async () => {
    await sql`UPDATE shipping_methods SET active = false WHERE id = 'express'`.execute(store.db);
    await sql`UPDATE shipping_rates SET price_minor = 590 WHERE method_id = 'standard' AND zone_id = 'domestic' AND max_weight_grams = 2000`.execute(store.db);
    try {
      expect(await ratesFor('alice-berlin', 'cart-light')).toEqual([rate('pickup', '0.00', 2), rate('standard', '5.90', 4)]);
      const { shippingMethods } = await graphqlOk(shipping.url, METHODS, {}, { token: alice });
      expect(shippingMethods.map((m: { id: string }) => m.id)).toEqual(['pickup', 'standard']);
    } finally {
      await sql`UPDATE shipping_methods SET active = true WHERE id = 'express'`.execute(store.db);
      await sql`UPDATE shipping_rates SET price_minor = 490 WHERE method_id = 'standard' AND zone_id = 'domestic' AND max_weight_grams = 2000`.execute(store.db);
    }
  });

  it('answers /health while its database does', async () => {
    const response = await fetch(shipping.url.replace('/graphql', '/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', service: 'shipping' });
  });
});
