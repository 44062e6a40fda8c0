import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { composeSupergraph } from '@shop/router';
import { renderChart, type ChartRow } from './chart.js';
import { federationSdl, type FederationSubgraph } from './federation/subgraphs.js';
import type { LoadRequest, LoadResult } from './loadGenerator.js';
import { cpuSeconds, stackCpuSeconds, loadInProcess, pinHarness, sampleRss, startFederationSubgraphs, startGatewayProcess, stopProcess, type GatewayKind } from './processes.js';
import { generateKeyJwk, importKeyRing, keySetOf } from '@shop/subgraph-kit';
import { freePort, resultsDir, startBenchStack, table, writeResult } from './support.js';
import { federationWorkloads, shopWorkloads, WORKLOAD_NAMES, type Workload } from './workloads.js';

const PEERS: Array<{ name: string; kind: GatewayKind }> = [
  { name: 'shop router', kind: 'router' },
  { name: '@apollo/gateway', kind: 'apollo' },
  { name: '@graphql-hive/gateway', kind: 'hive' },
  { name: 'Hive gateway + Rust planner', kind: 'hive-rust' },
];

export interface RouterBenchOptions {
  /** Peers to run (names as in the table); all when empty. */
  peers: readonly string[];
  /** Workloads to run: those whose name contains one of these; all when empty. */
  workloads: readonly string[];
  seconds: number;
  connections: number;
  rounds: number;
  soakSeconds: number;
  historyCustomers: number;
  /** `federation`, `shop` or both. */
  stacks: ReadonlyArray<'federation' | 'shop'>;
}

interface Cell {
  workload: string;
  peer: string;
  rounds: Array<LoadResult & { cpuMsPerRequest: number | null; stackCpuMsPerRequest: number | null }>;
  peakRssMb: number;
}

/**
 * Our router against plain @apollo/gateway, @graphql-hive/gateway and Hive gateway with its
 * Rust query planner, in front of the same subgraphs in the same run: the standard federation
 * benchmark and the shop's product page and order history, anonymous and with a token per
 * virtual user. Rounds alternate the peers' order; each gateway runs alone on core 0, the load
 * and the subgraphs on core 1. Answers are compared across peers before they are timed.
 */
