import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig, type Env } from '@shop/config';
import { createEventBus, type EventBus } from '@shop/events';
import { createKeyValueStore, type KeyValueStore } from '@shop/kv';
import { ensureDatabase, type QueryStats } from '@shop/postgres';
import {
  createLogger,
  generateKeyJwk,
  portOf,
  serviceKeyRing,
  type ListenTarget,
  type LogLevel,
  type ProcessConfig,
  type RunnableSubgraph,
  type SubgraphDefinition,
  type SubgraphDeps,
} from '@shop/subgraph-kit';
import { composeSupergraph, createRouter, type Router, type RouterOptions, type SubgraphFetchEvent } from '@shop/router';
import { analytics } from '@shop/analytics';
import { cart } from '@shop/cart';
import { inventory } from '@shop/inventory';
import { notifications } from '@shop/notifications';
import { orders } from '@shop/orders';
import { payments } from '@shop/payments';
import { products } from '@shop/products';
import { search } from '@shop/search';
import { shipping } from '@shop/shipping';
import { users } from '@shop/users';
import { ROUTER_PORT, SUBGRAPH_PORTS } from './subgraphs.js';

interface RunningSubgraph extends RunnableSubgraph {
  sqlStats?: QueryStats;
  repositoryStats?: { readonly calls: number; forRequest(requestId: string): number; reset(): void };
  /** Search only: rebuilds its index from this GraphQL endpoint. */
  reindex?(sourceUrl: string): Promise<unknown>;
}

/** A subgraph as its own main.ts runs it (runSubgraph), but on the stack's environment and shared bus. */
const entry = <TConfig extends ProcessConfig>(definition: SubgraphDefinition<TConfig, RunningSubgraph>) => ({
  name: definition.name,
  postgres: definition.postgres,
  start: (env: Env, deps: SubgraphDeps) => definition.create(readConfig(env, definition.config).config, deps),
});

// Products first: others price and seed against its catalog.
const SUBGRAPHS = [
  entry(products),
  entry(users),
  entry(inventory),
  entry(orders),
  entry(payments),
  entry(cart),
  entry(search),
  entry(shipping),
  entry(notifications),
  entry(analytics),
];

export const STACK_SUBGRAPHS = SUBGRAPHS.map((subgraph) => subgraph.name);

/**
 * The private keys of one stack: users' access-token key (JWT_PRIVATE_KEY) and each service's own
 * key (SERVICE_PRIVATE_KEY: every subgraph and the router), as PEM or JWK text.
 */
export interface StackKeys {
  jwtPrivateKey: string;
  services: Record<string, string>;
}

/** Fresh keys for every service of the stack (tests); `npm start` keeps its own under .data/keys. */
export async function generateStackKeys(): Promise<StackKeys> {
  const names = [...STACK_SUBGRAPHS, 'router'];
  const services = Object.fromEntries(await Promise.all(names.map(async (name) => [name, JSON.stringify(await generateKeyJwk())] as const)));
  return { jwtPrivateKey: JSON.stringify(await generateKeyJwk()), services };
}

export interface StackOptions {
  root: string;
  /** A PostgreSQL URL for a subgraph's database (created by the subgraph when missing). */
  databaseUrl(subgraph: string): string;
  keys: StackKeys;
  admin: { email: string; password: string };
  /** Where each service listens; default the DESIGN ports. Tests pass sockets from `reservePort`. */
  ports?: Record<string, ListenTarget>;
  host?: string;
  /** With Redis, stores and the bus are the production adapters; without, in-process ones. */
  redisUrl?: string;
  /**
   * Where the in-process stores keep their data across restarts (`npm start`: `.data/`): the
   * embedded product store (`<dataDir>/products.*`), each key-value store
   * (`<dataDir>/kv/<name>.*`) and the event bus (`<dataDir>/events.*`). Unset: in memory only.
   * Unused for what Redis holds.
   */
  dataDir?: string;
  /** One store for every subgraph (not closed by the stack), instead of one each. */
  kv?: KeyValueStore;
  /** The router's store (not closed by the stack). */
  routerKv?: KeyValueStore;
  logLevel?: LogLevel;
  /** Extra environment for every subgraph (e.g. FREE_SHIPPING_THRESHOLD). */
  env?: Env;
  onSubgraphFetch?: (event: SubgraphFetchEvent) => void;
  /** The time subgraphs judge scheduled work by (cart holds); tests move it instead of waiting. */
  clock?: () => Date;
  /** Router settings (limits, partner keys and manifest, rate limits) beyond the defaults. */
  routerOptions?: Partial<Omit<RouterOptions, 'supergraphSdl' | 'logger' | 'accessTokens' | 'kv' | 'serviceKey'>>;
}

export interface Stack {
  routerUrl: string;
  /** The supergraph the router serves, composed with the subgraphs' actual URLs. */
  supergraphSdl: string;
  urls: Record<string, string>;
  subgraphs: Record<string, RunningSubgraph>;
  router: Router;
  bus: EventBus;
  /**
   * Starts a stopped subgraph again, on its port, store and database, with the stack's bus: its
   * consumer groups take up the events published while it was down (tests of an outage).
   */
  restart(name: string): Promise<RunningSubgraph>;
  /** The keys it runs with: another gateway over the same subgraphs signs with `services.router`. */
  keys: StackKeys;
  stop(): Promise<void>;
}

