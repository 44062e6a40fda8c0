import { loadConfigOrExit, type Env, type EnvReader } from '@shop/config';
import { createEventBus, DEFAULT_RETRY } from '@shop/events';
import { createKeyValueStore } from '@shop/kv';
import { resolveDatabase, type ResolvedDatabase } from '@shop/postgres';
import { readTelemetryConfig, startTelemetry } from '@shop/telemetry';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import type { ListenTarget } from './listen.js';
import type { RunnableSubgraph, SubgraphDeps } from './subgraph.js';

export interface Service {
  listen(target: ListenTarget, host?: string): Promise<{ url: string; port: number }>;
  /** Readiness false from now on, while requests are still served (the first step of a shutdown). */
  drain?(): void;
  stop(): Promise<void>;
}

/** How a process shuts down on SIGTERM (the same for every subgraph and the router). */
export interface ShutdownConfig {
  /**
   * SHUTDOWN_DELAY_MS (default 0): how long the process stays up, unready but serving, before it
   * stops accepting, so load balancers that poll readiness (Kubernetes endpoints) stop sending first.
   */
  delayMs: number;
  /** SHUTDOWN_GRACE_MS (default 15 s): in-flight work must finish within this, or the process exits 1. */
  graceMs: number;
}

export function readShutdownConfig(env: EnvReader): ShutdownConfig {
  return {
    delayMs: env.int('SHUTDOWN_DELAY_MS', 0, { min: 0, max: 600_000 }),
    graceMs: env.int('SHUTDOWN_GRACE_MS', 15_000, { min: 1_000, max: 600_000 }),
  };
}

/**
 * EVENT_MAX_ATTEMPTS (default 12, about two minutes of backoff): tries per event, the first
 * included, before a consumer gives up on it and dead-letters it.
 */
export function readEventRetry(env: EnvReader): { maxAttempts: number } {
  return { maxAttempts: env.int('EVENT_MAX_ATTEMPTS', DEFAULT_RETRY.maxAttempts, { min: 1, max: 100 }) };
}

/**
 * Production entry helper: listen, log where, and on SIGTERM/SIGINT shut down gracefully:
 * readiness false at once, then (after `delayMs`) stop accepting, close WebSockets with a code
 * clients reconnect on, finish in-flight requests, stop consumers and relays after their current
 * event, release resources and exit 0; exit 1 if that outlasts `graceMs`. A process started by a
 * supervisor with an IPC channel does the same when the supervisor goes away. A failed start
 * exits 1 with the reason logged.
 */
export async function serveUntilSignal(options: {
  service: Service;
  port: number;
  logger: Logger;
  cleanup?: () => Promise<void>;
  shutdown?: ShutdownConfig;
}): Promise<void> {
  const { logger } = options;
  const { delayMs, graceMs } = options.shutdown ?? { delayMs: 0, graceMs: 15_000 };
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.service.drain?.();
    logger.info('shutting down', { signal, delayMs, graceMs });
    const force = setTimeout(() => {
      logger.error('shutdown took longer than its grace period, exiting', { graceMs });
      process.exit(1);
    }, delayMs + graceMs);
    force.unref();
    try {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      await options.service.stop();
      await options.cleanup?.();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error('shutdown failed', { error });
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  if (process.connected) process.once('disconnect', () => void shutdown('supervisor gone'));
  try {
    const { url } = await options.service.listen(options.port);
    logger.info('listening', { url });
  } catch (error) {
    logger.error('failed to start', { error });
    await options.service.stop().catch(() => undefined);
    await options.cleanup?.().catch(() => undefined);
    process.exit(1);
  }
}

/** The part of a subgraph's config a process needs to run it. */
export interface ProcessConfig {
  port: number;
  logLevel: LogLevel;
  /** Redis for events, caches and pub/sub; unset (development only) means in-process. */
  redisUrl?: string | undefined;
}

/**
 * How a subgraph is run, shared by its main.ts (`runSubgraph`) and the one-process stack:
 * its config reader and its factory.
 */
export interface SubgraphDefinition<TConfig extends ProcessConfig, TSubgraph extends RunnableSubgraph> {
  name: string;
  /** The only reader of the environment (validated; every problem listed). */
  config(env: EnvReader): TConfig;
  /** Needs a PostgreSQL database: `databaseUrl` is resolved (created when missing) before `create`. */
  postgres: boolean;
  create(config: TConfig, deps: SubgraphDeps): Promise<TSubgraph>;
}

/**
 * A subgraph's production main: reads its config (exit 1 listing every problem), traces when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, logs as JSON,
 * resolves its database (`DATABASE_URL`, else outside production an embedded PostgreSQL under
 * `.data/standalone/`), takes the event bus and key-value store from `REDIS_URL` (in-process
 * without it), then serves on `PORT` until SIGTERM/SIGINT, and releases all of it on the way out.
 */
export async function runSubgraph<TConfig extends ProcessConfig, TSubgraph extends RunnableSubgraph>(
  definition: SubgraphDefinition<TConfig, TSubgraph>,
  options: { env?: Env; onListening?: (subgraph: TSubgraph, config: TConfig, logger: Logger) => void } = {},
): Promise<void> {
  const { name } = definition;
  const config = loadConfigOrExit(name, options.env ?? process.env, definition.config);
  const shutdown = loadConfigOrExit(name, options.env ?? process.env, readShutdownConfig);
  // First, so that every span the subgraph makes from here on is exported.
  const telemetry = await startTelemetry({ serviceName: name, config: loadConfigOrExit(name, options.env ?? process.env, readTelemetryConfig) });
  const logger = createLogger({ service: name, level: config.logLevel });
  if (config.redisUrl === undefined) logger.warn('REDIS_URL is not set: events, caches and pub/sub stay in this process (development only)');
  const bus = createEventBus({
    redisUrl: config.redisUrl,
    retry: loadConfigOrExit(name, options.env ?? process.env, readEventRetry),
    onError: (error, event) => logger.warn('event handling failed', { error, eventId: event?.id, type: event?.type }),
    onDeadLetter: (letter) =>
      logger.error('event dead-lettered after its last try: `npm run admin -- events dead-letters`', {
        group: letter.group,
        eventId: letter.event.id,
        type: letter.event.type,
        attempts: letter.attempts,
        error: letter.error,
      }),
  });
  // One prefix per subgraph, so subgraphs sharing a Redis never share keys (as in the one-process stack).
  const kv = createKeyValueStore({ redisUrl: config.redisUrl, keyPrefix: `${name}:` });
  let database: ResolvedDatabase | undefined;
  const release = async () => {
    await Promise.all([bus.close(), kv.close()]);
    await database?.release();
    await telemetry?.shutdown();
  };

  let subgraph: TSubgraph;
  try {
    if (definition.postgres) {
      const databaseUrl = (config as { databaseUrl?: string }).databaseUrl;
      database = await resolveDatabase({ name, databaseUrl, log: (msg) => logger.info(msg) });
    }
    subgraph = await definition.create(database ? { ...config, databaseUrl: database.url } : config, { logger, bus, kv });
  } catch (error) {
    logger.error('failed to start', { error });
    await release().catch(() => undefined);
    process.exit(1);
  }
  await serveUntilSignal({ service: subgraph, port: config.port, logger, cleanup: release, shutdown });
  options.onListening?.(subgraph, config, logger);
}
