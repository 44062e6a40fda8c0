import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '@shop/postgres';
import { startProcessStack } from '../processes/processStack.js';
import { generateStackKeys } from '../stack.js';
import { SUBGRAPH_PORTS } from '../subgraphs.js';
import { createOperations, registerShoppers, type Outcome } from './load.js';
import { writeReport, type Sample } from './report.js';

/**
 * `npm run soak [-- --duration <s> --rate <ops/s>]`: `npm start -- --processes` on free ports
 * in a throwaway data directory, held at a steady rate of storefront operations for the
 * duration, sampling every process's RSS, the latency and the errors as it goes; then writes
 * docs/reliability.md and its SVG chart. Exits 1 when any operation failed.
 */
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.SOAK_DURATION ?? '120' },
    rate: { type: 'string', default: process.env.SOAK_RATE ?? '20' },
    out: { type: 'string', default: 'docs/reliability.md' },
  },
});
const durationSeconds = positive('--duration', values.duration!);
const rate = positive('--rate', values.rate!);
const root = resolve(process.cwd());
const out = resolve(root, values.out!);
const intervalSeconds = Math.max(2, Math.round(durationSeconds / 60));
const ADMIN = { email: 'admin@soak.test', password: 'soak-admin-password' };

function positive(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    process.stderr.write(`soak: ${flag} must be a positive number, got "${value}"\n`);
    process.exit(1);
  }
  return number;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Resident set size of a process in MiB (Linux /proc), or null once it is gone. */
function rssMiB(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-soak-'));
  // As root, PostgreSQL runs as `postgres` and must reach inside.
  chmodSync(dataDir, 0o755);
  const ports: Record<string, number> = { router: await freePort() };
  for (const name of Object.keys(SUBGRAPH_PORTS)) ports[name] = await freePort();
  say(`soak: starting the stack as separate processes (data in ${dataDir})`);
  const stack = await startProcessStack({
    root,
    dataDir,
    ports,
    postgres: { port: await freePort() },
    redisPort: await freePort(),
    keys: await generateStackKeys(),
    admin: ADMIN,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development' },
    // One client address sends everything: the per-IP limit is not what this measures.
    routerEnv: { RATE_LIMIT_PER_MINUTE: '10000000' },
    serviceEnv: { FREE_SHIPPING_THRESHOLD: '50.00' },
    logLevel: 'error',
    log: (line) => say(`supervisor: ${line}`),
    output: () => undefined,
  });
  try {
    const ops = createOperations({ routerUrl: stack.routerUrl, productIds: [], shoppers: [] });
    const token = (await ops.call('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password })).login
      .accessToken as string;
    const productIds = (await ops.call('{ products(first: 40) { edges { node { id } } } }', {})).products.edges.map((e: { node: { id: string } }) => e.node.id) as string[];
    // Enough stock that no checkout of the soak is refused for want of it.
    await ops.call('mutation($levels: [StockLevelInput!]!) { setStockLevels(levels: $levels) { id } }', { levels: productIds.map((productId) => ({ productId, quantity: 1_000_000 })) }, token);
    const shoppers = await registerShoppers(ops.call, 8);
    const load = createOperations({ routerUrl: stack.routerUrl, productIds, shoppers });
    const names = Object.keys(stack.supervisor.status()).filter((name) => name !== 'postgres' && name !== 'redis');

    say(`soak: ${durationSeconds} s at ${rate} operations/s, a sample every ${intervalSeconds} s`);
    const samples: Sample[] = [];
    let window: Outcome[] = [];
    const all: Outcome[] = [];
    const started = Date.now();
    let inFlight = 0;
    let skipped = 0;
    const pending = new Set<Promise<void>>();
    const fire = () => {
      // A stalled stack must not pile up unbounded requests: past 200 in flight a tick is skipped (and reported).
      if (inFlight >= 200) return void (skipped += 1);
      inFlight += 1;
      const run = load.next().then((outcome) => {
        inFlight -= 1;
        window.push(outcome);
        all.push(outcome);
      });
      pending.add(run);
      void run.finally(() => pending.delete(run));
    };
    const ticker = setInterval(fire, 1000 / rate);
    const sample = () => {
      const rss = Object.fromEntries(names.map((name) => [name, rssMiB(stack.supervisor.pid(name))]));
      const latencies = window.map((o) => o.ms).sort((a, b) => a - b);
      samples.push({
        seconds: (Date.now() - started) / 1000,
        operations: window.length,
        errors: window.filter((o) => o.error).length,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        rss,
      });
      window = [];
    };
    const sampler = setInterval(sample, intervalSeconds * 1000);
    await new Promise((done) => setTimeout(done, durationSeconds * 1000));
    clearInterval(ticker);
    clearInterval(sampler);
    await Promise.all(pending);
    sample();

    const errors = all.filter((o) => o.error);
    const restarts = Object.values(stack.supervisor.status()).reduce((n, s) => n + s.restarts, 0);
    writeReport({
      out,
      chartPath: out.replace(/\.md$/, '.svg'),
      durationSeconds,
      rate,
      intervalSeconds,
      samples,
      outcomes: all,
      skipped,
      restarts,
      command: `npm run soak -- --duration ${durationSeconds} --rate ${rate}`,
    });
    say(`soak: ${all.length} operations, ${errors.length} errors, ${skipped} ticks skipped, ${restarts} restarts; report in ${relative(root, out)}`);
    for (const error of [...new Set(errors.map((e) => `${e.operation}: ${e.error}`))].slice(0, 10)) say(`  ${error}`);
    return errors.length === 0 && restarts === 0 ? 0 : 1;
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`soak failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);