/**
 * The whole supergraph in this process: every subgraph on its port with its own store and the
 * shared event bus, then the router over a supergraph composed from their SDL and actual URLs.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const host = options.host ?? '127.0.0.1';
  const ports: Record<string, ListenTarget> = options.ports ?? { ...SUBGRAPH_PORTS, router: ROUTER_PORT };
  const level = options.logLevel ?? 'warn';
  const urls = Object.fromEntries(STACK_SUBGRAPHS.map((name) => [name, `http://${host}:${portOf(ports[name]!)}/graphql`]));
  const routerUrl = `http://${host}:${portOf(ports.router!)}/graphql`;
  const jwksUrl = new URL('/.well-known/jwks.json', urls.users).toString();
  // Every service's public keys, as the router collects and publishes them.
  const serviceJwksUrl = new URL('/.well-known/service-jwks.json', routerUrl).toString();
  const busLogger = createLogger({ service: 'bus', level });
  const bus = createEventBus({
    redisUrl: options.redisUrl,
    ...(options.dataDir ? { persistPath: join(options.dataDir, 'events') } : {}),
    onError: (error, event) => busLogger.warn('event handler failed', { error, eventType: event?.type, eventId: event?.id }),
    onDeadLetter: (letter) =>
      busLogger.error('event dead-lettered after its last try: `npm run admin -- events dead-letters`', {
        group: letter.group,
        eventType: letter.event.type,
        eventId: letter.event.id,
        attempts: letter.attempts,
        error: letter.error,
      }),
  });
  const stores: KeyValueStore[] = [];
  const kvPath = (name: string) => (options.dataDir ? { persistPath: join(options.dataDir, 'kv', name) } : {});
  const started: Array<[string, RunningSubgraph]> = [];
  /** How each subgraph was started, to start it again. */
  const launches = new Map<string, () => Promise<RunningSubgraph>>();
  let router: Router | undefined;
  let supergraphSdl: string;

  const stop = async () => {
    await router?.stop();
    for (const [, subgraph] of [...started].reverse()) await subgraph.stop().catch(() => undefined);
    await Promise.all(stores.map((kv) => kv.close()));
    await bus.close();
  };

  try {
    for (const subgraph of SUBGRAPHS) {
      const { name } = subgraph;
      const env: Env = {
        ...options.env,
        PORT: String(portOf(ports[name]!)),
        JWKS_URL: jwksUrl,
        SERVICE_JWKS_URL: serviceJwksUrl,
        SERVICE_PRIVATE_KEY: options.keys.services[name],
        ...(name === 'users' ? { JWT_PRIVATE_KEY: options.keys.jwtPrivateKey } : {}),
        LOG_LEVEL: level,
        ADMIN_EMAIL: options.admin.email,
        ADMIN_PASSWORD: options.admin.password,
        ROUTER_URL: routerUrl,
        PRODUCTS_URL: urls.products,
        // Where browsers fetch product pictures and upload new ones (products' own store without S3).
        PRODUCTS_PUBLIC_URL: new URL(urls.products!).origin,
        INVENTORY_URL: urls.inventory,
        ORDERS_URL: urls.orders,
        USERS_URL: urls.users,
        ...(subgraph.postgres ? { DATABASE_URL: options.databaseUrl(name) } : {}),
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
        ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
      };
      if (subgraph.postgres) await ensureDatabase(env.DATABASE_URL!);
      const kv = options.kv ?? createKeyValueStore({ redisUrl: options.redisUrl, keyPrefix: `${name}:`, ...kvPath(name) });
      if (!options.kv) stores.push(kv);
      // A reserved socket is taken over (and closed) by the first server: a restart binds its port again.
      let target: ListenTarget = ports[name]!;
      const port = portOf(target);
      const launch = async () => {
        const running = await subgraph.start(env, { logger: createLogger({ service: name, level }), kv, bus, ...(options.clock ? { clock: options.clock } : {}) });
        try {
          await running.listen(target, host);
          target = port;
        } catch (error) {
          await running.stop();
          throw error;
        }
        return running;
      };
      launches.set(name, launch);
      started.push([name, await launch()]);
    }
    ({ supergraphSdl } = composeSupergraph(
      STACK_SUBGRAPHS.map((name) => ({
        name,
        url: urls[name]!,
        typeDefs: readFileSync(join(options.root, 'subgraphs', name, 'src', 'schema.graphql'), 'utf8'),
      })),
    ));
    const routerKv = options.routerKv ?? createKeyValueStore({ redisUrl: options.redisUrl, keyPrefix: 'router:', ...kvPath('router') });
    if (!options.routerKv) stores.push(routerKv);
    router = createRouter({
      ...options.routerOptions,
      supergraphSdl,
      logger: createLogger({ service: 'router', level }),
      accessTokens: jwksUrl,
      serviceKey: await serviceKeyRing('router', { text: options.keys.services.router! }, () => undefined),
      kv: routerKv,
      events: bus,
      redisUrl: options.redisUrl,
      onSubgraphFetch: options.onSubgraphFetch,
    });
    await router.listen(ports.router!, host);
    // Inventory's stock outlives a restart but emits nothing on start: search reads it through the router.
    await started
      .find(([name]) => name === 'search')?.[1]
      .reindex?.(routerUrl)
      .catch((error: unknown) => createLogger({ service: 'search', level }).warn('index not rebuilt through the router', { error }));
  } catch (error) {
    await stop();
    throw error;
  }
  const subgraphs = Object.fromEntries(started);
  const restart = async (name: string) => {
    const launch = launches.get(name);
    if (!launch) throw new Error(`no subgraph ${name} in this stack`);
    const running = await launch();
    started[started.findIndex(([n]) => n === name)] = [name, running];
    subgraphs[name] = running;
    return running;
  };
  return { routerUrl, supergraphSdl, urls, subgraphs, router, bus, keys: options.keys, restart, stop };
}
