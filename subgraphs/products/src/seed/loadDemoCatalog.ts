import type { Logger } from '@shop/subgraph-kit';
import { DuplicateKeyError, type ProductRepository } from '../repository.js';
import { generateDemoCatalog } from './demoCatalog.js';

/**
 * Loads the demo catalog into an empty store; a store holding anything is left alone, so a
 * real catalog is never mixed with demo data. Returns whether it loaded.
 */
export async function loadDemoCatalog(repository: ProductRepository, logger: Logger): Promise<boolean> {
  if (!(await repository.isEmpty())) {
    logger.debug('catalog not empty, demo catalog not loaded');
    return false;
  }
  const { categories, products } = generateDemoCatalog();
  try {
    await repository.insertCategories(categories);
    await repository.insertProducts(products);
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
