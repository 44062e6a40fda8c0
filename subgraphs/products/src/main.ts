import { loadConfigOrExit } from '@shop/config';
import { createEventBus } from '@shop/events';
import { createKeyValueStore } from '@shop/kv';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildProductsConfig } from './config.js';
import { createProductsSubgraph } from './server.js';

const config = loadConfigOrExit('products', process.env, buildProductsConfig);
const logger = createLogger({ service: 'products', level: config.logLevel });

if (config.redisUrl === undefined) {
  logger.warn('REDIS_URL is not set: the product cache and the event bus are in-process (development only)');
}
const kv = createKeyValueStore({ redisUrl: config.redisUrl });
const bus = createEventBus({
  redisUrl: config.redisUrl,
  onError: (error, event) => logger.warn('event bus error', { error, type: event?.type }),
});
const release = async () => {
  await Promise.all([kv.close(), bus.close()]);
};

try {
  const subgraph = await createProductsSubgraph(config, { logger, kv, bus });
  await serveUntilSignal({ service: subgraph, port: config.port, logger, cleanup: release });
} catch (error) {
  logger.error('failed to start', { error });
  await release().catch(() => undefined);
  process.exit(1);
}
