import { fromOutput, isCurrencyCode, type Money } from '@shop/money';
import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';

/** A product's current price in integer minor units. */
export type CatalogPrice = Money;

/**
 * Where checkout gets prices: always from the catalog, never from the client or the cart.
 * `null` for a product the catalog does not know.
 */
export interface Catalog {
  /** In `currency` (the cart's) where the catalog sells in it, else in each product's own currency. */
  pricesFor(productIds: readonly string[], currency: string): Promise<Map<string, CatalogPrice | null>>;
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
      if (!isCurrencyCode(currency)) throw new Error(`not a currency code: ${JSON.stringify(currency)}`);
      return products.entitiesById('Product', `price(currency: "${currency}") { amount currencyCode }`, ids, (product) => fromOutput(product.price));
    },
  };
}
