import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One supervised program: how to run it and how to tell that it serves. */
export interface ProcessSpec {
  /** Unique: `orders`, `orders-2`, `router`, `postgres`, `redis`. */
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /**
   * True once the process with this pid serves (its readiness endpoint answers, the database
   * accepts connections), not some other program on the same port.
   */
  ready(pid: number): Promise<boolean>;
  /** Give it an IPC channel: it then stops when the supervisor is gone, and may receive reports. */
  ipc?: boolean;
  /** Send it every status report (the router shows them on /health). */
  reports?: boolean;
  /** Stop order: lower stops first (routers 0, services 1, stores 2). */
  stopRank: number;
}

export type ProcessState = 'starting' | 'up' | 'restarting' | 'stopping' | 'stopped';

export interface ProcessStatus {
  state: ProcessState;
  pid: number | null;
  /** Restarts after unexpected exits since the supervisor started. */
  restarts: number;
  lastExit: { code: number | null; signal: string | null; at: string } | null;
}

/** What a supervised process with `reports` receives over IPC on every change. */
export interface SupervisorReport {
  type: 'supervisor';
  processes: Record<string, ProcessStatus>;
}

export interface Backoff {
  /** Delay before the first restart; doubled for each further consecutive one. */
  initialMs: number;
  maxMs: number;
  /** A process that served this long counts as healthy again: its next restart is quick. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000, resetAfterMs: 30_000 };

interface Entry {
  spec: ProcessSpec;
  child: ChildProcess | null;
  status: ProcessStatus;
  /** Consecutive quick failures, for the backoff. */
  failures: number;
  upSince: number | null;
  timer: NodeJS.Timeout | null;
  /** Resolves when the current child exits. */
  exited: Promise<void>;
  /** The last lines it wrote, for the error when it fails to start. */
  tail: string[];
}

export interface SupervisorOptions {
  /** A line about the supervisor's own decisions (exits, restarts, recoveries). */
  log(line: string): void;
  /** Every line a supervised process writes (stdout and stderr). */
  output(name: string, line: string): void;
  backoff?: Partial<Backoff>;
  /** How long a stopping process may take before it is killed (its own grace period plus margin). */
  stopTimeoutMs?: number;
  /** How long a (re)started process may take to become ready before it is killed and tried again. */
  startTimeoutMs?: number;
}

/**
 * Runs programs as child processes and keeps them running: a process that exits while it
 * should run is restarted after a backoff that doubles with each quick failure, and every
 * exit and recovery is logged and reported. `stop` ends them in rank order (the router before
 * the services, the services before their stores), each with SIGTERM and, past the timeout,
 * SIGKILL. Children run in their own process groups, so a terminal's Ctrl+C reaches only the
 * supervisor, which then stops them in order; those with an IPC channel stop themselves if the
 * supervisor dies.
 */
