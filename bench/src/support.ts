import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgresServer } from '@shop/postgres';
import { generateStackKeys, startStack, STACK_SUBGRAPHS, type Stack } from '@shop/scripts/stack';

export { freePort };

export const root = resolve(new URL('.', import.meta.url).pathname, '..', '..');
/**
 * Where results go: bench/results, or BENCH_RESULTS_DIR (a trial run that must not replace the
 * recorded figures; docs/performance.md is then written there too, as performance.md).
 */
export const resultsDir = process.env.BENCH_RESULTS_DIR ? resolve(process.env.BENCH_RESULTS_DIR) : join(root, 'bench', 'results');
export const performanceDocPath = process.env.BENCH_RESULTS_DIR ? join(resultsDir, 'performance.md') : join(root, 'docs', 'performance.md');
export const ADMIN = { email: 'admin@bench.local', password: 'bench-admin-password' };

export interface BenchStack {
  stack: Stack;
  postgres: EmbeddedPostgresServer;
  adminToken: string;
  productIds: string[];
  stop(): Promise<void>;
}

/** A fresh supergraph on a throwaway embedded PostgreSQL, stock seeded, admin signed in. */
export async function startBenchStack(
  options: {
    stockPerProduct?: number;
    redisUrl?: string;
    onSubgraphFetch?: (event: { service: string }) => void;
    /** The users subgraph's signing key (a private JWK as text); default a fresh one. */
    jwtPrivateKey?: string;
  } = {},
): Promise<BenchStack> {
  const dir = await mkdtemp(join(tmpdir(), 'shop-bench-'));
  await chmod(dir, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), persistent: false, fast: true });
  const ports: Record<string, number> = {};
  for (const name of [...STACK_SUBGRAPHS, 'router']) ports[name] = await freePort();
  const stack = await startStack({
    root,
    ports,
    databaseUrl: (name) => postgres.url(`bench_${name}`),
    keys: { ...(await generateStackKeys()), ...(options.jwtPrivateKey ? { jwtPrivateKey: options.jwtPrivateKey } : {}) },
    admin: ADMIN,
    logLevel: 'error',
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.onSubgraphFetch ? { onSubgraphFetch: options.onSubgraphFetch } : {}),
  });
  const login = await gql(stack.routerUrl, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
    e: ADMIN.email,
    p: ADMIN.password,
  });
  const adminToken: string = login.login.accessToken;
  const page = await gql(stack.routerUrl, '{ products(first: 100) { edges { node { id } } } }');
  const productIds: string[] = page.products.edges.map((e: { node: { id: string } }) => e.node.id);
  await gql(
    stack.routerUrl,
    'mutation($levels: [StockLevelInput!]!) { setStockLevels(levels: $levels) { id } }',
    { levels: productIds.map((productId) => ({ productId, quantity: options.stockPerProduct ?? 10_000 })) },
    adminToken,
  );
  return {
    stack,
    postgres,
    adminToken,
    productIds,
    async stop() {
      await stack.stop();
      await postgres.stop();
    },
  };
}

export async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Prints an aligned table and returns it. */
export function table(rows: Array<Record<string, string | number>>): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  const out = [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => String(r[c]))))].join('\n');
  process.stdout.write(`${out}\n`);
  return out;
}

export function writeResult(name: string, result: unknown): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.json`);
  writeFileSync(path, `${JSON.stringify({ name, at: new Date().toISOString(), node: process.version, result }, null, 2)}\n`);
  return path;
}
