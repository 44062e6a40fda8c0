import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readConfig } from '@shop/config';
import { createMemoryStore, createRedisStore, type KeyValueStore } from '@shop/kv';
import type { CallerRole } from '@shop/subgraph-kit';
import { testTokenIssuer, callAsRouter, serviceTrustEnv } from '@shop/testing';
import type { Catalog } from '../src/catalog.js';
import { buildCartConfig } from '../src/config.js';
import { createCartSubgraph, type CartSubgraph } from '../src/server.js';

export async function token(userId: string, role: CallerRole = 'CUSTOMER'): Promise<string> {
  return (await testTokenIssuer()).sign(userId, role);
}

function testRedisUrl(): string {
  const url = process.env.SHOP_TEST_REDIS_URL;
  if (!url) throw new Error('SHOP_TEST_REDIS_URL is not set: run the tests through jest, whose global setup starts redis-server');
  return url;
}

/**
 * Both stores carts can live in: the in-process one and a real Redis (the suite's
 * redis-server, under a key prefix of its own so test files never see each other's keys).
 */
export const STORES: Array<[string, () => KeyValueStore]> = [
  ['in-process store', () => createMemoryStore()],
  ['Redis', () => createRedisStore(testRedisUrl(), { keyPrefix: `cart-test:${randomUUID()}:` })],
];

const WRITES = ['set', 'setIfAbsent', 'del', 'incr', 'expire'] as const;

/** A store that counts the calls made through it, to prove batching and "nothing written". */
export interface CountingStore extends KeyValueStore {
  calls: Record<string, number>;
  writes(): number;
  reset(): void;
}

export function counting(kv: KeyValueStore): CountingStore {
  const calls: Record<string, number> = {};
  const methods = Object.entries(kv).map(([name, value]) => [
    name,
    typeof value === 'function'
      ? (...args: unknown[]) => {
          calls[name] = (calls[name] ?? 0) + 1;
          return (value as (...a: unknown[]) => unknown).apply(kv, args);
        }
      : value,
  ]);
  return {
    ...(Object.fromEntries(methods) as KeyValueStore),
    calls,
    writes: () => WRITES.reduce((total, name) => total + (calls[name] ?? 0), 0),
    reset: () => {
      for (const name of Object.keys(calls)) delete calls[name];
    },
  };
}

export interface ProductsStandIn {
  url: string;
  /** Every `_entities` request received: the product ids asked for. */
  requests: string[][];
  setPrice(productId: string, amount: string, currencyCode?: string): void;
  /** The product's variants and their prices (in the product's currency), as products answers `variants { id price }`. */
  setVariants(productId: string, prices: Record<string, string>): void;
  /** The catalog forgets the product (it resolves to null from now on). */
  forget(productId: string): void;
  stop(): Promise<void>;
}

/**
 * A stand-in for the products subgraph over real HTTP: answers the `_entities` price query
 * from a price list (null for an unknown product) and records each request.
 */
export async function startProductsStandIn(prices: Record<string, string>, currencyCode = 'EUR'): Promise<ProductsStandIn> {
  const list = new Map(Object.entries(prices).map(([id, amount]) => [id, { amount, currencyCode }]));
  const variants = new Map<string, Record<string, string>>();
  const requests: string[][] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw) as { query: string; variables: { r: Array<{ __typename: string; id: string }> } };
      if (!body.query.includes('_entities') || !body.query.includes('... on Product')) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'unexpected query' }] }));
        return;
      }
      requests.push(body.variables.r.map((rep) => rep.id));
      const entities = body.variables.r.map((rep) => {
        const price = list.get(rep.id);
        const own = Object.entries(variants.get(rep.id) ?? {}).map(([id, amount]) => ({ id, price: { amount, currencyCode: price?.currencyCode } }));
        return price ? { id: rep.id, price, variants: own } : null;
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { _entities: entities } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests,
    setPrice: (id, amount, code = currencyCode) => void list.set(id, { amount, currencyCode: code }),
    setVariants: (id, prices) => void variants.set(id, prices),
    forget: (id) => void list.delete(id),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Harness {
  url: string;
  /** The subgraph's store, seen behind the API's back (calls through the API are counted). */
  kv: CountingStore;
  subgraph: CartSubgraph;
  /** Another replica of the subgraph on the same store (stopped by the caller; the store stays open). */
  replica(): Promise<{ url: string; stop(): Promise<void> }>;
  /** The stored JSON document of a cart, or null. */
  stored(cartId: string): Promise<{ id: string; userId: string | null; lines: Array<{ productId: string; quantity: number }> } | null>;
  stop(): Promise<void>;
}

/**
 * The cart subgraph on a free port over `kv`, priced by `productsUrl` or `catalog`. Waits for
 * the store to answer unless `unreachable` says it never will.
 */
export async function startCart(options: { kv: KeyValueStore; productsUrl?: string; catalog?: Catalog; unreachable?: boolean }): Promise<Harness> {
  if (!options.unreachable) await options.kv.ping();
  const { config } = readConfig(
    { PRODUCTS_URL: options.productsUrl, JWKS_URL: (await testTokenIssuer()).jwksUrl, ...(await serviceTrustEnv('cart')), LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
    buildCartConfig,
  );
  const kv = counting(options.kv);
  // Users' part: every signed-in test shopper prefers the catalog's own currency.
  const preferences = { currency: async (authorization: string | undefined) => (authorization ? 'EUR' : null) };
  const start = async () => {
    const subgraph = await createCartSubgraph(config, { kv, preferences, ...(options.catalog ? { catalog: options.catalog } : {}) });
    const { url } = await subgraph.listen(0, '127.0.0.1');
    callAsRouter(url, 'cart');
    return { subgraph, url };
  };
  const { subgraph, url } = await start();
  return {
    url,
    kv,
    subgraph,
    async replica() {
      const other = await start();
      return { url: other.url, stop: () => other.subgraph.stop() };
    },
    async stored(cartId) {
      const raw = await options.kv.get(`cart:${cartId}`);
      return raw === null ? null : JSON.parse(raw);
    },
    async stop() {
      await subgraph.stop();
      await options.kv.close();
    },
  };
}

export const CART_FIELDS = `
  id itemCount updatedAt
  subtotal { amount currencyCode }
  items { product { id } quantity unitPrice { amount currencyCode } lineTotal { amount currencyCode } }
`;

export const ADD = `mutation($cartId: ID, $productId: ID!, $quantity: Int!) {
  addToCart(cartId: $cartId, productId: $productId, quantity: $quantity) { ${CART_FIELDS} } }`;
export const UPDATE = `mutation($cartId: ID, $productId: ID!, $quantity: Int!) {
  updateCartItem(cartId: $cartId, productId: $productId, quantity: $quantity) { ${CART_FIELDS} } }`;
export const REMOVE = `mutation($cartId: ID, $productId: ID!) { removeCartItem(cartId: $cartId, productId: $productId) { ${CART_FIELDS} } }`;
export const CLEAR = `mutation($cartId: ID) { clearCart(cartId: $cartId) { ${CART_FIELDS} } }`;
export const MERGE = `mutation($guestCartId: ID!) { mergeCart(guestCartId: $guestCartId) { ${CART_FIELDS} } }`;
export const CART = `query($id: ID) { cart(id: $id) { ${CART_FIELDS} } }`;

/** A cart's lines as [productId, quantity] pairs, for compact assertions. */
export function linesOf(cart: { items: Array<{ product: { id: string }; quantity: number }> }): Array<[string, number]> {
  return cart.items.map((item) => [item.product.id, item.quantity]);
}
