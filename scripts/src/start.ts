import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { freePort } from '@shop/postgres';
import { keyFileText } from '@shop/subgraph-kit';
import { STACK_SUBGRAPHS, type StackKeys } from './stack.js';
import { DASHBOARD_SESSION } from './sessionEndpoints.js';
import { startStorefront, type Storefront } from './storefront.js';
import { ROUTER_PORT, SUBGRAPH_PORTS } from './subgraphs.js';
import { seedDemo, DEMO_CUSTOMER } from './seedDemo.js';

/**
 * `npm start`: the whole supergraph on this machine without Docker. Embedded PostgreSQL, the
 * embedded product store and the in-process key-value stores (carts, APQ, throttles) keep their
 * data in .data/ between runs, each write on disk before it is acknowledged (`--reset` wipes it).
 * Every subgraph listens on its DESIGN port and the router on :4000.
 *
 * One process by default (./oneProcess.ts): the subgraphs share the in-process event bus (set
 * REDIS_URL to use Redis Streams instead). With `--processes` (./processes/): each subgraph and
 * the router in its own OS process through its own main, PostgreSQL and a local redis-server
 * (unless REDIS_URL is set) beside them, under a supervisor that restarts what dies.
 */
const root = resolve(process.cwd());
const dataDir = join(root, '.data');
const reset = process.argv.includes('--reset');
const separateProcesses = process.argv.includes('--processes');
const STOREFRONT_PORT = 3000;

interface Running {
  routerUrl: string;
  urls: Record<string, string>;
  /** The router's /metrics (its own port, METRICS_PORT). */
  metricsUrl: string;
  /** Lines printed under the URLs: what runs where. */
  notes: string[];
  stop(): Promise<void>;
}

let running: Running | null = null;
let storefront: Storefront | null = null;
let dashboard: Storefront | null = null;
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
  const pgPort = await preferredPort(54320);
  say(`starting embedded PostgreSQL on :${pgPort} (data in .data/postgres)`);
  const common = { root, dataDir, ports, pgPort, keys, admin, say };
  running = separateProcesses
    ? await (await import('./processes/startProcesses.js')).startProcesses({ ...common, redisPort: await preferredPort(6379) })
    : await (await import('./oneProcess.js')).startOneProcess(common);

  const seeded = await seedDemo({
    routerUrl: running.routerUrl,
    admin,
    markerPath: join(dataDir, 'demo-seeded.json'),
    log: say,
  });

  storefront = await startStorefront({
    port: STOREFRONT_PORT,
    host: 'localhost',
    distDir: join(root, 'clients', 'web', 'dist'),
    routerUrl: running.routerUrl,
  });
  // The admin dashboard: the same static server and /graphql proxy, its own build.
  dashboard = await startStorefront({
    port: DASHBOARD_PORT,
    host: 'localhost',
    distDir: join(root, 'clients', 'admin-web', 'dist'),
    routerUrl: running.routerUrl,
    session: DASHBOARD_SESSION,
  });

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say('');
  say(`Supergraph ready in ${seconds} s`);
  say(`  Storefront:      http://localhost:${STOREFRONT_PORT}/`);
  say(`  Admin dashboard: http://localhost:${DASHBOARD_PORT}/`);
  say(`  GraphQL (HTTP and WebSocket):  ${running.routerUrl}`);
  say(`  Health:   http://localhost:${ROUTER_PORT}/health      Metrics: ${running.metricsUrl}`);
  for (const [name, url] of Object.entries(running.urls)) say(`  ${name.padEnd(15)}  ${url}`);
  say('');
  for (const note of running.notes) say(`  ${note}`);
  say(`  Admin login:     ${admin.email} / ${admin.password}`);
  say(`  Demo customer:   ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}`);
  say(`  Catalog:         ${seeded.products} products${seeded.seededNow ? ', demo stock seeded now' : ' (demo stock kept from an earlier run)'}`);
  say('');
  say(`  Try: curl -s ${running.routerUrl} -H 'content-type: application/json' \\`);
  say(`         -d '{"query":"{ products(first: 3) { edges { node { name price { amount currencyCode } stock { available } } } } }"}'`);
  say('');
  say('Ctrl+C stops everything.');
}

async function shutdown(code: number): Promise<never> {
  if (shuttingDown) process.exit(code);
  shuttingDown = true;
  say('stopping...');
  await storefront?.stop().catch(() => undefined);
  await dashboard?.stop().catch(() => undefined);
  await running?.stop().catch((error: unknown) => say(`stopping failed: ${(error as Error).message}`));
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
process.once('SIGHUP', () => void shutdown(0));
main().catch((error: unknown) => {
  say(`npm start failed: ${(error as Error).message}`);
  void shutdown(1);
});
