import { readConfig } from '@shop/config';
import { createLogger } from '@shop/subgraph-kit';
import { buildProductsConfig } from '../src/config.js';
import type { ProductRepository } from '../src/repository.js';
import { createProductsSubgraph, type ProductsSubgraph } from '../src/server.js';

export interface RunningProducts {
  url: string;
  subgraph: ProductsSubgraph;
  stop(): Promise<void>;
}

/**
 * The subgraph on a free loopback port, configured from an explicit environment (never the
 * shell's, so a MONGO_URL there does not change what these tests run against).
 */
export async function startProducts(
  env: Record<string, string> = {},
  repository?: ProductRepository,
): Promise<RunningProducts> {
  const { config } = readConfig({ LOG_LEVEL: 'silent', ...env }, buildProductsConfig);
  const logger = createLogger({ service: 'products', level: 'silent' });
  const subgraph = await createProductsSubgraph(config, repository ? { logger, repository } : { logger });
  const { url } = await subgraph.listen(0, '127.0.0.1');
  return { url, subgraph, stop: () => subgraph.stop() };
}
