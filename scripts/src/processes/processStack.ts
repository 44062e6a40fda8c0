import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '@shop/config';
import { pingRedis, redisServerArgs } from '@shop/kv';
import { embeddedPostgresUrl, freePort } from '@shop/postgres';
import { probeHealth } from '@shop/router';
import type { StackKeys } from '../stack.js';
import { SUBGRAPH_PORTS } from '../subgraphs.js';
import { startBalancer, type Balancer } from './balancer.js';
import { postgresProcess } from './postgresProcess.js';
import { Supervisor, type Backoff, type ProcessSpec } from './Supervisor.js';

/** Subgraphs on PostgreSQL: each gets DATABASE_URL (its own database on the stack's server). */
const SUBGRAPHS = Object.keys(SUBGRAPH_PORTS);
const POSTGRES_SUBGRAPHS = new Set(['users', 'inventory', 'orders', 'payments', 'shipping', 'notifications', 'analytics']);

export interface ProcessStackOptions {
  /** The repository: mains are run from `<root>/subgraphs/<name>/dist/main.js` and `<root>/router/dist/main.js`. */
  root: string;
  /** PostgreSQL's data (`postgres/`), Redis's (`redis/`) and the embedded product store's. */
  dataDir: string;
  /** Every subgraph's port and the router's (`router`); replicas and extra routers get free ports. */
  ports: Record<string, number>;
  postgres: { port: number; /** Tests only: no fsync. */ fast?: boolean };
  /** Redis to use; unset: a local `redis-server` on `redisPort`, its data under `<dataDir>/redis`. */
  redisUrl?: string | undefined;
  redisPort?: number;
  /** Users' signing key and each service's own key (`npm start` keeps them under .data/keys). */
  keys: StackKeys;
  admin: { email: string; password: string };
  /** Every child's environment starts from this (`npm start`: the launcher's own). */
  env: NodeJS.ProcessEnv;
  /** Extra for every subgraph (e.g. FREE_SHIPPING_THRESHOLD), and for every router (limits, TRUST_PROXY). */
  serviceEnv?: Env;
  routerEnv?: Env;
  /** Processes per subgraph (default 1): more run behind a TCP round-robin on the subgraph's port. */
  replicas?: Record<string, number>;
  /** Router processes (default 1), each on its own port, the first on `ports.router`. */
  routers?: number;
  /** The first router's METRICS_PORT (`npm start`: 9464); the others', and without it every one's, a free port. */
  metricsPort?: number;
  logLevel: string;
  backoff?: Partial<Backoff>;
  /** Ports for replicas, extra routers and Redis: default any free one (`freePort`). */
  pickPort?: () => Promise<number>;
  log(line: string): void;
  output(name: string, line: string): void;
}

export interface ProcessStack {
  routerUrl: string;
  /** Every router's endpoint (the first is `routerUrl`). */
  routerUrls: string[];
  urls: Record<string, string>;
  redisUrl: string;
  databaseUrl(subgraph: string): string;
  supervisor: Supervisor;
  /** Process names of a subgraph's replicas (`orders`, `orders-2`, ...) and of the routers. */
  replicas(name: string): string[];
  stop(): Promise<void>;
}

/**
 * `npm start -- --processes`: PostgreSQL, Redis (unless REDIS_URL is given), every subgraph and
 * the router, each in its own OS process under one Supervisor, configured only through the
 * environment, as containers run them. Events go through Redis Streams, so every process sees
 * every event. Stops in order: routers, subgraphs, Redis, PostgreSQL.
 */
