import { loadConfigOrExit } from '@shop/config';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildProductsConfig } from './config.js';
import { createProductsSubgraph } from './server.js';

const config = loadConfigOrExit('products', process.env, buildProductsConfig);
const logger = createLogger({ service: 'products', level: config.logLevel });

try {
  const subgraph = await createProductsSubgraph(config, { logger });
  await serveUntilSignal({ service: subgraph, port: config.port, logger });
} catch (error) {
  logger.error('failed to start', { error });
  process.exit(1);
}
