import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signAccessToken, type SigningKey } from '@shop/subgraph-kit';
import { buy, registerCustomer } from './customers.js';
import type { LoadRequest } from './loadGenerator.js';
import { gql, root, type BenchStack } from './support.js';

export interface Workload {
  name: string;
  /** Which supergraph it runs on. */
  stack: 'federation' | 'shop';
  /** One entry per virtual user (or one for all). */
  requests: LoadRequest[];
}

/** Every workload's name, per stack (BENCH_WORKLOADS picks among them before anything starts). */
export const WORKLOAD_NAMES = {
  federation: ['benchmark, anonymous', 'benchmark, token per user'],
  shop: ['product page, anonymous', 'product page, token per user', 'order history (50 orders), token per user'],
} as const;

const PRODUCT_PAGE = `query ProductPage($id: ID!) { product(id: $id) { id sku name description
  price { amount currencyCode } basePrice { amount currencyCode } images { url alt }
  variants { sku name size color price { amount } } category { name slug }
  rating { average count } stock { available } inStock } }`;
const ORDER_HISTORY = `query OrderHistory { me { orders(first: 50) { totalCount edges { node {
  orderNumber status createdAt total { amount currencyCode }
  items { quantity unitPrice { amount } product { name sku } } } } } } }`;

/** The deep query of the standard federation benchmark (about 87 KB per answer). */
export const DEEP_QUERY = readFileSync(join(root, '..', 'shared', 'bench-peers', 'query.graphql'), 'utf8');

const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A valid access token per virtual user, signed with the users subgraph's key: each a different
 * caller, as when every user of a site is signed in (the expiry differs too, so no two are the
 * same string).
 */
async function tokensFor(key: SigningKey, users: number, userId: (vu: number) => string): Promise<string[]> {
  return Promise.all(Array.from({ length: users }, (_, vu) => signAccessToken({ userId: userId(vu), role: 'CUSTOMER' }, { key, ttlSeconds: 3600 + vu })));
}

export async function federationWorkloads(key: SigningKey, users: number): Promise<Workload[]> {
  const tokens = await tokensFor(key, users, (vu) => `bench-user-${vu}`);
  return [
    { name: WORKLOAD_NAMES.federation[0], stack: 'federation', requests: [{ body: body(DEEP_QUERY), headers: {} }] },
    { name: WORKLOAD_NAMES.federation[1], stack: 'federation', requests: tokens.map((token) => ({ body: body(DEEP_QUERY), headers: bearer(token) })) },
  ];
}

/**
 * Product page (ten products, spread over the users) and order history: `customers` customers
 * with 50 orders of three items each, every virtual user signed in with a token of its own.
 */
export async function shopWorkloads(bench: BenchStack, key: SigningKey, users: number, customers: number): Promise<Workload[]> {
  const url = bench.stack.routerUrl;
  const buyers = await Promise.all(Array.from({ length: customers }, (_, c) => registerCustomer(url, `history-${c}@bench.local`)));
  const ids: string[] = [];
  for (const [c, customer] of buyers.entries()) {
    for (let i = 0; i < 50; i++) {
      const items = [0, 1, 2].map((k) => ({ productId: bench.productIds[(c * 7 + i * 3 + k) % bench.productIds.length]!, quantity: 1 + k }));
      const result = await buy(url, customer, items, `history-${c}-${i}`);
      if (!result.orderId) throw new Error(`could not place a history order: ${result.code}`);
    }
    ids.push((await gql(url, '{ me { id } }', {}, customer.token)).me.id);
  }
  const historyTokens = await tokensFor(key, users, (vu) => ids[vu % ids.length]!);
  const visitorTokens = await tokensFor(key, users, (vu) => `bench-visitor-${vu}`);
  const page = (vu: number) => body(PRODUCT_PAGE, { id: bench.productIds[vu % 10] });
  return [
    { name: WORKLOAD_NAMES.shop[0], stack: 'shop', requests: Array.from({ length: users }, (_, vu) => ({ body: page(vu), headers: {} })) },
    { name: WORKLOAD_NAMES.shop[1], stack: 'shop', requests: visitorTokens.map((token, vu) => ({ body: page(vu), headers: bearer(token) })) },
    { name: WORKLOAD_NAMES.shop[2], stack: 'shop', requests: historyTokens.map((token) => ({ body: body(ORDER_HISTORY), headers: bearer(token) })) },
  ];
}
