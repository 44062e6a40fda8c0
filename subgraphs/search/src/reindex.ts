import { pathToFileURL } from 'node:url';
import { loadConfigOrExit } from '@shop/config';
import { createLogger, createServiceCredentials, serviceKeyRing, type Logger } from '@shop/subgraph-kit';
import { buildSearchConfig, type SearchConfig } from './config.js';
import type { IndexOperation, SearchRepository } from './repository.js';
import { createElasticsearchRepository } from './repository/elasticsearch.js';
import { ProductsUnavailableError, readProductSnapshots, type SourceIdentity } from './productsSource.js';
import { SnapshotError, toIndexedProduct } from './snapshot.js';

export interface ReindexResult {
  /** Products written from the source. */
  indexed: number;
  /** Products products sent in a shape search cannot index (logged). */
  skipped: number;
  /** Products that were searchable but are no longer listed by products. */
  unlisted: number;
  /** Stock flags written: one per indexed product when the source serves stock (the router), else 0. */
  stockFlags: number;
}

/**
 * Rebuilds the index from `sourceUrl` (the products subgraph, or the router's supergraph
 * endpoint): every listed product is written (versioned by when its page was read, so an event
 * about a later change still wins, and an earlier one loses), then whatever the pass neither
 * saw nor saw changed is hidden. Events may keep flowing meanwhile. When the source serves
 * stock (the router), each product's stock flag is written too, versioned the same way against
 * `stock.changed` events; otherwise stock flags are left as inventory's events set them.
 */
export async function reindexFromProducts(options: {
  repository: SearchRepository;
  sourceUrl: string;
  as: SourceIdentity;
  logger: Logger;
  pageSize?: number;
  signal?: AbortSignal;
}): Promise<ReindexResult> {
  const { repository, logger } = options;
  const startedAt = Date.now();
  let indexed = 0;
  let skipped = 0;
  let stockFlags = 0;
  for await (const page of readProductSnapshots({ url: options.sourceUrl, as: options.as, pageSize: options.pageSize, signal: options.signal })) {
    const operations: IndexOperation[] = [];
    for (const snapshot of page.snapshots) {
      try {
        const { product, listed } = toIndexedProduct(snapshot);
        operations.push({ kind: 'product', product, listed, version: page.readAt });
        const inStock = page.inStock?.get(product.id);
        if (inStock !== undefined) {
          operations.push({ kind: 'stock', id: product.id, inStock, version: page.readAt });
          stockFlags += 1;
        }
      } catch (error) {
        if (!(error instanceof SnapshotError)) throw error;
        skipped += 1;
        logger.warn('skipped a product search cannot index', { productId: snapshot.id, reason: error.message });
      }
    }
    await repository.apply(operations);
    indexed += operations.filter((op) => op.kind === 'product').length;
  }
  const unlisted = await repository.unlistOlderThan(startedAt);
  await repository.refresh();
  return { indexed, skipped, unlisted, stockFlags };
}

/**
 * On start: when the index started empty (always, for the embedded repository), fills it from
 * `sourceUrl`, retrying while the source does not answer (it may be starting too). Never
 * throws: without it the index still fills from events, so a warning is enough.
 */
export async function rebuildOnStart(options: {
  repository: SearchRepository;
  sourceUrl: string;
  as: SourceIdentity;
  logger: Logger;
  signal: AbortSignal;
  /** How long to keep trying while products does not answer. */
  retryForMs?: number;
}): Promise<void> {
  const { repository, logger, signal } = options;
  const deadline = Date.now() + (options.retryForMs ?? 120_000);
  try {
    if (repository.kind !== 'embedded' && (await repository.countListed()) > 0) return;
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        const result = await reindexFromProducts({ repository, sourceUrl: options.sourceUrl, as: options.as, logger, signal });
        logger.info('search index rebuilt from products', { ...result, sourceUrl: options.sourceUrl });
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (!(error instanceof ProductsUnavailableError) || Date.now() >= deadline) throw error;
        logger.debug('products not answering yet, retrying', { attempt, reason: error.message });
        await sleep(Math.min(5_000, 250 * 2 ** attempt), signal);
      }
    }
  } catch (error) {
    logger.warn('search index not rebuilt from products: it fills from product events only (run `npm run reindex` later)', {
      sourceUrl: options.sourceUrl,
      reason: (error as Error).message,
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Who a rebuild source is: the products subgraph at PRODUCTS_URL, otherwise the router (REINDEX_SOURCE_URL). */
export function sourceAudience(config: Pick<SearchConfig, 'productsUrl'>, sourceUrl: string): string {
  return sourceUrl === config.productsUrl ? 'products' : 'router';
}

/** `npm run reindex`: rebuilds the Elasticsearch index named by the environment, then exits. */
async function main(): Promise<void> {
  const config = loadConfigOrExit('search-reindex', process.env, buildSearchConfig);
  const logger = createLogger({ service: 'search-reindex', level: config.logLevel });
  if (config.elasticsearchUrl === undefined) {
    process.stderr.write(
      'search-reindex: ELASTICSEARCH_URL is not set. The embedded index lives inside the running search subgraph, ' +
        'which rebuilds it from REINDEX_SOURCE_URL (default PRODUCTS_URL) on every start; set ELASTICSEARCH_URL to rebuild an Elasticsearch index.\n',
    );
    process.exit(1);
  }
  const repository = await createElasticsearchRepository({ url: config.elasticsearchUrl, index: config.elasticsearchIndex });
  try {
    const keys = await serviceKeyRing('search', config.servicePrivateKey, (message) => logger.warn(message));
    const as = { credentials: createServiceCredentials({ name: 'search', key: keys.signing }), audience: sourceAudience(config, config.reindexSourceUrl) };
    const result = await reindexFromProducts({ repository, sourceUrl: config.reindexSourceUrl, as, logger });
    logger.info('search index rebuilt from products', { ...result, index: config.elasticsearchIndex, sourceUrl: config.reindexSourceUrl });
  } finally {
    await repository.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`search-reindex failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
