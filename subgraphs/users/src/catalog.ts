import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';

/** What the wishlist needs to know of a product: the products subgraph owns it. */
export interface CatalogProduct {
  name: string;
  archived: boolean;
}

/** The catalog as the wishlist sees it: null for a product it does not know. */
export interface Catalog {
  describe(productIds: readonly string[]): Promise<Map<string, CatalogProduct | null>>;
}

export class CatalogUnavailableError extends ServiceUnavailableError {
  override name = 'CatalogUnavailableError';
}

/** The products subgraph's `_entities` at `url`: ONE request per call, whatever the number of ids. */
export function createProductsCatalog(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): Catalog {
  const { credentials, ...where } = options;
  const products = createServiceClient({ service: 'Products subgraph', unavailableError: CatalogUnavailableError, ...where, as: { credentials, audience: 'products' } });
  return {
    describe: (ids) =>
      products.entitiesById('Product', 'name archivedAt', ids, (product) => {
        if (typeof product.name !== 'string') throw new Error('a product without a name');
        return { name: product.name, archived: product.archivedAt !== null && product.archivedAt !== undefined };
      }),
  };
}
