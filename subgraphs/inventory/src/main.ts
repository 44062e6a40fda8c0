import { loadConfigOrExit } from '@shop/config';
import { resolveDatabase } from '@shop/postgres';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildInventoryConfig } from './config.js';
import { createInventorySubgraph } from './server.js';

const config = loadConfigOrExit('inventory', process.env, buildInventoryConfig);
const logger = createLogger({ service: 'inventory', level: config.logLevel });

try {
  const database = await resolveDatabase({
    name: 'inventory',
    databaseUrl: config.databaseUrl,
    log: (msg) => logger.info(msg),
  });
  const service = await createInventorySubgraph({ ...config, databaseUrl: database.url }, { logger }).catch(
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
