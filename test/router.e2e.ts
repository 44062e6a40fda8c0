import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph } from '@shop/router';
import { errorCodes, graphql, graphqlOk, type GraphQLResponse } from '@shop/testing';
import { startStockGateway } from '../router/test/stockGateway.js';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// The router against the real supergraph: the same answers as a plain @apollo/gateway for
// every query, and coded refusals for abusive requests.
const root = join(new URL('.', import.meta.url).pathname, '..');
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

let sg: Supergraph;
let plain: { url: string; stop(): Promise<void> };
const tokens: Record<'admin' | 'buyer', string> = { admin: '', buyer: '' };
let productIds: string[];
let skus: string[];
let orderId: string;

beforeAll(async () => {
  sg = await startSupergraph({ router: { options: { metricsPort: 0 } } });
  const { supergraphSdl } = composeSupergraph(
    Object.entries(sg.stack.urls).map(([name, url]) => ({
      name,
      url,
      typeDefs: readFileSync(join(root, 'subgraphs', name, 'src', 'schema.graphql'), 'utf8'),
    })),
  );
  plain = await startStockGateway(supergraphSdl, sg.routerKey);

  const login = await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password });
  tokens.admin = login.login.accessToken;
  const buyer = await graphqlOk(sg.url, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', {
    input: { email: `parity-${randomUUID().slice(0, 8)}@e2e.test`, password: 'a-strong-password-1', name: 'Parity' },
  });
  tokens.buyer = buyer.register.accessToken;
  const page = await graphqlOk(sg.url, '{ products(first: 4) { edges { node { id sku } } } }');
  productIds = page.products.edges.map((e: any) => e.node.id);
  skus = page.products.edges.map((e: any) => e.node.sku);
  await graphqlOk(sg.url, 'mutation($levels: [StockLevelInput!]!) { setStockLevels(levels: $levels) { id } }', {
    levels: productIds.map((productId) => ({ productId, quantity: 25 })),
  }, { token: tokens.admin });

  // One order, so order queries have something to show.
  const token = tokens.buyer;
  const cart = await graphqlOk(sg.url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 2) { id } }', { p: productIds[0] }, { token });
  const address = await graphqlOk(sg.url, 'mutation($input: AddressInput!) { addAddress(input: $input) { id } }', {
    input: { name: 'Parity Buyer', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
  }, { token });
  const rates = await graphqlOk(sg.url, 'query($a: ID!, $c: ID!) { shippingRates(addressId: $a, cartId: $c) { id } }', { a: address.addAddress.id, c: cart.addToCart.id }, { token });
  const order = await graphqlOk(sg.url, 'mutation($input: CheckoutInput!) { checkout(input: $input) { id } }', {
    input: { cartId: cart.addToCart.id, shippingAddressId: address.addAddress.id, shippingMethodId: rates.shippingRates[0].id, idempotencyKey: `parity-${randomUUID()}` },
  }, { token });
  orderId = order.checkout.id;
});

afterAll(async () => {
  await plain?.stop();
  await sg?.stop();
});

