import { fromOutput, isCurrencyCode, type Money } from '@shop/money';
import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';

/**
 * A product's current price in integer minor units and, for a product sold in several forms
 * (sizes, colours), each variant's current price by variant id, as products' `ProductVariant.price`
 * answers it. Absent `variants`: the product is sold in one form.
 */
export type CatalogPrice = Money & { readonly variants?: ReadonlyMap<string, Money> };

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
 * subgraph, for the products and their variants together. A product it cannot price is never
 * guessed: an odd answer fails the whole call.
 */
export function createProductsCatalog(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): Catalog {
  const { credentials, ...where } = options;
  const products = createServiceClient({ service: 'Products subgraph', unavailableError: CatalogUnavailableError, ...where, as: { credentials, audience: 'products' } });
  return {
    pricesFor(ids, currency) {
      // Inlined, not a variable: the service client's _entities query takes representations only.
      if (currency && !isCurrencyCode(currency)) throw new Error(`not a currency code: ${JSON.stringify(currency)}`);
      const price = currency ? `price(currency: "${currency}")` : 'price';
      return products.entitiesById('Product', `${price} { amount currencyCode } variants { id ${price} { amount currencyCode } }`, ids, parseCatalogPrice);
    },
  };
}

/** A Product entity (`price` and `variants { id price }`) as a `CatalogPrice`; throws on anything odd. */
function parseCatalogPrice(product: Record<string, unknown>): CatalogPrice {
  const price = fromOutput(product.price);
  const variants = product.variants ?? [];
  if (!Array.isArray(variants)) throw new Error('variants is not a list');
  if (variants.length === 0) return price;
  const byId = new Map<string, Money>();
  for (const variant of variants as Array<{ id?: unknown; price?: unknown }>) {
    if (typeof variant?.id !== 'string') throw new Error('a variant has no id');
    byId.set(variant.id, fromOutput(variant.price));
  }
  return { ...price, variants: byId };
}
