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

/** Which line: a product in one of its forms (`variantId` null: the product sold in one form). */
export interface LineKey {
  productId: string;
  variantId: string | null;
}

/**
 * The line an update or removal names: with `variantId`, that variant's line; without it
 * (clients from before variants), the product's line without a variant, else its only line.
 */
interface LineTarget {
  productId: string;
  variantId?: string | null;
}

export function emptyCart(id: string, userId: string | null, now: string): Cart {
  return { id, userId, version: 0, lines: [], mergedCartIds: [], createdAt: now, updatedAt: now };
}

export function assertProductId(productId: string): void {
  if (productId.trim() === '' || productId.length > CART_LIMITS.maxProductIdLength) {
    throw badUserInput('productId must be a product id', 'productId');
  }
}

export function assertVariantId(variantId: string | null | undefined): void {
  if (variantId != null && (variantId.trim() === '' || variantId.length > CART_LIMITS.maxProductIdLength)) {
    throw badUserInput('variantId must be a variant id', 'variantId');
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
    const price = linePrice(prices, line);
    return price ? [{ productId: line.productId, variantId: variantOf(line), quantity: line.quantity, unitPrice: price }] : [];
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

/**
 * Stock is held per product (inventory keeps no variants): the units of each product over all
 * its lines, in the order the products first appear.
 */
export function unitsByProduct(lines: ReadonlyArray<{ productId: string; quantity: number }>): Array<{ productId: string; quantity: number }> {
  const units = new Map<string, number>();
  for (const line of lines) units.set(line.productId, (units.get(line.productId) ?? 0) + line.quantity);
  return [...units].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * The price of one unit of `key` now, checking the choice of variant: it must be one of the
 * product's (BAD_USER_INPUT, field `variantId`). No variant is the product at its own price: so
 * clients from before variants keep adding any product (the storefront asks for a size first).
 */
export function chosenPrice(prices: Prices, key: LineKey): Money {
  const product = priceOf(prices, key.productId);
  if (!product) throw badUserInput(`Product ${JSON.stringify(key.productId)} does not exist`, 'productId');
  if (key.variantId === null) return money(product.minor, product.currency);
  const price = product.variants?.get(key.variantId);
  if (!price) throw badUserInput(`${JSON.stringify(key.variantId)} is not a variant of product ${JSON.stringify(key.productId)}`, 'variantId');
  return price;
}

/** Adds `quantity` units of a product, in the variant `variantId` (null: a product sold in one form). */
export function addLine(cart: Cart, productId: string, quantity: number, prices: Prices, now: string, variantId: string | null = null): Cart {
  const key: LineKey = { productId, variantId };
  const price = chosenPrice(prices, key);
  const lines = knownLines(cart, prices);
  const currency = currencyOf(lines, prices);
  if (currency !== null && price.currency !== currency) {
    throw badUserInput(
      `Product ${JSON.stringify(key.productId)} is priced in ${price.currency} but the cart is in ${currency}`,
      key.variantId === null ? 'productId' : 'variantId',
    );
  }
  const existing = lines.find((line) => isLine(line, key));
  if (existing) {
    const total = existing.quantity + quantity;
    if (total > CART_LIMITS.maxQuantity) {
      throw badUserInput(
        `At most ${CART_LIMITS.maxQuantity} units of a product per cart; the cart already has ${existing.quantity}`,
        'quantity',
      );
    }
    return changed(cart, lines.map((line) => (line === existing ? { ...line, quantity: total } : line)), now);
  }
  if (lines.length >= CART_LIMITS.maxLines) {
    throw conflict(`A cart holds at most ${CART_LIMITS.maxLines} different products`, { reason: 'LIMIT_REACHED', field: 'productId' });
  }
  return changed(cart, [...lines, newLine(key, quantity)], now);
}

/** Sets the quantity of a line of the cart (see `LineTarget`); 0 removes it. */
export function setLineQuantity(cart: Cart, productId: string, quantity: number, prices: Prices, now: string, variantId?: string | null): Cart {
  if (quantity === 0) return removeLine(cart, productId, prices, now, variantId);
  const target: LineTarget = { productId, variantId };
  const lines = knownLines(cart, prices);
  const line = addressedLine(lines, target);
  if (!line) {
    const field = target.variantId != null && lines.some((own) => own.productId === target.productId) ? 'variantId' : 'productId';
    throw badUserInput(`Product ${JSON.stringify(target.productId)} is not in this cart${field === 'variantId' ? ' in that variant' : ''}`, field);
  }
  return changed(cart, lines.map((own) => (own === line ? { ...own, quantity } : own)), now);
}

/** Removes a line of the cart (see `LineTarget`); a line that is not there changes nothing. */
export function removeLine(cart: Cart, productId: string, prices: Prices, now: string, variantId?: string | null): Cart {
  const target: LineTarget = { productId, variantId };
  const lines = knownLines(cart, prices);
  const line = addressedLine(lines, target);
  return changed(cart, lines.filter((own) => own !== line), now);
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
 * Moves a guest cart's lines into `target`: quantities of the same line (product and variant)
 * are added up to the per-line maximum, new lines are appended while there is room, and lines
 * the catalog no longer sells (product or variant) or prices in another currency than `target`
 * are left behind. A guest cart already merged into `target` changes nothing.
 */
export function mergeLines(target: Cart, guest: Cart, prices: Prices, now: string): Cart {
  if (target.mergedCartIds.includes(guest.id)) return target;
  const lines = knownLines(target, prices);
  let currency = currencyOf(lines, prices);
  for (const line of knownLines(guest, prices)) {
    const lineCurrency = linePrice(prices, line)!.currency;
    currency ??= lineCurrency;
    if (lineCurrency !== currency) continue;
    const index = lines.findIndex((own) => isLine(own, keyOf(line)));
    if (index >= 0) {
      lines[index] = { ...lines[index]!, quantity: Math.min(CART_LIMITS.maxQuantity, lines[index]!.quantity + line.quantity) };
    } else if (lines.length < CART_LIMITS.maxLines) {
      lines.push(line);
    }
  }
  const mergedCartIds = [...target.mergedCartIds, guest.id].slice(-CART_LIMITS.mergedIdsKept);
  return { ...target, lines, mergedCartIds, updatedAt: now };
}

function variantOf(line: Pick<CartLine, 'variantId'>): string | null {
  return line.variantId ?? null;
}

function keyOf(line: CartLine): LineKey {
  return { productId: line.productId, variantId: variantOf(line) };
}

function isLine(line: CartLine, key: LineKey): boolean {
  return line.productId === key.productId && variantOf(line) === key.variantId;
}

/** Lines of products sold in one form are stored as before variants: without a `variantId`. */
function newLine(key: LineKey, quantity: number): CartLine {
  return key.variantId === null ? { productId: key.productId, quantity } : { productId: key.productId, variantId: key.variantId, quantity };
}

function addressedLine(lines: readonly CartLine[], target: LineTarget): CartLine | undefined {
  const ofProduct = lines.filter((line) => line.productId === target.productId);
  if (target.variantId != null) return ofProduct.find((line) => variantOf(line) === target.variantId);
  const plain = ofProduct.find((line) => variantOf(line) === null);
  if (plain || ofProduct.length <= 1) return plain ?? ofProduct[0];
  throw badUserInput(`The cart has product ${JSON.stringify(target.productId)} in ${ofProduct.length} variants: name one`, 'variantId');
}

/** A price the caller must have asked the catalog for; a missing one is a bug, not an unknown product. */
function priceOf(prices: Prices, productId: string): CatalogPrice | null {
  const price = prices.get(productId);
  if (price === undefined) throw new Error(`the price of product ${JSON.stringify(productId)} was not looked up`);
  return price;
}

/** One unit of a line now; null when the catalog no longer sells its product or its variant. */
function linePrice(prices: Prices, line: CartLine): Money | null {
  const product = priceOf(prices, line.productId);
  if (!product) return null;
  const variantId = variantOf(line);
  if (variantId === null) return money(product.minor, product.currency);
  return product.variants?.get(variantId) ?? null;
}

function knownLines(cart: Cart, prices: Prices): CartLine[] {
  return cart.lines.filter((line) => linePrice(prices, line) !== null);
}

function currencyOf(lines: readonly CartLine[], prices: Prices): string | null {
  const first = lines[0];
  return first ? linePrice(prices, first)!.currency : null;
}

/** The cart with `lines`, or the cart itself when they are the same. */
function changed(cart: Cart, lines: CartLine[], now: string): Cart {
  const same =
    lines.length === cart.lines.length &&
    lines.every((line, i) => isLine(cart.lines[i]!, keyOf(line)) && line.quantity === cart.lines[i]!.quantity);
  return same ? cart : { ...cart, lines, updatedAt: now };
}
