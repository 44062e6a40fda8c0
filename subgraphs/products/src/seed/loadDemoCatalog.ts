import type { Logger } from '@shop/subgraph-kit';
import { DuplicateKeyError, type ProductRepository } from '../repository.js';
import { pendingEvent } from '../events.js';
import { generateDemoCatalog } from './demoCatalog.js';

/**
 * Loads the demo catalog into an empty store; a store holding anything is left alone, so a
 * real catalog is never mixed with demo data. Returns whether it loaded. Each product announces
 * itself with `product.created`, like any other new product, so search can index the catalog.
 */
export async function loadDemoCatalog(repository: ProductRepository, logger: Logger): Promise<boolean> {
  if (!(await repository.isEmpty())) {
    logger.debug('catalog not empty, demo catalog not loaded');
    return false;
  }
  const { categories, products } = generateDemoCatalog();
  try {
    await repository.insertCategories(categories);
    const now = new Date();
    await repository.insertProducts(products.map((product) => ({ ...product, pendingEvents: [pendingEvent('product.created', now)] })));
  } catch (error) {
    // Two replicas starting at once against one MongoDB: the other one got there first.
    if (error instanceof DuplicateKeyError) {
      logger.warn('demo catalog was being loaded concurrently, keeping what is there', { reason: error.message });
      return false;
    }
    throw error;
  }
  logger.info('demo catalog loaded', { categories: categories.length, products: products.length });
  return true;
}
