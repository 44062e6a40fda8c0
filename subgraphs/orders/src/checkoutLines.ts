import { AppError, badUserInput } from '@shop/errors';
import { money, type Money } from '@shop/money';
import type { Catalog } from './catalog.js';
import type { VariantSnapshot } from './model.js';
import type { CheckoutDetails } from './storefront.js';

export const CHECKOUT_LIMITS = {
  maxItems: 50,
  minQuantity: 1,
  maxQuantity: 99,
  minKeyLength: 8,
  maxKeyLength: 100,
  maxIdLength: 200,
  maxReturnReasonLength: 500,
} as const;

/** A cart line to order: a product, in one variant when the shopper chose one. */
export interface RequestedLine {
  productId: string;
  variantId: string | null;
  quantity: number;
}

/** A line priced from the catalog, with its variant as the catalog describes it now. */
export interface PricedLine {
  productId: string;
  variant: VariantSnapshot | null;
  quantity: number;
  unitPrice: Money;
}

/** The cart's items as order lines: repeats of a line (product and variant) merged, first-seen order kept, limits checked. */
export function cartLines(cart: CheckoutDetails['cart'], cartId: string): RequestedLine[] {
  const limits = CHECKOUT_LIMITS;
  const field = 'input.cartId';
  if (!cart) throw badUserInput(`Cart ${JSON.stringify(cartId)} does not exist`, field);
  if (cart.items.length === 0) throw badUserInput('The cart is empty', field);
  const lines = new Map<string, RequestedLine>();
  for (const item of cart.items) {
    const variantId = item.variantId ?? null;
    const key = JSON.stringify([item.productId, variantId]);
    const line = lines.get(key) ?? { productId: item.productId, variantId, quantity: 0 };
    lines.set(key, { ...line, quantity: line.quantity + item.quantity });
  }
  if (lines.size > limits.maxItems) throw badUserInput(`An order may hold at most ${limits.maxItems} different products`, field);
  for (const { productId, quantity } of lines.values()) {
    if (quantity < limits.minQuantity || quantity > limits.maxQuantity) {
      throw badUserInput(`${productId}: quantity must be ${limits.minQuantity} to ${limits.maxQuantity} per product`, field);
    }
  }
  return [...lines.values()];
}

/**
 * Prices every line from the catalog (one request): a line with a variant at the variant's price
 * (its own list price or the product's, less the discount, in the cart's currency, as
 * `ProductVariant.price` answers), recording the variant as the catalog describes it; all lines
 * must share one currency.
 */
export async function priceLines(catalog: Catalog, requested: readonly RequestedLine[], cartCurrency: string): Promise<PricedLine[]> {
  const prices = await catalog.pricesFor(requested.map((line) => line.productId), cartCurrency);
  const priced = requested.map((line): PricedLine => {
    const product = prices.get(line.productId);
    const variant = line.variantId === null ? null : product?.variants?.get(line.variantId);
    if (!product || variant === undefined) {
      const what = variant === undefined && product ? `Variant ${JSON.stringify(line.variantId)} of product` : 'Product';
      throw new AppError('BAD_USER_INPUT', `${what} ${JSON.stringify(line.productId)} in the cart is no longer sold`, {
        field: 'input.cartId',
        productId: line.productId,
        ...(line.variantId === null ? {} : { variantId: line.variantId }),
      });
    }
    if (variant === null) return { productId: line.productId, variant: null, quantity: line.quantity, unitPrice: money(product.minor, product.currency) };
    const { price, ...snapshot } = variant;
    return { productId: line.productId, variant: snapshot, quantity: line.quantity, unitPrice: price };
  });
  const currency = priced[0]!.unitPrice.currency;
  const foreign = priced.find((line) => line.unitPrice.currency !== currency);
  if (foreign) {
    throw badUserInput(
      `All products of an order must have the same currency: ${JSON.stringify(foreign.productId)} is priced in ` +
        `${foreign.unitPrice.currency}, ${JSON.stringify(priced[0]!.productId)} in ${currency}`,
      'input.cartId',
    );
  }
  return priced;
}

/** Stock is kept per product: the units of each product over all its lines, in first-seen order. */
export function unitsByProduct(lines: ReadonlyArray<{ productId: string; quantity: number }>): Array<{ productId: string; quantity: number }> {
  const units = new Map<string, number>();
  for (const line of lines) units.set(line.productId, (units.get(line.productId) ?? 0) + line.quantity);
  return [...units].map(([productId, quantity]) => ({ productId, quantity }));
}

/** True when a reservation holds exactly these units per product. */
export function sameUnits(reserved: ReadonlyArray<{ productId: string; quantity: number }>, units: ReadonlyArray<{ productId: string; quantity: number }>): boolean {
  if (reserved.length !== units.length) return false;
  const quantities = new Map(reserved.map((item) => [item.productId, item.quantity]));
  return units.every((line) => quantities.get(line.productId) === line.quantity);
}
