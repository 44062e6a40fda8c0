import DataLoader from 'dataloader';
import type { Catalog, CatalogPrice } from './catalog.js';
import type { PromoQuote, Promotions, QuoteRequest } from './promotions.js';
import type { Cart } from './model.js';
import type { CartRepository } from './repository.js';

export interface CartLoaders {
  /** Carts by id: one `getMany` round trip per batch. */
  cartById: DataLoader<string, Cart | null>;
  /**
   * Current prices by product id: one `_entities` request to products for every product of
   * every cart resolved in the same tick, and each product asked at most once per request.
   */
  priceByProductId: DataLoader<string, CatalogPrice | null>;
  /** What a code is worth for a subtotal: one call to orders for every cart of the request. */
  promoQuote: DataLoader<QuoteRequest, PromoQuote, string>;
}

/** Built per request (in the context function), so no cart or price outlives its request. */
export function createCartLoaders(
  repository: CartRepository,
  catalog: Catalog,
  promotions: Promotions,
  authorization: string | undefined,
): CartLoaders {
  return {
    cartById: new DataLoader((ids) => repository.findByIds(ids)),
    priceByProductId: new DataLoader(async (ids) => {
      const prices = await catalog.pricesFor(ids);
      return ids.map((id) => prices.get(id) ?? null);
    }),
    promoQuote: new DataLoader((requests) => promotions.quotes(requests, authorization), {
      cacheKeyFn: (request) => `${request.code}\u0000${request.subtotal.minor}\u0000${request.subtotal.currency}`,
    }),
  };
}
