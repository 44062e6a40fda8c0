import { loadConfigOrExit } from '@shop/config';
import { createEventBus } from '@shop/events';
import { resolveDatabase } from '@shop/postgres';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildNotificationsConfig } from './config.js';
import { createNotificationsSubgraph } from './server.js';

const config = loadConfigOrExit('notifications', process.env, buildNotificationsConfig);
const logger = createLogger({ service: 'notifications', level: config.logLevel });
const database = await resolveDatabase({ name: 'notifications', databaseUrl: config.databaseUrl, log: (msg) => logger.info(msg) });
const bus = createEventBus({
  redisUrl: config.redisUrl,
  onError: (error, event) => logger.warn('event handling failed', { error, eventId: event?.id }),
});
const release = async () => {
  await bus.close();
  await database.release();
};
try {
  const service = await createNotificationsSubgraph({ ...config, databaseUrl: database.url }, { logger, bus });
  await serveUntilSignal({ service, port: config.port, logger, cleanup: release });
} catch (error) {
  logger.error('failed to start', { error });
  await release();
  process.exit(1);
}
