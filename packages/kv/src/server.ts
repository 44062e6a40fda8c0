import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The persistence a local `redis-server` runs with when it keeps data (`dataDir`): the
 * append-only file, fsynced once a second, plus RDB snapshots, both in `dataDir`. A clean
 * stop (SIGTERM, SHUTDOWN) writes everything first, so a restart loses nothing; a crash of
 * redis-server itself loses at most the last second of writes.
 */
export const PERSISTENT_REDIS_FLAGS = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '3600 1 300 100 60 10000'];

export interface RedisServerOptions {
  port: number;
  /** Keep data here (AOF + RDB, PERSISTENT_REDIS_FLAGS); unset: nothing is written to disk. */
  dataDir?: string;
  /** Own process group, so a terminal's Ctrl+C reaches the launcher only, which stops it last. */
  detached?: boolean;
}

/** The command line of a `redis-server` on loopback, for a launcher that spawns it itself. */
export function redisServerArgs(options: RedisServerOptions): string[] {
  const persistence = options.dataDir ? ['--dir', options.dataDir, ...PERSISTENT_REDIS_FLAGS] : ['--save', '', '--appendonly', 'no'];
  return ['--port', String(options.port), '--bind', '127.0.0.1', '--protected-mode', 'no', '--loglevel', 'warning', ...persistence];
}

export interface RedisServer {
  url: string;
  port: number;
  readonly process: ChildProcess;
  /** SIGTERM: redis-server writes its data (when persistent) and exits. */
  stop(): Promise<void>;
}

/** Starts a real `redis-server` and resolves once it answers PING. */
export async function startRedisServer(options: RedisServerOptions): Promise<RedisServer> {
  if (!redisServerInstalled()) throw new Error('redis-server is not installed: `apt-get install -y redis-server`');
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn('redis-server', redisServerArgs(options), { stdio: 'ignore', detached: options.detached ?? false });
  await waitForRedis(options.port, { timeoutMs: 10_000, exited: () => child.exitCode !== null });
  return {
    url: `redis://127.0.0.1:${options.port}`,
    port: options.port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Waits until a Redis on loopback `port` answers PING. */
export async function waitForRedis(port: number, options: { timeoutMs: number; exited?: () => boolean }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!(await pingRedis(port))) {
    if (options.exited?.()) throw new Error(`redis-server on :${port} exited before it answered`);
    if (Date.now() > deadline) throw new Error(`redis-server on :${port} did not answer within ${options.timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends a raw RESP PING; true once the server answers PONG (not while it is still loading its data). */
export function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
