import { createMemoryBus, type EventBus } from '@shop/events';
import { createPostgres, migrateToLatest, type QueryStats } from '@shop/postgres';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import type { NotificationsConfig } from './config.js';
import { consumeEvents } from './consumer.js';
import type { NotificationsContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import type { NotificationsDatabase } from './db/schema.js';
import { createNotificationsLoaders } from './loaders.js';
import { createSmtpMailer, type Mailer } from './mailer.js';
import { createUsersDirectory, type RecipientDirectory } from './recipientDirectory.js';
import { createNotificationsRepository } from './repository.js';
import { resolvers } from './resolvers.js';
import { startSender, type Sender } from './sender.js';
import { createNotificationsService } from './service.js';

export interface NotificationsSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops the consumer and the sender, drains the HTTP server, closes the mailer and the database pool. */
  stop(): Promise<void>;
  /** SQL statements sent for requests and events (not the sender's own pool), for N+1 tests and benchmarks. */
  sqlStats: QueryStats;
}

export interface NotificationsSubgraphOptions {
  logger?: Logger;
  /** Where order, payment and shipment events come from; an in-process bus (closed on stop) by default. */
  bus?: EventBus;
  /** Replaces the users subgraph's `_entities` at `config.usersUrl` as the source of recipients. */
  directory?: RecipientDirectory;
  /** Replaces the SMTP mailer built from `config.smtpUrl` (and sends even without one). */
  mailer?: Mailer;
}

/**
 * Migrates the database, starts the event consumer and (with a mailer) the sender, and wires
 * the GraphQL server. `config.databaseUrl` must be set (main.ts resolves an embedded one in
 * development).
 */
export async function createNotificationsSubgraph(
  config: NotificationsConfig,
  options: NotificationsSubgraphOptions = {},
): Promise<NotificationsSubgraph> {
  if (!config.databaseUrl) throw new Error('createNotificationsSubgraph needs config.databaseUrl (see resolveDatabase)');
  const logger = options.logger ?? createLogger({ service: 'notifications', level: config.logLevel });
  const postgres = createPostgres<NotificationsDatabase>({ url: config.databaseUrl });
  try {
    const applied = await migrateToLatest(postgres.db, migrations);
    if (applied.length > 0) logger.info('migrated', { applied });
  } catch (error) {
    await postgres.destroy();
    throw error;
  }

  const mailer = options.mailer ?? (config.smtpUrl ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom }) : null);
  if (!mailer) logger.warn('SMTP_URL is not set: messages are stored (status SKIPPED) and readable through the API, but not sent');
  const ownBus = options.bus ? null : createMemoryBus({ onError: (error, event) => logger.warn('event handler failed', { error, eventId: event.id }) });
  const bus = options.bus ?? ownBus!;
  const repository = createNotificationsRepository(postgres.db);
  // The sender has a small pool of its own: it holds row locks while the mail server answers,
  // which must not starve requests of connections (and its polling stays out of `sqlStats`).
  const senderPostgres = mailer ? createPostgres<NotificationsDatabase>({ url: config.databaseUrl, maxConnections: 2 }) : null;
  const sender: Sender | null =
    mailer && senderPostgres
      ? startSender({
          repository: createNotificationsRepository(senderPostgres.db),
          mailer,
          logger,
          maxAttempts: config.mailMaxAttempts,
          retryBaseMs: config.mailRetryBaseMs,
        })
      : null;
  const service = createNotificationsService({
    repository,
    directory: options.directory ?? createUsersDirectory({ url: config.usersUrl, jwtSecret: config.jwtSecret }),
    canSend: mailer !== null,
    queued: () => sender?.wake(),
    logger,
  });

  const stopStarted = async (...parts: Array<(() => Promise<void>) | undefined>) => {
    for (const part of parts) await part?.().catch((error: unknown) => logger.error('stopping failed', { error }));
  };
  let consumer;
  try {
    consumer = await consumeEvents({ bus, service });
  } catch (error) {
    await stopStarted(
      sender ? () => sender.stop() : undefined,
      mailer ? () => mailer.close() : undefined,
      ownBus ? () => ownBus.close() : undefined,
      senderPostgres ? () => senderPostgres.destroy() : undefined,
      () => postgres.destroy(),
    );
    throw error;
  }

  const server = createSubgraphServer<NotificationsContext>({
    name: 'notifications',
    typeDefs: loadSchema(import.meta.url),
    resolvers,
    context: (base) => ({ ...base, loaders: createNotificationsLoaders(repository), notifications: service }),
    jwtSecret: config.jwtSecret,
    logger,
    readiness: () => postgres.ping(),
  });

  let stopped: Promise<void> | null = null;
  return {
    listen: (port, host) => server.listen(port, host),
    stop() {
      stopped ??= stopStarted(
        () => consumer.stop(),
        sender ? () => sender.stop() : undefined,
        () => server.stop(),
        mailer ? () => mailer.close() : undefined,
        ownBus ? () => ownBus.close() : undefined,
        senderPostgres ? () => senderPostgres.destroy() : undefined,
        () => postgres.destroy(),
      );
      return stopped;
    },
    sqlStats: postgres.stats,
  };
}
