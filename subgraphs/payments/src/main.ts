import { loadConfigOrExit } from '@shop/config';
import { createEventBus } from '@shop/events';
import { resolveDatabase } from '@shop/postgres';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildPaymentsConfig } from './config.js';
import { createPaymentsSubgraph } from './server.js';

const config = loadConfigOrExit('payments', process.env, buildPaymentsConfig);
const logger = createLogger({ service: 'payments', level: config.logLevel });
const database = await resolveDatabase({ name: 'payments', databaseUrl: config.databaseUrl, log: (msg) => logger.info(msg) });
const bus = createEventBus({
  redisUrl: config.redisUrl,
  onError: (error, event) => logger.warn('event handling failed', { error, eventId: event?.id }),
});
const release = async () => {
  await bus.close();
  await database.release();
};
try {
  const service = await createPaymentsSubgraph({ ...config, databaseUrl: database.url }, { logger, bus });
  await serveUntilSignal({ service, port: config.port, logger, cleanup: release });
} catch (error) {
  logger.error('failed to start', { error });
  await release();
  process.exit(1);
}
