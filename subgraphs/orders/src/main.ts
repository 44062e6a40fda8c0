import { loadConfigOrExit } from '@shop/config';
import { resolveDatabase } from '@shop/postgres';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildOrdersConfig } from './config.js';
import { createOrdersSubgraph } from './server.js';

const config = loadConfigOrExit('orders', process.env, buildOrdersConfig);
const logger = createLogger({ service: 'orders', level: config.logLevel });
const database = await resolveDatabase({ name: 'orders', databaseUrl: config.databaseUrl, log: (msg) => logger.info(msg) });
try {
  const service = await createOrdersSubgraph({ ...config, databaseUrl: database.url }, { logger });
  await serveUntilSignal({ service, port: config.port, logger, cleanup: () => database.release() });
} catch (error) {
  logger.error('failed to start', { error });
  await database.release();
  process.exit(1);
}