export async function routerBench(options: RouterBenchOptions) {
  const peers = PEERS.filter((p) => options.peers.length === 0 || options.peers.includes(p.name));
  const unknownPeers = options.peers.filter((name) => !PEERS.some((p) => p.name === name));
  if (unknownPeers.length > 0 || peers.length === 0) throw new Error(`unknown peer(s) ${unknownPeers.join(', ')}; choose from ${PEERS.map((p) => p.name).join(', ')}`);
  const wanted = (workload: string) => options.workloads.length === 0 || options.workloads.some((w) => workload.includes(w));
  // A stack starts only when one of its workloads is wanted (the soak needs the federation one).
  const stacks = options.stacks.filter((stack) => WORKLOAD_NAMES[stack].some(wanted));
  const pinned = pinHarness();
  const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? '?', node: process.version, pinned, loadBefore: loadavg().map((n) => Math.round(n * 100) / 100) };
  process.stdout.write(`router bench: ${options.rounds} rounds x ${options.seconds} s, ${options.connections} connections, ${peers.length} peers, stacks ${stacks.join(', ')}; pinned: ${pinned}; load average ${machine.loadBefore.join(' ')}\n`);
  const dir = await mkdtemp(join(tmpdir(), 'shop-bench-sg-'));
  // One signing key for the users subgraph and the federation tokens; gateways that verify
  // tokens read its public half from a JWK Set served here.
  const privateJwk = JSON.stringify(await generateKeyJwk());
  const keys = await importKeyRing(privateJwk);
  const jwks = await serveJwks(keySetOf(keys.published));
  const federation = stacks.includes('federation') ? await startFederationSubgraphs() : null;
  const bench = stacks.includes('shop') ? await startBenchStack({ jwtPrivateKey: privateJwk }) : null;
  // Subgraphs serve the router alone: every peer signs as the shop stack's router (the
  // federation fixtures take any caller).
  const routerKey = bench ? bench.stack.keys.services.router! : JSON.stringify(await generateKeyJwk());
  // Each router's /metrics on a free port of its own: the default 9464 is taken by any other
  // router on the machine (another bench, `npm start`, one left over from a crashed run).
  const gatewayEnv = async (supergraph: string, port: number) => ({
    PORT: String(port),
    METRICS_PORT: String(await freePort()),
    SUPERGRAPH_PATH: supergraph,
    JWKS_URL: jwks.url,
    SERVICE_PRIVATE_KEY: routerKey,
    RATE_LIMIT_PER_MINUTE: '0',
    SUPERGRAPH_WATCH: 'false',
  });
  try {
    const supergraphs = {
      federation: federation ? writeSupergraph(dir, 'federation', composeSupergraph(Object.entries(federation.urls).map(([name, url]) => ({ name, url, typeDefs: federationSdl[name as FederationSubgraph] }))).supergraphSdl) : '',
      shop: bench ? writeSupergraph(dir, 'shop', bench.stack.supergraphSdl) : '',
    };
    if (bench) process.stdout.write('placing the order history...\n');
    const workloads = [
      ...(federation ? await federationWorkloads(keys.signing, options.connections) : []),
      ...(bench ? await shopWorkloads(bench, keys.signing, options.connections, options.historyCustomers) : []),
    ].filter((w) => wanted(w.name));
    // Answers are compared first, all peers back to back, before anything (reservations
    // expiring, say) can change the data under them.
    for (const stack of stacks) {
      for (const peer of peers) {
        const port = await freePort();
        const child = await startGatewayProcess(peer.kind, await gatewayEnv(supergraphs[stack], port));
        try {
          await checkAnswers(`http://127.0.0.1:${port}/graphql`, peer.name, workloads.filter((w) => w.stack === stack));
        } finally {
          await stopProcess(child);
        }
      }
    }
    process.stdout.write(`every peer gives the same answers to every workload\n`);
    const cells = new Map<string, Cell>();
    const total = stacks.length * options.rounds * peers.length;
    let step = 0;
    for (const stack of stacks) {
      const stackWorkloads = workloads.filter((w) => w.stack === stack);
      for (let round = 0; round < options.rounds; round++) {
        const order = peers.map((_, i) => peers[(i + round) % peers.length]!);
        for (const peer of order) {
          step += 1;
          const port = await freePort();
          const child = await startGatewayProcess(peer.kind, await gatewayEnv(supergraphs[stack], port));
          const url = `http://127.0.0.1:${port}/graphql`;
          try {
            for (const workload of stackWorkloads) {
              const load = { url, requests: workload.requests, connections: options.connections };
              await loadInProcess({ ...load, seconds: Math.min(3, options.seconds), warmupSeconds: 0 });
              const rss = sampleRss(child.pid, 500);
              const cpuBefore = cpuSeconds(child.pid);
              const stackBefore = stack === 'shop' ? stackCpuSeconds() : null;
              const measured = await loadInProcess({ ...load, seconds: options.seconds, warmupSeconds: 0 });
              const cpuAfter = cpuSeconds(child.pid);
              const stackAfter = stack === 'shop' ? stackCpuSeconds() : null;
              const peak = Math.max(0, ...rss.stop());
              const cpuMsPerRequest = cpuBefore !== null && cpuAfter !== null && measured.requests > 0 ? Math.round(((cpuAfter - cpuBefore) * 1000 * 100) / measured.requests) / 100 : null;
              const stackCpuMsPerRequest = stackBefore !== null && stackAfter !== null && measured.requests > 0 ? Math.round(((stackAfter - stackBefore) * 1000 * 100) / measured.requests) / 100 : null;
              const result = { ...measured, cpuMsPerRequest, stackCpuMsPerRequest };
              const key = `${workload.name}\n${peer.name}`;
              const cell = cells.get(key) ?? { workload: workload.name, peer: peer.name, rounds: [], peakRssMb: 0 };
              cell.rounds.push(result);
              cell.peakRssMb = Math.max(cell.peakRssMb, peak);
              cells.set(key, cell);
              process.stdout.write(`[${step}/${total}] round ${round + 1}/${options.rounds}  ${peer.name.padEnd(28)} ${workload.name.padEnd(42)} ${String(result.rps).padStart(5)} req/s  p99 ${result.p99} ms  cpu ${result.cpuMsPerRequest} ms/req${stackCpuMsPerRequest === null ? '' : ` (subgraphs + PostgreSQL ${stackCpuMsPerRequest})`}  errors ${result.errors}  rss ${peak} MB\n`);
              if (result.firstError) process.stdout.write(`    first error: ${result.firstError}\n`);
            }
          } finally {
            await stopProcess(child);
          }
        }
      }
    }
    const soakWorkload = workloads.find((w) => w.name === 'benchmark, anonymous');
    const soak = soakWorkload && peers.some((p) => p.kind === 'router') ? await soakRouter(await gatewayEnv(supergraphs.federation, await freePort()), soakWorkload.requests, options) : null;
    return report([...cells.values()], soak, { ...machine, loadAfter: loadavg().map((n) => Math.round(n * 100) / 100) }, options);
  } finally {
    await bench?.stop();
    await federation?.stop();
    await jwks.stop();
  }
}