export async function startProcessStack(options: ProcessStackOptions): Promise<ProcessStack> {
  const supervisor = new Supervisor({ log: options.log, output: options.output, ...(options.backoff ? { backoff: options.backoff } : {}) });
  const balancers: Balancer[] = [];
  const processNames = new Map<string, string[]>();
  const stop = async () => {
    await Promise.all(balancers.map((balancer) => balancer.stop()));
    await supervisor.stop();
  };
  // `router`: its heap capped as wherever else it runs (npm run router, the image, compose, k8s), and the supervisor's reports sent to it.
  const node = (name: string, main: string, env: Env, port: number, rank: number, router = false): ProcessSpec => ({
    name,
    command: process.execPath,
    args: router ? ['--max-old-space-size=256', '--max-semi-space-size=32', main] : [main],
    env: { ...options.env, ...env, PORT: String(port) },
    ready: async (pid) => (await servedBy(port, pid)) && (await probeHealth(`http://127.0.0.1:${port}/health/ready`)),
    ipc: true,
    reports: router,
    stopRank: rank,
  });

  const pickPort = options.pickPort ?? freePort;
  const pgUrl = (name: string) => embeddedPostgresUrl(options.postgres.port, `shop_${name}`);
  const redisPort = options.redisPort ?? (await pickPort());
  const redisUrl = options.redisUrl ?? `redis://127.0.0.1:${redisPort}`;
  const urls = Object.fromEntries(SUBGRAPHS.map((name) => [name, `http://localhost:${options.ports[name]}/graphql`]));
  const routerCount = options.routers ?? 1;
  const routerPorts = [options.ports.router!, ...(await Promise.all(Array.from({ length: routerCount - 1 }, () => pickPort())))];
  const routerUrls = routerPorts.map((port) => `http://localhost:${port}/graphql`);
  const metricsPorts = await Promise.all(routerPorts.map((_, i) => (i === 0 && options.metricsPort !== undefined ? options.metricsPort : pickPort())));
  const jwksUrl = new URL('/.well-known/jwks.json', urls.users).toString();
  // Every service's public keys, as the (first) router collects and publishes them.
  const serviceJwksUrl = new URL('/.well-known/service-jwks.json', routerUrls[0]).toString();

  if (!options.redisUrl) mkdirSync(join(options.dataDir, 'redis'), { recursive: true });
  try {
    await Promise.all([
      supervisor.start(postgresProcess({ root: options.root, dataDir: options.dataDir, ...options.postgres, env: options.env, stopRank: 3 })),
      options.redisUrl
        ? Promise.resolve()
        : supervisor.start({
            name: 'redis',
            command: 'redis-server',
            args: redisServerArgs({ port: redisPort, dataDir: join(options.dataDir, 'redis') }),
            env: options.env,
            ready: () => pingRedis(redisPort),
            stopRank: 2,
          }),
    ]);

    const serviceEnv = (name: string): Env => ({
      ...options.serviceEnv,
      LOG_LEVEL: options.logLevel,
      JWKS_URL: jwksUrl,
      SERVICE_JWKS_URL: serviceJwksUrl,
      SERVICE_PRIVATE_KEY: options.keys.services[name],
      ...(name === 'users' ? { JWT_PRIVATE_KEY: options.keys.jwtPrivateKey } : {}),
      REDIS_URL: redisUrl,
      ADMIN_EMAIL: options.admin.email,
      ADMIN_PASSWORD: options.admin.password,
      ROUTER_URL: routerUrls[0]!,
      PRODUCTS_URL: urls.products!,
      INVENTORY_URL: urls.inventory!,
      ORDERS_URL: urls.orders!,
      USERS_URL: urls.users!,
      // Search rebuilds through the router, which adds stock to each product.
      REINDEX_SOURCE_URL: routerUrls[0]!,
      // Without MONGO_URL, products keeps its embedded store here, as in one-process mode.
      DATA_DIR: options.dataDir,
      ...(POSTGRES_SUBGRAPHS.has(name) ? { DATABASE_URL: pgUrl(name) } : {}),
    });

    await Promise.all(
      SUBGRAPHS.map(async (name) => {
        const main = join(options.root, 'subgraphs', name, 'dist', 'main.js');
        const count = options.replicas?.[name] ?? 1;
        if (count === 1) {
          processNames.set(name, [name]);
          return supervisor.start(node(name, main, serviceEnv(name), options.ports[name]!, 1));
        }
        const ports = await Promise.all(Array.from({ length: count }, () => pickPort()));
        const names = ports.map((_, i) => (i === 0 ? name : `${name}-${i + 1}`));
        processNames.set(name, names);
        await Promise.all(names.map((replica, i) => supervisor.start(node(replica, main, serviceEnv(name), ports[i]!, 1))));
        const byPort = new Map(ports.map((port, i) => [port, names[i]!]));
        balancers.push(
          await startBalancer({
            port: options.ports[name]!,
            backends: ports,
            available: (port) => supervisor.status()[byPort.get(port)!]?.state === 'up',
          }),
        );
      }),
    );

    const routerEnv: Env = {
      ...options.routerEnv,
      LOG_LEVEL: options.logLevel,
      JWKS_URL: jwksUrl,
      SERVICE_PRIVATE_KEY: options.keys.services.router,
      REDIS_URL: redisUrl,
      SUPERGRAPH_PATH: join(options.root, 'schema', 'supergraph.graphql'),
      PARTNER_MANIFEST_PATH: join(options.root, 'clients', 'partner', 'persisted-query-manifest.json'),
      ...Object.fromEntries(SUBGRAPHS.map((name) => [`SUBGRAPH_${name.toUpperCase()}_URL`, urls[name]!])),
    };
    const routerMain = join(options.root, 'router', 'dist', 'main.js');
    const routerNames = routerPorts.map((_, i) => (i === 0 ? 'router' : `router-${i + 1}`));
    processNames.set('router', routerNames);
    await Promise.all(
      routerNames.map((name, i) => supervisor.start(node(name, routerMain, { ...routerEnv, METRICS_PORT: String(metricsPorts[i]) }, routerPorts[i]!, 0, true))),
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    routerUrl: routerUrls[0]!,
    routerUrls,
    urls,
    redisUrl,
    databaseUrl: pgUrl,
    supervisor,
    replicas: (name) => processNames.get(name) ?? [],
    stop,
  };
}

/** True when the process answering on `port` is `pid` (its /health/live says so). */
async function servedBy(port: number, pid: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2000) });
    return ((await response.json()) as { pid?: number }).pid === pid;
  } catch {
    return false;
  }
}