describe('same answers as a plain @apollo/gateway', () => {
  const cases: Array<[string, () => { query: string; variables?: Record<string, unknown>; as?: 'admin' | 'buyer'; errors?: true }]> = [
    ['a product listing across products and inventory', () => ({
      query: `{ products(first: 4) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
        id sku name slug description price { amount currencyCode } basePrice { amount } discount { type value }
        category { id name slug parent { name } children { slug } } variants { sku name size color price { amount } }
        images { url alt } attributes { brand color size weightGrams } rating { average count }
        stock { available reserved onHand warehouses { warehouse onHand reserved available } } inStock } } } }`,
    })],
    ['a product by SKU with variables, fragments, aliases and directives', () => ({
      query: `query P($sku: String, $withStock: Boolean!, $skip: Boolean!) {
        one: product(sku: $sku) { ...Card stock @include(if: $withStock) { available } }
        two: product(id: "${productIds[1]}") { ...Card __typename sku @skip(if: $skip) }
        none: product(sku: "NO-SUCH-SKU") { id } }
        fragment Card on Product { id name price { amount currencyCode } category { name } }`,
      variables: { sku: skus[0], withStock: true, skip: false },
    })],
    ['the category tree', () => ({ query: '{ categories { id name slug seo { title } parent { id slug } children { id name } } }' })],
    ['a search with facets', () => ({
      query: '{ searchProducts(query: "", first: 5, sort: PRICE_ASC) { totalCount facets { field values { value count } } nodes { id name inStock } pageInfo { hasNextPage } } }',
    })],
    ['introspection', () => ({ query: '{ __type(name: "Order") { name fields { name type { kind name ofType { name } } } } }' })],
    ['a signed-in customer with their orders, payments and addresses', () => ({
      as: 'buyer',
      query: `{ me { email role addresses { city country } orders(first: 5) { totalCount edges { node {
        id orderNumber status subtotal { amount } shipping { amount } total { amount currencyCode } shippingAddress { city }
        statusHistory { status } payment { status } items { quantity unitPrice { amount } product { name stock { available } } }
        user { email } } } } } }`,
    })],
    ['one order by id, and a cart', () => ({
      as: 'buyer',
      query: `query($id: ID!) { order(id: $id) { orderNumber status items { product { sku name } } } cart { id itemCount items { product { name } } } }`,
      variables: { id: orderId },
    })],
    ['an ADMIN listing every order with its customer', () => ({
      as: 'admin',
      query: '{ orders(first: 10) { totalCount edges { node { orderNumber status user { email name } items { quantity product { name inStock } } } } } }',
    })],
    ['coded errors: bad arguments, a stranger\'s order, a missing token, an invalid field', () => ({
      query: `query($id: ID!) { order(id: $id) { id } product(id: "x", sku: "y") { id } me { id } }`,
      variables: { id: orderId },
      errors: true,
    })],
    ['a validation failure', () => ({ query: '{ products { edges { node { nope } } } }', errors: true })],
  ];

  it.each(cases)('%s', async (_name, make) => {
    const { query, variables = {}, as, errors } = make();
    const options = as ? { token: tokens[as] } : {};
    const [ours, theirs] = [await graphql(sg.url, query, variables, options), await graphql(plain.url, query, variables, options)];
    expect(ours.data ?? null).toEqual(theirs.data ?? null);
    // The same errors; plain @apollo/gateway lists those of parallel fetches in the order the fetches finished.
    const byPath = (result: typeof ours) => (result.errors ?? []).map((e) => `${(e.path ?? []).join('.')} ${String(e.extensions?.code)}`).sort();
    expect(byPath(ours)).toEqual(byPath(theirs));
    expect(ours.status).toBe(theirs.status);
    if (errors) expect(errorCodes(ours).length).toBeGreaterThan(0);
    else expect(ours.errors).toBeUndefined();
  });

  it('the same mutation result (an idempotent one)', async () => {
    const query = 'mutation($p: ID!) { setStock(productId: $p, quantity: 31) { id name stock { onHand available } } }';
    const ours = await graphqlOk(sg.url, query, { p: productIds[2] }, { token: tokens.admin });
    const theirs = await graphqlOk(plain.url, query, { p: productIds[2] }, { token: tokens.admin });
    expect(ours).toEqual(theirs);
  });
});

describe('cache-control from the subgraphs\' @cacheControl hints', () => {
  const cacheControl = async (query: string, token?: string) =>
    (await graphql(sg.url, query, {}, token ? { token } : {})).headers.get('cache-control');

  it('lets CDNs keep catalogue pages (strictest hint: stock, 10 s) and nothing user-specific', async () => {
    expect(await cacheControl('{ categories { name children { slug } } }')).toBe('max-age=300, public');
    expect(await cacheControl(`{ product(id: "${productIds[0]}") { name price { amount } rating { average } stock { available } } }`)).toBe('max-age=10, public');
    expect(await cacheControl('{ searchProducts(query: "", first: 3) { totalCount nodes { name } } }')).toBe('max-age=30, public');
    // The caller's own account: their client may keep it, no shared cache may.
    expect(await cacheControl('{ me { email } }', tokens.buyer)).toBe('max-age=60, private');
    expect(await cacheControl('{ me { email addresses { id } } }', tokens.buyer)).toBe('no-store');
    expect(await cacheControl('{ cart { id } }', tokens.buyer)).toBe('no-store');
  });
});