/** A JWK Set on a free local port, as the users subgraph publishes one. */
async function serveJwks(keySet: unknown): Promise<{ url: string; stop(): Promise<void> }> {
  const body = JSON.stringify(keySet);
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/.well-known/jwks.json`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

function writeSupergraph(dir: string, name: string, sdl: string): string {
  const path = join(dir, `${name}.graphql`);
  writeFileSync(path, sdl);
  return path;
}

const reference = new Map<string, unknown>();

/** Every peer must give the same answers (data and errors) to the requests it will be timed on. */
async function checkAnswers(url: string, peer: string, workloads: readonly Workload[]): Promise<void> {
  for (const workload of workloads) {
    const samples = [...new Set([0, 1, workload.requests.length - 1])].map((i) => workload.requests[i]).filter((r): r is LoadRequest => !!r);
    for (const [i, request] of samples.entries()) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: request.body });
      const answer = (await response.json()) as { errors?: unknown };
      if (answer.errors) throw new Error(`${peer} answered ${workload.name} with errors: ${JSON.stringify(answer.errors).slice(0, 300)}`);
      const key = `${workload.name}#${i}`;
      if (!reference.has(key)) reference.set(key, answer);
      else if (!isDeepStrictEqual(reference.get(key), answer)) {
        throw new Error(`${peer} answers ${workload.name} differently from the first peer:\n${JSON.stringify(answer).slice(0, 400)}\n${JSON.stringify(reference.get(key)).slice(0, 400)}`);
      }
    }
  }
}

/** Our router alone under the benchmark workload for a while: is its memory flat? */
async function soakRouter(env: Record<string, string>, requests: LoadRequest[], options: RouterBenchOptions) {
  if (options.soakSeconds <= 0) return null;
  process.stdout.write(`soak: shop router, benchmark workload, ${options.soakSeconds} s...\n`);
  const child = await startGatewayProcess('router', env);
  try {
    const rss = sampleRss(child.pid, 5000);
    const result = await loadInProcess({ url: `http://127.0.0.1:${env.PORT}/graphql`, requests, connections: options.connections, seconds: options.soakSeconds, warmupSeconds: 0 });
    const samples = rss.stop();
    const quarter = Math.max(1, Math.floor(samples.length / 4));
    const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
    // The first samples include start-up and JIT warm-up; growth is the last quarter against the second.
    const early = mean(samples.slice(quarter, 2 * quarter));
    const late = mean(samples.slice(-quarter));
    return { seconds: options.soakSeconds, rps: result.rps, errors: result.errors, rssMb: samples, earlyMb: early, lateMb: late, growthMb: late - early, peakMb: Math.max(...samples) };
  } finally {
    await stopProcess(child);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median CPU ms per request over the rounds that could read the gateway's CPU time; null when none could. */
function cpuPerRequest(cell: Cell, of: 'cpuMsPerRequest' | 'stackCpuMsPerRequest' = 'cpuMsPerRequest'): number | null {
  const known = cell.rounds.flatMap((r) => (r[of] === null || r[of] === undefined ? [] : [r[of]]));
  return known.length > 0 ? median(known) : null;
}

function report(cells: Cell[], soak: Awaited<ReturnType<typeof soakRouter>>, machine: Record<string, unknown>, options: RouterBenchOptions) {
  const rows: ChartRow[] = cells.map((c) => ({
    workload: c.workload,
    peer: c.peer,
    rps: median(c.rounds.map((r) => r.rps)),
    p50: median(c.rounds.map((r) => r.p50)),
    p95: median(c.rounds.map((r) => r.p95)),
    p99: median(c.rounds.map((r) => r.p99)),
  }));
  const find = (workload: string, peer: string) => rows.find((r) => r.workload === workload && r.peer === peer);
  const printable = cells.map((c, i) => {
    const base = find(c.workload, '@apollo/gateway');
    return {
      workload: c.workload,
      peer: c.peer,
      'req/s': rows[i]!.rps,
      'vs @apollo/gateway': base ? `${(rows[i]!.rps / base.rps).toFixed(2)}x` : '-',
      'p50 ms': rows[i]!.p50,
      'p95 ms': rows[i]!.p95,
      'p99 ms': rows[i]!.p99,
      'CPU ms/req': cpuPerRequest(c) ?? '-',
      'subgraphs CPU ms/req': cpuPerRequest(c, 'stackCpuMsPerRequest') ?? '-',
      'peak RSS MB': c.peakRssMb,
      errors: c.rounds.reduce((n, r) => n + r.errors, 0),
      'req/s per round': c.rounds.map((r) => r.rps).join(' '),
    };
  });
  process.stdout.write(`\nRouter throughput: median of ${options.rounds} rounds, ${options.seconds} s each, ${options.connections} connections\n`);
  const text = table(printable);
  const targets = evaluateTargets(find, cells, soak);
  process.stdout.write('\nTargets\n');
  table(targets);
  if (soak) process.stdout.write(`\nsoak: ${soak.rps} req/s for ${soak.seconds} s; RSS ${soak.earlyMb} MB -> ${soak.lateMb} MB (peak ${soak.peakMb} MB)\n`);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'router.svg'), renderChart(rows, `Router benchmark (${options.connections} connections, gateway on one core)`));
  writeFileSync(join(resultsDir, 'router.md'), `${text}\n`);
  return { machine, options, rows: printable, targets, soak };
}

