import { loadConfigOrExit } from '@shop/config';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildRouterConfig } from './config.js';
import { createRouter } from './server.js';
import { readSupergraph, subgraphsOf } from './supergraph.js';

const config = loadConfigOrExit('router', process.env, (env) => buildRouterConfig(env, process.env));
const logger = createLogger({ service: 'router', level: config.logLevel });

try {
  const supergraphSdl = await readSupergraph(config.supergraphPath);
  const router = createRouter({
    supergraphSdl,
    logger,
    subgraphUrls: config.subgraphUrls,
    introspection: config.introspection,
  });
  logger.info('supergraph loaded', {
    path: config.supergraphPath,
    subgraphs: subgraphsOf(supergraphSdl).map((s) => `${s.name}=${config.subgraphUrls[s.name] ?? s.url}`),
  });
  await serveUntilSignal({ service: router, port: config.port, logger });
} catch (error) {
  logger.error('router failed to start', { error: (error as Error).message });
  process.exit(1);
}
