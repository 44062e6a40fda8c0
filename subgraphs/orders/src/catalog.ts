import { fromOutput, isCurrencyCode, type Money } from '@shop/money';
import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';
import type { VariantSnapshot } from './model.js';

/** A variant as checkout records it: what the catalog calls it and what one unit costs now. */
export interface CatalogVariant extends VariantSnapshot {
  price: Money;
}

/**
 * A product's current price in integer minor units and, for a product sold in several forms
 * (sizes, colours), each variant by id, priced as products' `ProductVariant.price` answers.
 * Absent `variants`: the product is sold in one form.
 */
export type CatalogPrice = Money & { readonly variants?: ReadonlyMap<string, CatalogVariant> };

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
 * subgraph, for the products and their variants together. A product it cannot price is never
 * guessed: an odd answer fails the whole call.
 */
export function createProductsCatalog(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): Catalog {
  const { credentials, ...where } = options;
  const products = createServiceClient({ service: 'Products subgraph', unavailableError: CatalogUnavailableError, ...where, as: { credentials, audience: 'products' } });
  return {
    pricesFor(ids, currency) {
      // Inlined, not a variable: the service client's _entities query takes representations only.
      if (!isCurrencyCode(currency)) throw new Error(`not a currency code: ${JSON.stringify(currency)}`);
      const price = `price(currency: "${currency}") { amount currencyCode }`;
      return products.entitiesById('Product', `${price} variants { id sku name size color ${price} }`, ids, parseCatalogPrice);
    },
  };
}

/** A Product entity (`price` and `variants`) as a `CatalogPrice`; throws on anything odd. */
function parseCatalogPrice(product: Record<string, unknown>): CatalogPrice {
  const price = fromOutput(product.price);
  const variants = product.variants ?? [];
  if (!Array.isArray(variants)) throw new Error('variants is not a list');
  if (variants.length === 0) return price;
  const byId = new Map<string, CatalogVariant>();
  for (const variant of variants as Array<Record<string, unknown>>) {
    const { id, sku, name, size = null, color = null } = variant ?? {};
    if (typeof id !== 'string' || typeof sku !== 'string' || typeof name !== 'string') throw new Error('a variant has no id, SKU or name');
    if ((size !== null && typeof size !== 'string') || (color !== null && typeof color !== 'string')) throw new Error(`variant ${id} has an odd size or colour`);
    byId.set(id, { id, sku, name, size, color, price: fromOutput(variant.price) });
  }
  return { ...price, variants: byId };
}
