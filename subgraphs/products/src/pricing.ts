import { money, percentOf, type Money } from '@shop/money';
import type { DiscountDocument, ProductDocument, VariantDocument } from './repository.js';

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
