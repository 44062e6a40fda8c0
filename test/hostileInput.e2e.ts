import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { generateKeyJwk, importKeyRing, signAccessToken, type SigningKey } from '@shop/subgraph-kit';
import { errorCodes, graphql, graphqlOk, type GraphQLResponse } from '@shop/testing';
import { shopper } from './support/shop.js';
import { startSupergraph, type Supergraph } from './support/supergraph.js';

// What an attacker sends the public endpoint, against the real supergraph: every request is
// answered with a coded GraphQL error (never a stack trace, never an uncoded failure), nothing
// is half written, and the router serves normally afterwards. Cases the fixture suites already
// pin (router/test/protection.test.ts: oversized bodies, malformed JSON, batches, deep and
// aliased queries, APQ, WebSocket payloads, introspection off; test/trust.e2e.ts: subgraph
// ports and forged service tokens) are not repeated here.
let sg: Supergraph;
let url: string;
let admin: string;
let productId: string;
let signing: SigningKey;
const shop = () => shopper(url);

const STOCK = 'query($id: ID!) { product(id: $id) { stock { available reserved } } }';
const CHECKOUT = 'mutation($i: CheckoutInput!) { checkout(input: $i) { id } }';
const ORDER_COUNT = '{ me { orders(first: 1) { totalCount } } }';

/** Coded, and nothing a client should never see: no stack, no internal paths, no SQL. */
function expectCodedRefusal(result: GraphQLResponse, code: string): void {
  expect(errorCodes(result)).toEqual([code]);
  expect(JSON.stringify(result.errors)).not.toMatch(/stacktrace|\n\s+at |node_modules|\/src\/|syntax error at or near|invalid byte sequence/i);
}

async function stock(): Promise<unknown> {
  return (await graphqlOk(url, STOCK, { id: productId })).product.stock;
}

/** A customer with a cart of one product and an address: one checkout away from an order. */
async function readyToCheckOut() {
  const { token } = await shop().register(`hostile-${randomUUID()}@e2e.test`, 'Mallory');
  const cartId = (await graphqlOk(url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 2) { id } }', { p: productId }, { token })).addToCart.id as string;
  const addressId = (
    await graphqlOk(url, 'mutation { addAddress(input: { name: "Mallory", line1: "Hauptstr. 1", city: "Berlin", postalCode: "10115", country: "DE" }) { id } }', {}, { token })
  ).addAddress.id as string;
  return { token, input: { cartId, shippingAddressId: addressId, shippingMethodId: 'standard', idempotencyKey: `hostile-${randomUUID()}` } };
}

beforeAll(async () => {
  sg = await startSupergraph();
  url = sg.url;
  admin = await shop().admin();
  productId = (await graphqlOk(url, '{ products(first: 1) { edges { node { id } } } }')).products.edges[0].node.id;
  await shop().setStock(admin, productId, 50);
  signing = (await importKeyRing(sg.keys.jwtPrivateKey)).signing;
}, 180_000);

afterAll(async () => {
  await sg?.stop();
});

