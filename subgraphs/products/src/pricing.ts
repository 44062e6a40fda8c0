import { convert, invertRate, money, parseRate, percentOf, scale, type Money, type Rate } from '@shop/money';
import type { DiscountDocument, ExchangeRateDocument, ProductDocument, VariantDocument } from './repository.js';

/**
 * Price rules. `repository/queries.ts` expresses the same rules as a Mongo aggregation expression
 * for price filters; `test/queries.test.ts` checks that both agree.
 */

/** Active from `startsAt` (inclusive) until `endsAt` (exclusive); a missing bound is open. */
export function isDiscountActive(discount: DiscountDocument | null, now: Date): discount is DiscountDocument {
  if (!discount) return false;
  if (discount.startsAt && discount.startsAt.getTime() > now.getTime()) return false;
  if (discount.endsAt && discount.endsAt.getTime() <= now.getTime()) return false;
  return true;
}

/** A list price less the discount (if active at `now`), never below zero. */
export function applyDiscount(listPrice: Money, discount: DiscountDocument | null, now: Date): Money {
  if (!isDiscountActive(discount, now)) return listPrice;
  const reduction = discount.type === 'PERCENTAGE' ? percentOf(listPrice, discount.value).minor : discount.value;
  return money(Math.max(0, listPrice.minor - reduction), listPrice.currency);
}

export function basePrice(product: Pick<ProductDocument, 'basePrice'>): Money {
  return money(product.basePrice.minor, product.basePrice.currency);
}

export function effectivePrice(product: Pick<ProductDocument, 'basePrice' | 'discount'>, now: Date): Money {
  return applyDiscount(basePrice(product), product.discount, now);
}

/** A variant's own list price (or the product's), less the product's active discount. */
export function variantPrice(
  product: Pick<ProductDocument, 'basePrice' | 'discount'>,
  variant: Pick<VariantDocument, 'priceMinor'>,
  now: Date,
): Money {
  const list = variant.priceMinor === null ? basePrice(product) : money(variant.priceMinor, product.basePrice.currency);
  return applyDiscount(list, product.discount, now);
}

/** The admin's exchange rates, looked up in either direction. */
export interface ExchangeRates {
  /** Units of `to` per unit of `from`: the direct rate, else the inverse of the opposite one; null without either. */
  rate(from: string, to: string): Rate | null;
  /** Every currency a rate links to `currency`, in either direction. */
  linkedTo(currency: string): string[];
}

export function exchangeRates(documents: readonly ExchangeRateDocument[]): ExchangeRates {
  const byPair = new Map(documents.map((document) => [document._id, parseRate(document.rate)]));
  return {
    rate(from, to) {
      const direct = byPair.get(`${from}:${to}`);
      if (direct) return direct;
      const opposite = byPair.get(`${to}:${from}`);
      return opposite ? invertRate(opposite) : null;
    },
    linkedTo(currency) {
      const linked = documents.flatMap((document) => (document.from === currency ? [document.to] : document.to === currency ? [document.from] : []));
      return [...new Set(linked)];
    },
  };
}

/**
 * The product's price in `currency` now: its fixed price in that currency, else its list price
 * converted at the admin's rate, less the share of it the active discount takes off the base
 * price (so a 20 % sale is 20 % off in every currency). Without a fixed price or a rate the
 * price stays in the product's own currency: `currencyCode` says so.
 */
export function priceIn(product: Pick<ProductDocument, 'basePrice' | 'discount' | 'prices'>, currency: string, rates: ExchangeRates, now: Date): Money {
  const list = basePrice(product);
  const effective = applyDiscount(list, product.discount, now);
  if (currency === list.currency) return effective;
  const fixed = product.prices?.[currency];
  const rate = rates.rate(list.currency, currency);
  const listThere = fixed !== undefined ? money(fixed, currency) : rate ? convert(list, currency, rate) : null;
  if (!listThere) return effective;
  return list.minor === 0 ? listThere : scale(listThere, effective.minor, list.minor);
}

/**
 * A variant's price in `currency` now, by the product's rules (`priceIn`): a variant without a
 * list price of its own costs what the product costs (fixed prices included); one with its own is
 * converted at the admin's rate (fixed prices are the product's), the product's discount taking
 * the same share off.
 */
export function variantPriceIn(
  product: Pick<ProductDocument, 'basePrice' | 'discount' | 'prices'>,
  variant: Pick<VariantDocument, 'priceMinor'>,
  currency: string,
  rates: ExchangeRates,
  now: Date,
): Money {
  if (variant.priceMinor === null) return priceIn(product, currency, rates, now);
  return priceIn({ basePrice: { minor: variant.priceMinor, currency: product.basePrice.currency }, discount: product.discount, prices: {} }, currency, rates, now);
}

/**
 * The product's current price in every currency it has one in: its own, each fixed price, and
 * each currency a rate converts its own into, by `priceIn` (what `price(currency:)` answers).
 * Search indexes these, so filters and facets in a shopper's currency use the same amounts.
 */
export function currentPrices(product: Pick<ProductDocument, 'basePrice' | 'discount' | 'prices'>, rates: ExchangeRates, now: Date): Money[] {
  const own = product.basePrice.currency;
  const currencies = new Set([own, ...Object.keys(product.prices ?? {}), ...rates.linkedTo(own)]);
  return [...currencies].sort().map((currency) => priceIn(product, currency, rates, now));
}