type Find = (workload: string, peer: string) => ChartRow | undefined;

function evaluateTargets(find: Find, cells: Cell[], soak: Awaited<ReturnType<typeof soakRouter>>) {
  const ours = (w: string) => find(w, 'shop router');
  const ratio = (w: string, peer: string) => (ours(w)?.rps ?? 0) / (find(w, peer)?.rps ?? Infinity);
  const results: Array<{ target: string; met: string; value: string }> = [];
  // A filtered run (BENCH_PEERS, BENCH_WORKLOADS) judges only the targets whose cells it measured.
  const check = (needs: Array<[string, string]>, target: string, met: () => boolean, value: () => string) => {
    if (needs.every(([w, peer]) => find(w, peer))) results.push({ target, met: met() ? 'yes' : 'NO', value: value() });
  };
  const bench = 'benchmark, anonymous';
  const signed = 'benchmark, token per user';
  const rust = 'Hive gateway + Rust planner';
  const apollo = '@apollo/gateway';
  const us = 'shop router';
  check([[bench, us], [bench, rust]], 'benchmark anonymous: req/s above Hive + Rust planner', () => ratio(bench, rust) > 1, () => `${ratio(bench, rust).toFixed(2)}x`);
  check([[bench, us], [bench, apollo]], 'benchmark anonymous: >= 5x @apollo/gateway', () => ratio(bench, apollo) >= 5, () => `${ratio(bench, apollo).toFixed(2)}x`);
  check([[bench, us], [bench, rust]], 'benchmark anonymous: p99 below Hive + Rust planner', () => ours(bench)!.p99 < find(bench, rust)!.p99, () => `${ours(bench)?.p99} vs ${find(bench, rust)?.p99} ms`);
  check([[signed, us], [signed, apollo]], 'benchmark token per user: >= 3x @apollo/gateway', () => ratio(signed, apollo) >= 3, () => `${ratio(signed, apollo).toFixed(2)}x`);
  for (const w of ['product page, anonymous', 'product page, token per user', 'order history (50 orders), token per user']) {
    check([[w, us], [w, apollo]], `${w}: >= 2x @apollo/gateway`, () => ratio(w, apollo) >= 2, () => `${ratio(w, apollo).toFixed(2)}x`);
    const hive = Math.max(find(w, '@graphql-hive/gateway')?.rps ?? 0, find(w, rust)?.rps ?? 0);
    check([[w, us], [w, '@graphql-hive/gateway'], [w, rust]], `${w}: above Hive gateway`, () => ours(w)!.rps > hive, () => `${ours(w)?.rps} vs ${hive} req/s`);
  }
  const ourCells = cells.filter((c) => c.peer === us);
  const peakRss = Math.max(...ourCells.map((c) => c.peakRssMb));
  if (ourCells.length > 0) results.push({ target: 'router RSS under load < 300 MB', met: peakRss < 300 ? 'yes' : 'NO', value: `${peakRss} MB` });
  if (soak) results.push({ target: `no RSS growth over ${soak.seconds} s`, met: soak.growthMb <= Math.max(10, soak.earlyMb * 0.05) ? 'yes' : 'NO', value: `${soak.earlyMb} -> ${soak.lateMb} MB` });
  return results;
}

export const runRouterBench = async (options: RouterBenchOptions) => writeResult('router', await routerBench(options));
