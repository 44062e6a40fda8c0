import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '@shop/postgres';
import { listSubgraphs, ROUTER_PORT, type SubgraphInfo } from './subgraphs.js';
import { seedDemo, DEMO_CUSTOMER } from './seedDemo.js';

/**
 * `npm start`: the whole supergraph on this machine without Docker. Embedded PostgreSQL keeps
 * its data in .data/ between runs (`--reset` wipes it); every subgraph runs as its own process
 * on its DESIGN port, exactly as it would alone; the router serves them on :4000.
 */
const root = resolve(process.cwd());
const dataDir = join(root, '.data');
const reset = process.argv.includes('--reset');
const children: Array<{ name: string; child: ChildProcess }> = [];
let postgres: EmbeddedPostgresServer | null = null;
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
  const subgraphs = listSubgraphs(root);
  await assertPortsFree([ROUTER_PORT, ...subgraphs.map((s) => s.port)]);

  const jwtSecret = process.env.JWT_SECRET ?? persistentSecret(join(dataDir, 'jwt-secret'));
  const adminEmail = process.env.ADMIN_EMAIL ?? 'admin@shop.local';
  const adminPassword = process.env.ADMIN_PASSWORD ?? 'admin-demo-password';

  const pgPort = await preferredPort(54320);
  say(`starting embedded PostgreSQL on :${pgPort} (data in .data/postgres)`);
  postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: pgPort, persistent: true });

  const urls = Object.fromEntries(subgraphs.map((s) => [s.name, `http://localhost:${s.port}/graphql`]));
  await Promise.all(
    subgraphs.map((s) =>
      startProcess(s.name, s.mainPath, s.port, {
        PORT: String(s.port),
        DATABASE_URL: postgres!.url(`shop_${s.name}`),
        JWT_SECRET: jwtSecret,
        ADMIN_EMAIL: adminEmail,
        ADMIN_PASSWORD: adminPassword,
        PRODUCTS_URL: urls.products ?? '',
      }),
    ),
  );
  await startProcess('router', join(root, 'router', 'dist', 'main.js'), ROUTER_PORT, {
    PORT: String(ROUTER_PORT),
    SUPERGRAPH_PATH: join(root, 'schema', 'supergraph.graphql'),
  });

  const routerUrl = `http://localhost:${ROUTER_PORT}/graphql`;
  const seeded = await seedDemo({
    routerUrl,
    admin: { email: adminEmail, password: adminPassword },
    markerPath: join(dataDir, 'demo-seeded.json'),
    log: say,
  });

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say('');
  say(`Supergraph ready in ${seconds} s`);
  say(`  GraphQL (HTTP):  ${routerUrl}`);
  say(`  Health:          http://localhost:${ROUTER_PORT}/health`);
  for (const s of subgraphs) say(`  ${s.name.padEnd(15)}  ${urls[s.name]}`);
  say('');
  say(`  Admin login:     ${adminEmail} / ${adminPassword}`);
  say(`  Demo customer:   ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}`);
  say(`  Catalog:         ${seeded.products} products${seeded.seededNow ? ', demo stock seeded now' : ' (demo stock kept from an earlier run)'}`);
  say('');
  say(`  Try: curl -s ${routerUrl} -H 'content-type: application/json' \\`);
  say(`         -d '{"query":"{ products(first: 3) { edges { node { name price { amount currencyCode } stock { available } } } } }"}'`);
  say('');
  say('Ctrl+C stops everything.');
}

function startProcess(name: string, mainPath: string, port: number, env: Record<string, string>): Promise<void> {
  if (!existsSync(mainPath)) throw new Error(`${mainPath} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [mainPath], {
    cwd: root,
    env: { LOG_LEVEL: 'warn', ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push({ name, child });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => say(`[${name}] ${line}`));
  }
  child.on('exit', (code, signal) => {
    if (shuttingDown) return;
    say(`[${name}] exited (${signal ?? `code ${code}`}); stopping everything`);
    void shutdown(1);
  });
  return waitForHealth(name, `http://localhost:${port}/health`, 60_000);
}

async function waitForHealth(name: string, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (shuttingDown) throw new Error('shutting down');
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${name} did not become healthy at ${url} within ${timeoutMs / 1000} s`);
}

async function shutdown(code: number): Promise<never> {
  shuttingDown = true;
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await postgres?.stop().catch(() => undefined);
  process.exit(code);
}

function persistentSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
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
  if (await portFree(port)) return port;
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
main().catch((error: unknown) => {
  say(`npm start failed: ${(error as Error).message}`);
  void shutdown(1);
});

export type { SubgraphInfo };
