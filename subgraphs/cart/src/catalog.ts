import { fromOutput, isCurrencyCode, type Money } from '@shop/money';
import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';

/** A product's current price in integer minor units. */
export type CatalogPrice = Money;

/**
 * Where the cart gets prices and learns whether a product exists: always the catalog, never
 * the client or the store. `null` for a product the catalog does not know.
 */
export interface Catalog {
  /** In `currency` (the shopper's) when given and the catalog sells in it, else in each product's own currency. */
  pricesFor(productIds: readonly string[], currency?: string | null): Promise<Map<string, CatalogPrice | null>>;
}

export class CatalogUnavailableError extends ServiceUnavailableError {
  override name = 'CatalogUnavailableError';
}

/**
 * The products subgraph as a catalog: ONE `_entities` request per call, straight to the
 * subgraph. A product it cannot price is never guessed: an odd answer fails the whole call.
 */
export function createProductsCatalog(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): Catalog {
  const { credentials, ...where } = options;
  const products = createServiceClient({ service: 'Products subgraph', unavailableError: CatalogUnavailableError, ...where, as: { credentials, audience: 'products' } });
  return {
    pricesFor(ids, currency) {
      // Inlined, not a variable: the service client's _entities query takes representations only.
      if (currency && !isCurrencyCode(currency)) throw new Error(`not a currency code: ${JSON.stringify(currency)}`);
      const price = currency ? `price(currency: "${currency}")` : 'price';
      return products.entitiesById('Product', `${price} { amount currencyCode }`, ids, (product) => fromOutput(product.price));
    },
  };
}
