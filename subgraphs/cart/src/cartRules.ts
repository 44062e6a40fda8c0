import { badUserInput, conflict } from '@shop/errors';
import { money, multiply, sum, type Money } from '@shop/money';
import type { CatalogPrice } from './catalog.js';
import { CART_LIMITS, EMPTY_CART_CURRENCY, type Cart, type CartLine, type PricedLine } from './model.js';

/**
 * The cart's rules, pure: no I/O, so every edge is unit-tested and all mutations share them.
 * Each change takes the catalog's current prices (null: unknown product) and the time, and
 * returns the next cart, or the same object when nothing changes. Lines whose product the
 * catalog no longer knows are dropped by every change, as they are hidden from every read.
 */

export type Prices = ReadonlyMap<string, CatalogPrice | null>;

export function emptyCart(id: string, userId: string | null, now: string): Cart {
  return { id, userId, version: 0, lines: [], mergedCartIds: [], createdAt: now, updatedAt: now };
}

export function assertProductId(productId: string): void {
  if (productId.trim() === '' || productId.length > CART_LIMITS.maxProductIdLength) {
    throw badUserInput('productId must be a product id', 'productId');
  }
}

/** `allowZero` for setting a quantity, where 0 means "remove". */
export function assertQuantity(quantity: number, options: { allowZero: boolean }): void {
  const min = options.allowZero ? 0 : CART_LIMITS.minQuantity;
  if (!Number.isInteger(quantity) || quantity < min || quantity > CART_LIMITS.maxQuantity) {
    throw badUserInput(`quantity must be ${min} to ${CART_LIMITS.maxQuantity}`, 'quantity');
  }
}

/** The lines clients see: those the catalog prices now, in cart order. */
export function pricedLines(cart: Pick<Cart, 'lines'>, prices: Prices): PricedLine[] {
  return cart.lines.flatMap((line) => {
    const price = priceOf(prices, line.productId);
    return price ? [{ productId: line.productId, quantity: line.quantity, unitPrice: money(price.minor, price.currency) }] : [];
  });
}

/** Sum of the line totals; a cart whose products the catalog now prices in two currencies cannot be summed. */
export function subtotalOf(lines: readonly PricedLine[], emptyCurrency: string = EMPTY_CART_CURRENCY): Money {
  const currency = lines[0]?.unitPrice.currency ?? emptyCurrency;
  const foreign = lines.find((line) => line.unitPrice.currency !== currency);
  if (foreign) {
    throw conflict(
      `The cart mixes currencies (${currency} and ${foreign.unitPrice.currency}); remove product ${JSON.stringify(foreign.productId)}`,
      { reason: 'CURRENCY_MISMATCH' },
    );
  }
  return sum(
    lines.map((line) => multiply(line.unitPrice, line.quantity)),
    currency,
  );
}

export function addLine(cart: Cart, productId: string, quantity: number, prices: Prices, now: string): Cart {
  const price = priceOf(prices, productId);
  if (!price) throw badUserInput(`Product ${JSON.stringify(productId)} does not exist`, 'productId');
  const lines = knownLines(cart, prices);
  const currency = currencyOf(lines, prices);
  if (currency !== null && price.currency !== currency) {
    throw badUserInput(
      `Product ${JSON.stringify(productId)} is priced in ${price.currency} but the cart is in ${currency}`,
      'productId',
    );
  }
  const existing = lines.find((line) => line.productId === productId);
  if (existing) {
    const total = existing.quantity + quantity;
    if (total > CART_LIMITS.maxQuantity) {
      throw badUserInput(
        `At most ${CART_LIMITS.maxQuantity} units of a product per cart; the cart already has ${existing.quantity}`,
        'quantity',
      );
    }
    return changed(cart, lines.map((line) => (line === existing ? { productId, quantity: total } : line)), now);
  }
  if (lines.length >= CART_LIMITS.maxLines) {
    throw conflict(`A cart holds at most ${CART_LIMITS.maxLines} different products`, { reason: 'LIMIT_REACHED', field: 'productId' });
  }
  return changed(cart, [...lines, { productId, quantity }], now);
}

/** Sets the quantity of a product in the cart; 0 removes it. */
export function setLineQuantity(cart: Cart, productId: string, quantity: number, prices: Prices, now: string): Cart {
  if (quantity === 0) return removeLine(cart, productId, prices, now);
  const lines = knownLines(cart, prices);
  if (!lines.some((line) => line.productId === productId)) {
    throw badUserInput(`Product ${JSON.stringify(productId)} is not in this cart`, 'productId');
  }
  return changed(cart, lines.map((line) => (line.productId === productId ? { productId, quantity } : line)), now);
}

export function removeLine(cart: Cart, productId: string, prices: Prices, now: string): Cart {
  const lines = knownLines(cart, prices).filter((line) => line.productId !== productId);
  return changed(cart, lines, now);
}

/** Empties the cart; a promotion code goes with its items (checkout empties the cart this way). */
export function clearLines(cart: Cart, now: string): Cart {
  const cleared = changed(cart, [], now);
  return cleared.promoCode ? { ...cleared, promoCode: null, updatedAt: now } : cleared;
}

/** The cart with `code` applied (null: removed), or the cart itself when that is already so. */
export function withPromoCode(cart: Cart, code: string | null, now: string): Cart {
  return (cart.promoCode ?? null) === code ? cart : { ...cart, promoCode: code, updatedAt: now };
}

/**
 * Moves a guest cart's lines into `target`: quantities of the same product are added up to
 * the per-line maximum, new products are appended while there is room for another line, and
 * products the catalog does not know or prices in another currency than `target` are left
 * behind. A guest cart already merged into `target` changes nothing.
 */
export function mergeLines(target: Cart, guest: Cart, prices: Prices, now: string): Cart {
  if (target.mergedCartIds.includes(guest.id)) return target;
  const lines = knownLines(target, prices);
  let currency = currencyOf(lines, prices);
  for (const line of knownLines(guest, prices)) {
    const lineCurrency = priceOf(prices, line.productId)!.currency;
    currency ??= lineCurrency;
    if (lineCurrency !== currency) continue;
    const index = lines.findIndex((own) => own.productId === line.productId);
    if (index >= 0) {
      lines[index] = { productId: line.productId, quantity: Math.min(CART_LIMITS.maxQuantity, lines[index]!.quantity + line.quantity) };
    } else if (lines.length < CART_LIMITS.maxLines) {
      lines.push(line);
    }
  }
  const mergedCartIds = [...target.mergedCartIds, guest.id].slice(-CART_LIMITS.mergedIdsKept);
  return { ...target, lines, mergedCartIds, updatedAt: now };
}

/** A price the caller must have asked the catalog for; a missing one is a bug, not an unknown product. */
function priceOf(prices: Prices, productId: string): CatalogPrice | null {
  const price = prices.get(productId);
  if (price === undefined) throw new Error(`the price of product ${JSON.stringify(productId)} was not looked up`);
  return price;
}

function knownLines(cart: Cart, prices: Prices): CartLine[] {
  return cart.lines.filter((line) => priceOf(prices, line.productId) !== null);
}

function currencyOf(lines: readonly CartLine[], prices: Prices): string | null {
  const first = lines[0];
  return first ? priceOf(prices, first.productId)!.currency : null;
}

/** The cart with `lines`, or the cart itself when they are the same. */
function changed(cart: Cart, lines: CartLine[], now: string): Cart {
  const same = lines.length === cart.lines.length && lines.every((line, i) => line.productId === cart.lines[i]!.productId && line.quantity === cart.lines[i]!.quantity);
  return same ? cart : { ...cart, lines, updatedAt: now };
}
