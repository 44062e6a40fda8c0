import { loadConfigOrExit } from '@shop/config';
import { createEventBus } from '@shop/events';
import { resolveDatabase, type ResolvedDatabase } from '@shop/postgres';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildShippingConfig } from './config.js';
import { createShippingSubgraph } from './server.js';

const config = loadConfigOrExit('shipping', process.env, buildShippingConfig);
const logger = createLogger({ service: 'shipping', level: config.logLevel });
const bus = createEventBus({
  redisUrl: config.redisUrl,
  onError: (error, event) => logger.warn('event handling failed', { error, eventId: event?.id }),
});
let database: ResolvedDatabase | undefined;
const release = async () => {
  await bus.close();
  await database?.release();
};

try {
  database = await resolveDatabase({ name: 'shipping', databaseUrl: config.databaseUrl, log: (msg) => logger.info(msg) });
  const service = await createShippingSubgraph({ ...config, databaseUrl: database.url }, { logger, bus });
  await serveUntilSignal({ service, port: config.port, logger, cleanup: release });
} catch (error) {
  logger.error('failed to start', { error });
  await release().catch(() => undefined);
  process.exit(1);
}
