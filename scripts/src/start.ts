import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { loadConfigOrExit } from '@shop/config';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgresServer } from '@shop/postgres';
import { buildRouterConfig, readPersistedQueryManifest } from '@shop/router';
import { keyFileText } from '@shop/subgraph-kit';
import { STACK_SUBGRAPHS, startStack, type Stack, type StackKeys } from './stack.js';
import { startStorefront, type Storefront } from './storefront.js';
import { ROUTER_PORT, SUBGRAPH_PORTS } from './subgraphs.js';
import { seedDemo, DEMO_CUSTOMER } from './seedDemo.js';

/**
 * `npm start`: the whole supergraph on this machine without Docker. Embedded PostgreSQL, the
 * embedded product store and the in-process key-value stores (carts, APQ, throttles) keep their
 * data in .data/ between runs, each write on disk before it is acknowledged (`--reset` wipes it). Every subgraph listens on its DESIGN
 * port and the router on :4000, all in this one process so they share the in-process event
 * bus (set REDIS_URL to use Redis Streams instead); each subgraph still runs alone through its
 * own main.ts, as in production.
 */
const root = resolve(process.cwd());
const dataDir = join(root, '.data');
const reset = process.argv.includes('--reset');
let postgres: EmbeddedPostgresServer | null = null;
let stack: Stack | null = null;
let storefront: Storefront | null = null;
let dashboard: Storefront | null = null;
const STOREFRONT_PORT = 3000;
const DASHBOARD_PORT = 3001;
let shuttingDown = false;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const started = Date.now();
  if (reset && existsSync(dataDir)) {
    rmSync(dataDir, { recursive: true, force: true });
    say('--reset: wiped .data/');
  }
  mkdirSync(dataDir, { recursive: true });
  const ports = { ...SUBGRAPH_PORTS, router: ROUTER_PORT };
  await assertPortsFree([...Object.values(ports), STOREFRONT_PORT, DASHBOARD_PORT]);

  const keys = await developmentKeys(join(dataDir, 'keys'));
  const admin = {
    email: process.env.ADMIN_EMAIL ?? 'admin@shop.local',
    password: process.env.ADMIN_PASSWORD ?? 'admin-demo-password',
  };

  // The router honours its own env vars (limits, partner keys, rate limits) as when run alone.
  const routerEnv = { ...process.env };
  const routerConfig = loadConfigOrExit('router', routerEnv, (env) => buildRouterConfig(env, routerEnv));
  const partnerManifest = existsSync(routerConfig.partnerManifestPath)
    ? await readPersistedQueryManifest(routerConfig.partnerManifestPath)
    : new Map<string, string>();

  const pgPort = await preferredPort(54320);
  say(`starting embedded PostgreSQL on :${pgPort} (data in .data/postgres)`);
  postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: pgPort, persistent: true });
  const pg = postgres;
  stack = await startStack({
    root,
    ports,
    host: 'localhost',
    databaseUrl: (name) => pg.url(`shop_${name}`),
    keys,
    admin,
    redisUrl: process.env.REDIS_URL,
    dataDir,
    logLevel: (process.env.LOG_LEVEL as 'warn' | undefined) ?? 'warn',
    env: { FREE_SHIPPING_THRESHOLD: process.env.FREE_SHIPPING_THRESHOLD ?? '50.00' },
    routerOptions: {
      limits: routerConfig.limits,
      introspection: routerConfig.introspection,
      partnerApiKeys: routerConfig.partnerApiKeys,
      partnerManifest,
      rateLimitPerMinute: routerConfig.rateLimitPerMinute,
      partnerCost: routerConfig.partnerCost,
      // The storefront on :3000 proxies to the router over loopback and says who the client is.
      trustProxy: routerConfig.trustProxy === false ? 'loopback' : routerConfig.trustProxy,
      metricsPort: routerConfig.metricsPort,
      processMetrics: true,
    },
  });

  const seeded = await seedDemo({
    routerUrl: stack.routerUrl,
    admin,
    markerPath: join(dataDir, 'demo-seeded.json'),
    log: say,
  });

  storefront = await startStorefront({
    port: STOREFRONT_PORT,
    host: 'localhost',
    distDir: join(root, 'clients', 'web', 'dist'),
    routerUrl: stack.routerUrl,
  });
  // The admin dashboard: the same static server and /graphql proxy, its own build.
  dashboard = await startStorefront({
    port: DASHBOARD_PORT,
    host: 'localhost',
    distDir: join(root, 'clients', 'admin-web', 'dist'),
    routerUrl: stack.routerUrl,
  });

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say('');
  say(`Supergraph ready in ${seconds} s`);
  say(`  Storefront:      http://localhost:${STOREFRONT_PORT}/`);
  say(`  Admin dashboard: http://localhost:${DASHBOARD_PORT}/`);
  say(`  GraphQL (HTTP and WebSocket):  ${stack.routerUrl}`);
  say(`  Health:   http://localhost:${ROUTER_PORT}/health      Metrics: http://localhost:${routerConfig.metricsPort}/metrics`);
  for (const [name, url] of Object.entries(stack.urls)) say(`  ${name.padEnd(15)}  ${url}`);
  say('');
  say(`  Admin login:     ${admin.email} / ${admin.password}`);
  say(`  Demo customer:   ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}`);
  say(`  Catalog:         ${seeded.products} products${seeded.seededNow ? ', demo stock seeded now' : ' (demo stock kept from an earlier run)'}`);
  say('');
  say(`  Try: curl -s ${stack.routerUrl} -H 'content-type: application/json' \\`);
  say(`         -d '{"query":"{ products(first: 3) { edges { node { name price { amount currencyCode } stock { available } } } } }"}'`);
  say('');
  say('Ctrl+C stops everything.');
}

async function shutdown(code: number): Promise<never> {
  if (shuttingDown) process.exit(code);
  shuttingDown = true;
  await storefront?.stop().catch(() => undefined);
  await dashboard?.stop().catch(() => undefined);
  await stack?.stop().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
  process.exit(code);
}

/**
 * Users' signing key (JWT_PRIVATE_KEY when set) and every service's own key, kept in `dir` so
 * that sessions and identities survive restarts (`--reset` makes new ones).
 */
async function developmentKeys(dir: string): Promise<StackKeys> {
  const names = [...STACK_SUBGRAPHS, 'router'];
  const services = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await keyFileText(join(dir, `${name}-service.jwk`))] as const)),
  );
  return { jwtPrivateKey: process.env.JWT_PRIVATE_KEY ?? (await keyFileText(join(dir, 'jwt-private-key.jwk'))), services };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '0.0.0.0', () => server.close(() => done(true)));
  });
}

async function assertPortsFree(ports: number[]): Promise<void> {
  const busy: number[] = [];
  for (const port of ports) if (!(await portFree(port))) busy.push(port);
  if (busy.length > 0) {
    throw new Error(`port(s) ${busy.join(', ')} already in use: is another \`npm start\` running?`);
  }
}

async function preferredPort(port: number): Promise<number> {
  return (await portFree(port)) ? port : freePort();
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
main().catch((error: unknown) => {
  say(`npm start failed: ${(error as Error).message}`);
  void shutdown(1);
});

