import { loadConfigOrExit } from '@shop/config';
import { createEventBus } from '@shop/events';
import { createKeyValueStore } from '@shop/kv';
import { resolveDatabase } from '@shop/postgres';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildOrdersConfig } from './config.js';
import { createOrdersSubgraph } from './server.js';

const config = loadConfigOrExit('orders', process.env, buildOrdersConfig);
const logger = createLogger({ service: 'orders', level: config.logLevel });
const database = await resolveDatabase({ name: 'orders', databaseUrl: config.databaseUrl, log: (msg) => logger.info(msg) });
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
try {
  const service = await createOrdersSubgraph({ ...config, databaseUrl: database.url }, { logger, kv, bus });
  await serveUntilSignal({ service, port: config.port, logger, cleanup: release });
} catch (error) {
  logger.error('failed to start', { error });
  await release();
  process.exit(1);
}
