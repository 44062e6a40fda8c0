import { createPostgresSubgraph, loadSchema, startPrivacyParticipant, type PostgresSubgraph, type SubgraphDefinition, type SubgraphDeps } from '@shop/subgraph-kit';
import { buildNotificationsConfig, type NotificationsConfig } from './config.js';
import { consumeEvents } from './consumer.js';
import type { NotificationsContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import type { NotificationsDatabase } from './db/schema.js';
import { createNotificationsLoaders } from './loaders.js';
import { createSmtpMailer, type Mailer } from './mailer.js';
import { createUsersDirectory, type RecipientDirectory } from './recipientDirectory.js';
import { createNotificationsRepository } from './repository.js';
import { createResolvers } from './resolvers.js';
import { startSender } from './sender.js';
import { createNotificationsService } from './service.js';
import { createNotificationsPrivacy } from './privacyRepository.js';

export type NotificationsSubgraph = PostgresSubgraph;

export interface NotificationsSubgraphOptions extends SubgraphDeps {
  /** Replaces the users subgraph's `_entities` at `config.usersUrl` as the source of recipients. */
  directory?: RecipientDirectory;
  /** Replaces the SMTP mailer built from `config.smtpUrl` (and sends even without one). */
  mailer?: Mailer;
}

/**
 * Consumes order, payment and shipment events into stored messages; with a mailer, the sender
 * delivers them (on the background pool: it holds row locks while the mail server answers).
 */
export function createNotificationsSubgraph(config: NotificationsConfig, options: NotificationsSubgraphOptions = {}): Promise<NotificationsSubgraph> {
  const { directory, mailer: givenMailer, ...deps } = options;
  return createPostgresSubgraph<NotificationsDatabase, NotificationsContext>({
    name: 'notifications',
    typeDefs: loadSchema(import.meta.url),
    config,
    deps,
    migrations,
    async wire({ db, background, bus, logger, worker, resource, serviceCredentials }) {
      const mailer = givenMailer ?? (config.smtpUrl ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom }) : null);
      if (mailer) resource(() => mailer.close());
      else logger.warn('SMTP_URL is not set: messages are stored (status SKIPPED) and readable through the API, but not sent');
      const repository = createNotificationsRepository(db);
      const sender = mailer
        ? worker(
            startSender({
              repository: createNotificationsRepository(background),
              mailer,
              logger,
              maxAttempts: config.mailMaxAttempts,
              retryBaseMs: config.mailRetryBaseMs,
            }),
          )
        : null;
      const service = createNotificationsService({
        repository,
        directory: directory ?? createUsersDirectory({ url: config.usersUrl, credentials: await serviceCredentials() }),
        canSend: mailer !== null,
        queued: () => sender?.wake(),
        logger,
      });
      worker(await consumeEvents({ bus, service }));
      worker(await startPrivacyParticipant({ bus, service: 'notifications', participant: createNotificationsPrivacy(background), logger }));
      return {
        resolvers: createResolvers(service),
        context: (base) => ({ ...base, loaders: createNotificationsLoaders(repository) }),
      };
    },
  });
}

export const notifications: SubgraphDefinition<NotificationsConfig, NotificationsSubgraph> = {
  name: 'notifications',
  config: buildNotificationsConfig,
  postgres: true,
  create: createNotificationsSubgraph,
};
