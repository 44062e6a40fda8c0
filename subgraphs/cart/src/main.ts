import { loadConfigOrExit } from '@shop/config';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildCartConfig } from './config.js';
import { createCartSubgraph } from './server.js';

const config = loadConfigOrExit('cart', process.env, buildCartConfig);
const logger = createLogger({ service: 'cart', level: config.logLevel });

try {
  const service = await createCartSubgraph(config, { logger });
  await serveUntilSignal({ service, port: config.port, logger });
} catch (error) {
  logger.error('failed to start', { error });
  process.exit(1);
}