describe('order history: the caller\'s `me` kept by the router for that caller', () => {
  const HISTORY = '{ me { id orders(first: 50) { totalCount edges { node { orderNumber items { quantity product { name } } } } } } }';
  const usersCalls = () => sg.fetches.filter((f) => f.service === 'users').length;

  it('answers the next page without asking users again; another caller asks for their own; signing out forgets it', async () => {
    const first = await graphqlOk(sg.url, HISTORY, {}, { token: tokens.buyer });
    expect(first.me.orders.edges.map((e: any) => e.node.orderNumber)).toHaveLength(1);
    const before = usersCalls();
    expect(await graphqlOk(sg.url, HISTORY, {}, { token: tokens.buyer })).toEqual(first);
    expect(usersCalls()).toBe(before);

    const other = await graphqlOk(sg.url, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id } } }', {
      input: { email: `history-${randomUUID().slice(0, 8)}@e2e.test`, password: 'a-strong-password-1' },
    });
    const registered = usersCalls();
    const theirs = await graphqlOk(sg.url, HISTORY, {}, { token: other.register.accessToken });
    expect(theirs.me).toEqual({ id: other.register.user.id, orders: { totalCount: 0, edges: [] } });
    expect(usersCalls()).toBe(registered + 1);

    // A mutation through the router (here signing out) makes it forget what it kept.
    await graphqlOk(sg.url, 'mutation($t: String!) { logout(refreshToken: $t) }', { t: other.register.refreshToken }, { token: other.register.accessToken });
    const afterLogout = usersCalls();
    expect(await graphqlOk(sg.url, HISTORY, {}, { token: tokens.buyer })).toEqual(first);
    expect(usersCalls()).toBe(afterLogout + 1);
  });
});

describe('abusive requests', () => {
  const expectCode = (result: GraphQLResponse, status: number, code: string) => {
    expect(result.status).toBe(status);
    expect(errorCodes(result)).toEqual([code]);
    expect(JSON.stringify(result.errors)).not.toMatch(/stack|at \w+ \(|node_modules/);
  };

  it('get clear coded errors, and the router stays up', async () => {
    expectCode(await graphql(sg.url, `{ categories { ${'children { '.repeat(99)}id${' }'.repeat(99)} } }`), 400, 'QUERY_TOO_COMPLEX');
    expectCode(await graphql(sg.url, `{ ${Array.from({ length: 2000 }, (_, i) => `c${i}: categories { id }`).join(' ')} }`), 400, 'QUERY_TOO_COMPLEX');
    expectCode(await graphql(sg.url, '{ products(first: 5000) { edges { node { id name } } } }'), 400, 'QUERY_TOO_COMPLEX');

    const huge = await fetch(sg.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ categories { id } }', variables: { pad: 'x'.repeat(12 * 1024 * 1024) } }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');

    const malformed = await fetch(sg.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ categories { id } }", ' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');

    expectCode(await graphql(sg.url, '{ me { id } }', {}, { token: 'garbage' }), 401, 'UNAUTHENTICATED');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', role: 'ADMIN', typ: 'access', iss: 'shop-users', aud: 'shop', exp: 9_999_999_999 })}.`;
    expectCode(await graphql(sg.url, '{ orders(first: 1) { totalCount } }', {}, { token: none }), 401, 'UNAUTHENTICATED');

    const health = await fetch(sg.url.replace(/graphql$/, 'health'));
    expect(health.status).toBe(200);
    expect((await graphqlOk(sg.url, '{ categories { id } }')).categories.length).toBeGreaterThan(0);
    const metrics = await (await fetch(sg.router.metricsUrl!)).text();
    expect(metrics).toMatch(/router_requests_rejected_total\{reason="too_complex"\} 3/);
    expect(metrics).toMatch(/router_requests_rejected_total\{reason="unauthenticated"\} 2/);
  });
});