export class Supervisor {
  private readonly entries = new Map<string, Entry>();
  private readonly backoff: Backoff;
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  }

  /** Starts a process and resolves once it is ready (rejects if it exits or times out first). */
  async start(spec: ProcessSpec): Promise<void> {
    if (this.entries.has(spec.name)) throw new Error(`${spec.name} is supervised already`);
    const entry: Entry = {
      spec,
      child: null,
      status: { state: 'starting', pid: null, restarts: 0, lastExit: null },
      failures: 0,
      upSince: null,
      timer: null,
      exited: Promise.resolve(),
      tail: [],
    };
    this.entries.set(spec.name, entry);
    this.spawn(entry);
    await this.untilReady(entry, { throwOnExit: true });
  }

  status(): Record<string, ProcessStatus> {
    return Object.fromEntries([...this.entries].map(([name, entry]) => [name, { ...entry.status }]));
  }

  pid(name: string): number | null {
    return this.entries.get(name)?.status.pid ?? null;
  }

  /** Resolves when `name` is up again (after a restart), or rejects after `timeoutMs`. */
  async whenUp(name: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.entries.get(name)?.status.state !== 'up') {
      if (Date.now() > deadline) throw new Error(`${name} was not up again within ${timeoutMs / 1000} s`);
      await sleep(50);
    }
  }

  /** Stops everything, lowest rank first; nothing is restarted any more. */
  async stop(): Promise<void> {
    this.stopping = true;
    const ranks = [...new Set([...this.entries.values()].map((entry) => entry.spec.stopRank))].sort((a, b) => a - b);
    for (const rank of ranks) {
      const group = [...this.entries.values()].filter((entry) => entry.spec.stopRank === rank);
      await Promise.all(group.map((entry) => this.stopOne(entry)));
    }
  }

  private spawn(entry: Entry): void {
    const { spec } = entry;
    const child = spawn(spec.command, spec.args, {
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe', ...(spec.ipc ? (['ipc'] as const) : [])],
      detached: true,
    });
    entry.child = child;
    entry.status = { ...entry.status, state: 'starting', pid: child.pid ?? null };
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        entry.tail.push(line);
        if (entry.tail.length > 20) entry.tail.shift();
        this.options.output(spec.name, line);
      });
    }
    // An IPC channel to a child that is gone must not throw in the supervisor.
    child.on('error', (error) => this.options.log(`${spec.name}: ${error.message}`));
    entry.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited(entry, child, code, signal);
        resolve();
      });
    });
    this.report();
  }

  private exited(entry: Entry, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (entry.child !== child) return;
    entry.child = null;
    const lastExit = { code, signal, at: new Date().toISOString() };
    if (this.stopping || entry.status.state === 'stopping') {
      entry.status = { ...entry.status, state: 'stopped', pid: null, lastExit };
      this.report();
      return;
    }
    // A process that served long enough failed for a new reason: start the backoff over.
    if (entry.upSince !== null && Date.now() - entry.upSince >= this.backoff.resetAfterMs) entry.failures = 0;
    entry.upSince = null;
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** entry.failures);
    entry.failures += 1;
    entry.status = { ...entry.status, state: 'restarting', pid: null, restarts: entry.status.restarts + 1, lastExit };
    const how = signal ? `signal ${signal}` : `code ${code}`;
    this.options.log(`${entry.spec.name} exited (${how}); restart ${entry.status.restarts} in ${(delay / 1000).toFixed(1)} s`);
    this.report();
    entry.timer = setTimeout(() => {
      entry.timer = null;
      if (this.stopping) return;
      this.spawn(entry);
      void this.untilReady(entry, { throwOnExit: false }).then(
        (ready) => ready && this.options.log(`${entry.spec.name} is back (pid ${entry.status.pid}, restart ${entry.status.restarts})`),
        (error: unknown) => this.options.log(`${entry.spec.name}: ${(error as Error).message}`),
      );
    }, delay);
  }

  /** Polls readiness until ready (true) or the child exits (false, or a throw at first start). */
  private async untilReady(entry: Entry, options: { throwOnExit: boolean }): Promise<boolean> {
    const child = entry.child;
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 120_000);
    for (;;) {
      if (entry.child !== child || child === null) {
        if (options.throwOnExit) {
          throw new Error(`${entry.spec.name} exited before it was ready (${describeExit(entry.status)}):\n${entry.tail.join('\n')}`);
        }
        return false;
      }
      if (await entry.spec.ready(child.pid ?? -1).catch(() => false)) break;
      if (Date.now() > deadline) {
        const message = `${entry.spec.name} was not ready within ${(this.options.startTimeoutMs ?? 120_000) / 1000} s`;
        // Killed, it is restarted like any process that died (unless this is the first start).
        if (options.throwOnExit) {
          await this.stopOne(entry);
          throw new Error(message);
        }
        this.options.log(`${message}; killing it`);
        child.kill('SIGKILL');
        return false;
      }
      await sleep(100);
    }
    if (entry.child !== child) return false;
    entry.upSince = Date.now();
    entry.status = { ...entry.status, state: 'up' };
    this.report();
    return true;
  }

  private async stopOne(entry: Entry): Promise<void> {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    const child = entry.child;
    if (!child) {
      entry.status = { ...entry.status, state: 'stopped' };
      return;
    }
    entry.status = { ...entry.status, state: 'stopping' };
    this.report();
    child.kill('SIGTERM');
    const killed = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 25_000);
    await entry.exited;
    clearTimeout(killed);
  }

  private report(): void {
    const report: SupervisorReport = { type: 'supervisor', processes: this.status() };
    for (const entry of this.entries.values()) {
      const child = entry.child;
      if (entry.spec.reports && child?.connected) child.send(report, (error) => error && undefined);
    }
  }
}

function describeExit(status: ProcessStatus): string {
  const exit = status.lastExit;
  return exit ? (exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`) : 'no exit status';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
