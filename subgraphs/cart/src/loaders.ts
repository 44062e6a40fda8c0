import DataLoader from 'dataloader';
import type { Catalog, CatalogPrice } from './catalog.js';
import type { PromoQuote, Promotions, QuoteRequest } from './promotions.js';
import type { ShopperPreferences } from './shopper.js';
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
  /** The signed-in shopper's currency (null for a guest), asked of users at most once per request. */
  shopperCurrency(): Promise<string | null>;
}

/** Who the request is for: their token, passed on to users (preferences) and orders (promotion limits). */
export interface Shopper {
  authorization: string | undefined;
  preferences: ShopperPreferences;
}

/** Built per request (in the context function), so no cart or price outlives its request. */
export function createCartLoaders(
  repository: CartRepository,
  catalog: Catalog,
  promotions: Promotions,
  shopper: Shopper,
): CartLoaders {
  const { authorization } = shopper;
  let currency: Promise<string | null> | null = null;
  const shopperCurrency = () => (currency ??= shopper.preferences.currency(authorization));
  return {
    shopperCurrency,
    cartById: new DataLoader((ids) => repository.findByIds(ids)),
    priceByProductId: new DataLoader(async (ids) => {
      const prices = await catalog.pricesFor(ids, await shopperCurrency());
      return ids.map((id) => prices.get(id) ?? null);
    }),
    promoQuote: new DataLoader((requests) => promotions.quotes(requests, authorization), {
      cacheKeyFn: (request) => `${request.code}\u0000${request.subtotal.minor}\u0000${request.subtotal.currency}`,
    }),
  };
}
