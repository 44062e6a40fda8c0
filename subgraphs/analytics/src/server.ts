import { createMemoryBus, type EventBus } from '@shop/events';
import { createPostgres, migrateToLatest, type QueryStats } from '@shop/postgres';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import type { AnalyticsConfig } from './config.js';
import { consumeEvents } from './consumer.js';
import type { AnalyticsContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import type { AnalyticsDatabase } from './db/schema.js';
import { resolvers } from './resolvers.js';
import { createAnalyticsService } from './service.js';

export interface AnalyticsSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops the event consumer, drains the HTTP server and closes the database pool. */
  stop(): Promise<void>;
  /** SQL statements sent by this subgraph, for tests and benchmarks. */
  sqlStats: QueryStats;
}

export interface AnalyticsSubgraphOptions {
  logger?: Logger;
  /** Where order and payment events come from; an in-process bus (closed on stop) by default. */
  bus?: EventBus;
}

/**
 * Migrates the database, starts the event consumer and wires the GraphQL server.
 * `config.databaseUrl` must be set (main.ts resolves an embedded one in development).
 */
export async function createAnalyticsSubgraph(config: AnalyticsConfig, options: AnalyticsSubgraphOptions = {}): Promise<AnalyticsSubgraph> {
  if (!config.databaseUrl) throw new Error('createAnalyticsSubgraph needs config.databaseUrl (see resolveDatabase)');
  const logger = options.logger ?? createLogger({ service: 'analytics', level: config.logLevel });
  const postgres = createPostgres<AnalyticsDatabase>({ url: config.databaseUrl });
  try {
    const applied = await migrateToLatest(postgres.db, migrations);
    if (applied.length > 0) logger.info('migrated', { applied });
  } catch (error) {
    await postgres.destroy();
    throw error;
  }

  const ownBus = options.bus ? null : createMemoryBus({ onError: (error, event) => logger.warn('event handler failed', { error, eventId: event.id }) });
  const bus = options.bus ?? ownBus!;
  const stopAll = async (...parts: Array<(() => Promise<void>) | undefined>) => {
    for (const part of parts) await part?.().catch((error: unknown) => logger.error('stopping failed', { error }));
  };
  let consumer;
  try {
    consumer = await consumeEvents({ bus, db: postgres.db, logger });
  } catch (error) {
    await stopAll(ownBus ? () => ownBus.close() : undefined, () => postgres.destroy());
    throw error;
  }

  const service = createAnalyticsService({ db: postgres.db, storeCurrency: config.storeCurrency });
  const server = createSubgraphServer<AnalyticsContext>({
    name: 'analytics',
    typeDefs: loadSchema(import.meta.url),
    resolvers,
    context: (base) => ({ ...base, analytics: service }),
    jwtSecret: config.jwtSecret,
    logger,
    readiness: () => postgres.ping(),
  });

  let stopped: Promise<void> | null = null;
  return {
    listen: (port, host) => server.listen(port, host),
    stop() {
      stopped ??= stopAll(
        () => consumer.stop(),
        () => server.stop(),
        ownBus ? () => ownBus.close() : undefined,
        () => postgres.destroy(),
      );
      return stopped;
    },
    sqlStats: postgres.stats,
  };
}
