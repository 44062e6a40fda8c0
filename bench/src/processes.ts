import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LoadOptions, LoadResult } from './loadGenerator.js';
import { root } from './support.js';

export type GatewayKind = 'router' | 'apollo' | 'hive' | 'hive-rust';

/**
 * Cores for the gateway under test and for everything else (subgraphs, databases, load): with
 * `taskset` and two cores or more, the gateway gets core 0 to itself and the rest runs on core
 * 1, so every peer is measured on one core with the same neighbours.
 */
const pinning = existsSync('/usr/bin/taskset') && availableParallelism() >= 2;

/** Moves this process (and what it starts from now on) off the gateway's core. */
export function pinHarness(): boolean {
  if (!pinning) return false;
  return spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' }).status === 0;
}

function spawnPinned(core: number, args: string[], options: Parameters<typeof spawn>[2]): ChildProcess {
  return pinning ? spawn('taskset', ['-c', String(core), process.execPath, ...args], options) : spawn(process.execPath, args, options);
}

/**
 * Our router starts as `npm run router`, the image and the k8s manifest start it: with its heap
 * capped, or V8 lets it grow lazily to several hundred MB under load, and a young generation
 * large enough for the requests in flight (see router/README.md).
 */
const ROUTER_NODE_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=32'];

/** Starts a gateway on core 0 and resolves once it answers a query. */
export async function startGatewayProcess(kind: GatewayKind, env: Record<string, string>): Promise<ChildProcess> {
  const args =
    kind === 'router'
      ? [...ROUTER_NODE_FLAGS, join(root, 'router', 'dist', 'main.js')]
      : [join(root, 'bench', 'dist', 'gateways', kind === 'apollo' ? 'apolloGateway.js' : 'hiveGateway.js')];
  const child = spawnPinned(0, args, {
    env: { ...process.env, LOG_LEVEL: 'error', ...(kind === 'hive-rust' ? { HIVE_PLANNER: 'rust' } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  if (process.env.BENCH_DEBUG) {
    child.stderr!.pipe(process.stderr);
    child.stdout!.pipe(process.stderr);
  }
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${env.PORT}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} exited: ${output}`);
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${kind} did not answer within 60 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs one load in a worker process on core 1. */
export async function loadInProcess(options: LoadOptions): Promise<LoadResult> {
  const child = spawnPinned(1, [join(root, 'bench', 'dist', 'loadWorker.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin!.end(JSON.stringify(options));
  let last = '';
  createInterface({ input: child.stdout! }).on('line', (line) => (last = line));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(last) as LoadResult;
}

/** Resident set size of a process in MB (Linux), or null where /proc is not there. */
export function rssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * CPU time a process has used so far (user + system, seconds; Linux), or null. Per request, it
 * tells a gateway's cost even when other processes on the machine take part of its core.
 */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by this process and the PostgreSQL processes it started (the shop
 * stack's subgraphs run in this process): what the subgraph side costs, beside the gateway's.
 */
export function stackCpuSeconds(): number {
  const own = process.cpuUsage();
  let total = (own.user + own.system) / 1e6;
  const stats = new Map<number, { parent: number; postgres: boolean; fields: string[] }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8').trim()) ?? [];
      const fields = rest!.split(' ');
      stats.set(Number(entry), { parent: Number(fields[1]), postgres: comm === 'postgres', fields });
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = stats.get(pid)?.parent; p !== undefined && p > 1; p = stats.get(p)?.parent) if (p === process.pid) return true;
    return false;
  };
  for (const [pid, stat] of stats) {
    if (!stat.postgres || !descends(pid)) continue;
    // utime + stime; the server process also counts its backends that have exited (cutime + cstime).
    const server = !stats.get(stat.parent)?.postgres;
    const ticks = stat.fields.slice(11, server ? 15 : 13).reduce((sum, field) => sum + Number(field), 0);
    total += ticks / CLOCK_TICKS;
  }
  return total;
}

// USER_HZ: 100 on Linux for every architecture Node runs on.
const CLOCK_TICKS = 100;

/** Samples a process's RSS every `everyMs` until stopped; returns the samples (MB). */
export function sampleRss(pid: number | undefined, everyMs: number): { stop(): number[] } {
  const samples: number[] = [];
  const timer = setInterval(() => {
    const mb = rssMb(pid);
    if (mb !== null) samples.push(mb);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}

/** Starts the four federation benchmark subgraphs in their own process; resolves their URLs. */
export async function startFederationSubgraphs(): Promise<{ urls: Record<string, string>; stop(): Promise<void> }> {
  const child = spawnPinned(1, [join(root, 'bench', 'dist', 'federation', 'main.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const urls = await new Promise<Record<string, string>>((resolve, reject) => {
    child.once('exit', () => reject(new Error('the federation subgraphs exited')));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Record<string, string>));
  });
  return { urls, stop: () => stopProcess(child) };
}