describe('hostile input through the router', () => {
  it('refuses control characters in checkout before anything is reserved or ordered: BAD_USER_INPUT', async () => {
    const { token, input } = await readyToCheckOut();
    const before = await stock();
    for (const hostile of [
      { ...input, cartId: `${input.cartId}\u0000` },
      { ...input, idempotencyKey: `key\u0000${randomUUID()}` },
      { ...input, shippingMethodId: 'standard\u001b[2J' },
    ]) {
      expectCodedRefusal(await graphql(url, CHECKOUT, { i: hostile }, { token }), 'BAD_USER_INPUT');
    }
    expect(await stock()).toEqual(before);
    expect((await graphqlOk(url, ORDER_COUNT, {}, { token })).me.orders.totalCount).toBe(0);
    // The same checkout without the hostile bytes goes through: nothing was left half-held.
    expect((await graphqlOk(url, CHECKOUT, { i: input }, { token })).checkout.id).toEqual(expect.any(String));
  });

  it('refuses control characters in any string argument, in every subgraph, and writes nothing', async () => {
    const email = `eve-${randomUUID()}@e2e.test`;
    expectCodedRefusal(await graphql(url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: { email, password: 'a-strong-password-1', name: 'Eve\u0000' } }), 'BAD_USER_INPUT');
    expectCodedRefusal(await graphql(url, 'mutation($e: String!) { login(email: $e, password: "a-strong-password-1") { accessToken } }', { e: email }), 'UNAUTHENTICATED');
    expectCodedRefusal(await graphql(url, '{ users(search: "adm\\u0000in") { totalCount } }', {}, { token: admin }), 'BAD_USER_INPUT');
    expectCodedRefusal(await graphql(url, 'mutation { markDelivered(shipmentId: "s\\u0000") { id } }', {}, { token: admin }), 'BAD_USER_INPUT');
    expectCodedRefusal(await graphql(url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { id } }', { p: `${productId}\u0000` }), 'BAD_USER_INPUT');
    expectCodedRefusal(await graphql(url, '{ searchProducts(query: "lamp\\u0007") { totalCount } }'), 'BAD_USER_INPUT');
  });

  it('answers variables of the wrong type, missing or out of range with BAD_USER_INPUT, and odd request shapes with BAD_REQUEST', async () => {
    const add = 'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { id } }';
    expectCodedRefusal(await graphql(url, add, { p: productId, q: 'lots' }), 'BAD_USER_INPUT');
    expectCodedRefusal(await graphql(url, add, { p: productId }), 'BAD_USER_INPUT');
    expectCodedRefusal(await graphql(url, add, { p: productId, q: 2 ** 40 }), 'BAD_USER_INPUT');
    expectCodedRefusal(await graphql(url, add, { p: productId, q: -5 }), 'BAD_USER_INPUT');
    expectCodedRefusal(await graphql(url, add, { p: { $ne: null }, q: 1 }), 'BAD_USER_INPUT');

    const post = async (body: string) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, 'status' | 'headers'>), headers: response.headers } as GraphQLResponse;
    };
    for (const body of ['{"query": 42}', '{"query": "{ __typename }", "variables": "x"}', '"{ __typename }"', '{"query": "{ __typename }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": 7}}}']) {
      const result = await post(body);
      expect({ body, status: result.status }).toEqual({ body, status: 400 });
      expect(result.errors?.length).toBeGreaterThan(0);
      for (const error of result.errors!) expect(typeof error.extensions?.code).toBe('string');
      expect(JSON.stringify(result.errors)).not.toMatch(/\n\s+at /);
    }
    // In a batch each entry is answered on its own: the bad ones with a code, the good one with data.
    const batch = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1, {"query": "{ __typename }"}, {"query": ["x"]}]' });
    const [one, good, three] = (await batch.json()) as Array<Omit<GraphQLResponse, 'status' | 'headers'>>;
    expect(good).toEqual({ data: { __typename: 'Query' } });
    for (const bad of [one, three]) expect(bad?.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
  });

  it('counts a connection left without `first` at its default page: a nested review bomb is QUERY_TOO_COMPLEX', async () => {
    const bomb = '{ products { edges { node { reviews { edges { node { product { reviews { edges { node { product { name } } } } } } } } } } } }';
    const result = await graphql(url, bomb);
    expectCodedRefusal(result, 'QUERY_TOO_COMPLEX');
    expect(result.errors?.[0]?.extensions).toMatchObject({ limit: 'cost' });
  });

  it('refuses expired, unknown-kid, foreign-key and unsigned ADMIN tokens with 401 UNAUTHENTICATED, and changes nothing', async () => {
    const before = await stock();
    const adminCaller = { userId: 'forged-admin', role: 'ADMIN' as const };
    const foreign = (await importKeyRing(JSON.stringify(await generateKeyJwk()))).signing;
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const tokens = {
      expired: await signAccessToken(adminCaller, { key: signing, ttlSeconds: 60, now: () => Date.now() - 3_600_000 }),
      'unknown kid': await signAccessToken(adminCaller, { key: { ...signing, kid: 'rotated-out-long-ago' }, ttlSeconds: 600 }),
      'foreign key, real kid': await signAccessToken(adminCaller, { key: { ...foreign, kid: signing.kid }, ttlSeconds: 600 }),
      'alg none': `${b64({ alg: 'none', kid: signing.kid, typ: 'JWT' })}.${b64({ sub: 'forged-admin', role: 'ADMIN', typ: 'access', iss: 'shop-users', aud: 'shop', iat: now, exp: now + 600 })}.`,
    };
    for (const [name, token] of Object.entries(tokens)) {
      const result = await graphql(url, 'mutation($p: ID!) { setStock(productId: $p, quantity: 0) { id } }', { p: productId }, { token });
      expect({ name, status: result.status, codes: errorCodes(result), data: result.data ?? null }).toEqual({ name, status: 401, codes: ['UNAUTHENTICATED'], data: null });
    }
    expect(await stock()).toEqual(before);
  });

  it('does not let a client pick its sign-in throttle bucket with a spoofed X-Forwarded-For', async () => {
    const { id } = await shop().register(`throttled-${randomUUID()}@e2e.test`, 'Tess');
    expect(id).toEqual(expect.any(String));
    const attempts: string[][] = [];
    // Each guess claims another address; the router counts the connection's own, so the
    // per-address budget runs out all the same and the answer turns RATE_LIMITED.
    for (let i = 0; i < 40 && !attempts.at(-1)?.includes('RATE_LIMITED'); i++) {
      const result = await graphql(url, 'mutation($e: String!) { login(email: $e, password: "wrong-password-1") { accessToken } }', { e: `nobody-${i}@e2e.test` }, {
        headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
      });
      attempts.push(errorCodes(result));
    }
    expect(attempts.at(-1)).toEqual(['RATE_LIMITED']);
    expect(new Set(attempts.flat())).toEqual(new Set(['UNAUTHENTICATED', 'RATE_LIMITED']));
  });

  it('is healthy afterwards: /health is ok and a storefront query answers', async () => {
    const health = await fetch(new URL('/health', url));
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    expect((await graphqlOk(url, '{ products(first: 1) { edges { node { id } } } }')).products.edges).toHaveLength(1);
  });
});
