import { appendFileSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { startProcessStack, type ProcessStack } from '../../scripts/src/processes/processStack.js';
import { SUBGRAPH_PORTS } from '../../scripts/src/subgraphs.js';
import { generateStackKeys } from '../../scripts/src/stack.js';
import { ADMIN } from './supergraph.js';

export interface ProcessSupergraph extends ProcessStack {
  /** Every line the processes and the supervisor wrote (for failure messages). */
  output: string[];
  dataDir: string;
  stop(): Promise<void>;
}

const picked = new Set<number>();

/**
 * A free port below the kernel's ephemeral range (32768 and up), where the `freePort` of other
 * tests running meanwhile never lands: these stacks hold their ports for minutes, and processes
 * restarted by the supervisor must get theirs back.
 */
export async function quietPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (picked.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
    });
    if (free) {
      picked.add(port);
      return port;
    }
  }
}

/**
 * `npm start -- --processes` on free ports, in a throwaway data directory: its own PostgreSQL
 * (no fsync) and redis-server (persistent, as npm start runs it), every subgraph and router in
 * its own process under the supervisor. Built mains (`npm test` builds first).
 */
export async function startProcessSupergraph(
  options: {
    replicas?: Record<string, number>;
    routers?: number;
    routerEnv?: Record<string, string>;
    serviceEnv?: Record<string, string>;
    /** Every process's LOG_LEVEL (default LOG_LEVEL of the test run, else `warn`). */
    logLevel?: string;
  } = {},
): Promise<ProcessSupergraph> {
  const root = join(new URL('.', import.meta.url).pathname, '..', '..');
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-processes-'));
  // mkdtemp makes it 0700; as root, PostgreSQL runs as `postgres` and must reach inside.
  chmodSync(dataDir, 0o755);
  const ports: Record<string, number> = { router: await quietPort() };
  for (const name of Object.keys(SUBGRAPH_PORTS)) ports[name] = await quietPort();
  const output: string[] = [];
  const keep = (line: string) => {
    // FAULTS_OUTPUT=<file> keeps every line of every process there, to see what happened.
    if (process.env.FAULTS_OUTPUT) appendFileSync(process.env.FAULTS_OUTPUT, `${line}\n`);
    output.push(line);
    if (output.length > 5000) output.splice(0, 1000);
  };
  const stack = await startProcessStack({
    root,
    dataDir,
    ports,
    postgres: { port: await quietPort(), fast: true },
    redisPort: await quietPort(),
    pickPort: quietPort,
    keys: await generateStackKeys(),
    admin: ADMIN,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development' },
    serviceEnv: { FREE_SHIPPING_THRESHOLD: '1000.00', ...options.serviceEnv },
    // Load tests come from one address: no per-IP limit in the way (the limiter still runs).
    routerEnv: { RATE_LIMIT_PER_MINUTE: '10000000', ...options.routerEnv },
    logLevel: options.logLevel ?? (process.env.LOG_LEVEL && process.env.LOG_LEVEL !== 'silent' ? process.env.LOG_LEVEL : 'warn'),
    backoff: { initialMs: 200, maxMs: 2000 },
    ...(options.replicas ? { replicas: options.replicas } : {}),
    ...(options.routers ? { routers: options.routers } : {}),
    log: (line) => keep(`supervisor: ${line}`),
    output: (name, line) => keep(`${name}: ${line}`),
  });
  return {
    ...stack,
    output,
    dataDir,
    async stop() {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
