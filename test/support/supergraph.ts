import { join } from 'node:path';
import { createTestDatabase } from '@shop/testing';
import type { KeyValueStore } from '@shop/kv';
import type { SubgraphFetchEvent } from '@shop/router';
import { reservePort, ROUTER_SERVICE, serviceKeyRing } from '@shop/subgraph-kit';
import { generateStackKeys, startStack, STACK_SUBGRAPHS, type StackKeys, type StackOptions } from '../../scripts/src/stack.js';

const root = join(new URL('.', import.meta.url).pathname, '..', '..');
export const ADMIN = { email: 'admin@e2e.test', password: 'admin-e2e-password' };

/**
 * The real supergraph in one process, as `npm start` runs it: every subgraph on real PostgreSQL
 * (fresh databases) and ports reserved for it, sharing the in-process event bus, behind the real router.
 */
export async function startSupergraph(
  options: {
    redisUrl?: string;
    kv?: KeyValueStore;
    router?: { kv?: KeyValueStore; options?: StackOptions['routerOptions'] };
    /** Keep the in-process stores here (as `npm start` does under .data/). */
    dataDir?: string;
    /** Reuse these databases (a restart) instead of creating fresh ones. */
    databases?: Record<string, string>;
    /** Reuse these keys (a restart, as `npm start` keeps them under .data/keys) instead of fresh ones. */
    keys?: StackKeys;
    /** Extra environment for every subgraph (e.g. STRIPE_API_BASE for the Stripe stand-in). */
    env?: Record<string, string>;
    /** The time subgraphs judge scheduled work by (cart holds): tests move it instead of waiting. */
    clock?: () => Date;
  } = {},
) {
  const names = [...STACK_SUBGRAPHS, 'router'];
  // Bound now and taken over by each service as it starts: no other process can take a port meanwhile.
  const ports = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await reservePort()] as const)));
  const databases =
    options.databases ??
    Object.fromEntries(await Promise.all(STACK_SUBGRAPHS.map(async (name) => [name, await createTestDatabase(`e2e_${name}`)] as const)));
  const fetches: SubgraphFetchEvent[] = [];
  const keys = options.keys ?? (await generateStackKeys());
  const stack = await startStack({
    root,
    ports,
    databaseUrl: (name) => databases[name]!,
    keys,
    admin: ADMIN,
    logLevel: (process.env.LOG_LEVEL as 'silent' | undefined) ?? 'silent',
    env: { FREE_SHIPPING_THRESHOLD: '1000.00', ...options.env },
    onSubgraphFetch: (event) => fetches.push(event),
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.kv ? { kv: options.kv } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.router?.kv ? { routerKv: options.router.kv } : {}),
    ...(options.router?.options ? { routerOptions: options.router.options } : {}),
  });
  const { users, products, inventory, orders } = stack.subgraphs;

  return {
    url: stack.routerUrl,
    wsUrl: stack.routerUrl.replace(/^http/, 'ws'),
    /** The users subgraph's JWK Set: what JWKS_URL points at. */
    jwksUrl: new URL('/.well-known/jwks.json', stack.urls.users!).toString(),
    keys,
    /** The router's key: another gateway over these subgraphs signs with it. */
    routerKey: await serviceKeyRing(ROUTER_SERVICE, { text: keys.services.router! }, () => undefined),
    /** The router's service keys (SERVICE_JWKS_URL): what another replica of a subgraph trusts. */
    serviceJwksUrl: new URL('/.well-known/service-jwks.json', stack.routerUrl).toString(),
    fetches,
    stack,
    router: stack.router,
    databases,
    subgraphs: stack.subgraphs,
    /**
     * True once the router holds at least `min` upstream subscriptions and every one of them is in
     * effect at its subgraph (listening to its events), so an event caused now reaches them.
     */
    subscriptionsInEffect(min = 1) {
      const upstream = stack.router.subscriptionStats().upstreamSubscriptions;
      const inEffect = Object.values(stack.subgraphs).reduce((sum, s) => sum + (s?.activeSubscriptions() ?? 0), 0);
      return upstream >= min && inEffect === upstream;
    },
    /** SQL statements sent by the PostgreSQL subgraphs, and product store round trips. */
    roundTrips() {
      return {
        sql: users!.sqlStats!.queries + inventory!.sqlStats!.queries + orders!.sqlStats!.queries,
        sqlBySubgraph: { users: users!.sqlStats!.queries, inventory: inventory!.sqlStats!.queries, orders: orders!.sqlStats!.queries },
        productStore: products!.repositoryStats!.calls,
        subgraphFetches: fetches.length,
      };
    },
    /** The same, for one request only (its `x-request-id`, watched with `watchRequest` before it was sent). */
    workOf(requestId: string) {
      const sql = { users: users!.sqlStats!.forRequest(requestId), inventory: inventory!.sqlStats!.forRequest(requestId), orders: orders!.sqlStats!.forRequest(requestId) };
      return { sql: sql.users + sql.inventory + sql.orders, sqlBySubgraph: sql, productStore: products!.repositoryStats!.forRequest(requestId) };
    },
    resetCounters() {
      for (const s of [users, inventory, orders]) s!.sqlStats!.reset();
      products!.repositoryStats!.reset();
      fetches.length = 0;
    },
    stop: () => stack.stop(),
  };
}

export type Supergraph = Awaited<ReturnType<typeof startSupergraph>>;
