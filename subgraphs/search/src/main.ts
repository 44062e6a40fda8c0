import { loadConfigOrExit } from '@shop/config';
import { createLogger, serveUntilSignal } from '@shop/subgraph-kit';
import { buildSearchConfig } from './config.js';
import { rebuildOnStart } from './reindex.js';
import { createSearchSubgraph, type SearchSubgraph } from './server.js';

const config = loadConfigOrExit('search', process.env, buildSearchConfig);
const logger = createLogger({ service: 'search', level: config.logLevel });

let subgraph: SearchSubgraph;
try {
  subgraph = await createSearchSubgraph(config, { logger });
} catch (error) {
  logger.error('failed to start', { error });
  process.exit(1);
}

// In the background: searches are served (from events only) while the source is still starting.
const rebuildAbort = new AbortController();
const rebuild = rebuildOnStart({ engine: subgraph.engine, sourceUrl: config.reindexSourceUrl, logger, signal: rebuildAbort.signal });

await serveUntilSignal({
  service: {
    listen: (port, host) => subgraph.listen(port, host),
    async stop() {
      rebuildAbort.abort();
      await rebuild;
      await subgraph.stop();
    },
  },
  port: config.port,
  logger,
});
