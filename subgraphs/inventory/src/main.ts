import { loadConfigOrExit } from '@shop/config';
import { createEventBus } from '@shop/events';
import { createKeyValueStore } from '@shop/kv';
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
  // Redis with REDIS_URL (several replicas share events and subscriptions), in-process otherwise.
  const kv = createKeyValueStore({ redisUrl: config.redisUrl });
  const bus = createEventBus({
    redisUrl: config.redisUrl,
    onError: (error, event) => logger.error('event handling failed', { error, type: event?.type }),
  });
  const release = async () => {
    await bus.close();
    await kv.close();
    await database.release();
  };
  const service = await createInventorySubgraph({ ...config, databaseUrl: database.url }, { logger, kv, bus }).catch(
    async (error: unknown) => {
      await release();
      throw error;
    },
  );
  await serveUntilSignal({ service, port: config.port, logger, cleanup: release });
} catch (error) {
  logger.error('failed to start', { error });
  process.exit(1);
}
