import { loadConfigOrExit } from '@shop/config';
import { resolveDatabase } from '@shop/postgres';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildShippingConfig } from './config.js';
import { createShippingSubgraph } from './server.js';

const config = loadConfigOrExit('shipping', process.env, buildShippingConfig);
const logger = createLogger({ service: 'shipping', level: config.logLevel });

try {
  const database = await resolveDatabase({
    name: 'shipping',
    databaseUrl: config.databaseUrl,
    log: (msg) => logger.info(msg),
  });
  const service = await createShippingSubgraph({ ...config, databaseUrl: database.url }, { logger }).catch(
    async (error: unknown) => {
      await database.release();
      throw error;
    },
  );
  await serveUntilSignal({ service, port: config.port, logger, cleanup: () => database.release() });
} catch (error) {
  logger.error('failed to start', { error });
  process.exit(1);
}
