import { badUserInput } from '@shop/errors';
import { formatAmount, isCurrencyCode, money, MoneyError, parseAmount, percentOf, type Money } from '@shop/money';

/**
 * Promotion rules, pure: what an admin may create, and what a code is worth for a subtotal at a
 * time. Cart quotes, checkout and the tests all use these, so a code never means two things.
 */

export type PromotionKind = 'PERCENTAGE' | 'FIXED_AMOUNT' | 'FREE_SHIPPING';

export interface Promotion {
  id: string;
  code: string;
  kind: PromotionKind;
  /** PERCENTAGE: hundredths of a percent. */
  percentBp: number | null;
  /** FIXED_AMOUNT: minor units of `currency`. */
  amountMinor: number | null;
  /** The currency amounts are in; null when the promotion names no amount (it then fits any cart). */
  currency: string | null;
  minSubtotalMinor: number | null;
  startsAt: Date | null;
  endsAt: Date | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  timesUsed: number;
  createdAt: Date;
}

export type NewPromotion = Omit<Promotion, 'id' | 'timesUsed' | 'createdAt'>;

export interface PromotionInput {
  code: string;
  kind: PromotionKind;
  value: string;
  minSubtotal?: { amount: string; currencyCode: string } | null;
  currency?: string | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  usageLimit?: number | null;
  perCustomerLimit?: number | null;
}

/** Why a code takes nothing off; `APPLIES` when it does. Cart shows these to the shopper. */
export type QuoteStatus = 'APPLIES' | 'UNKNOWN' | 'NOT_STARTED' | 'EXPIRED' | 'USED_UP' | 'ALREADY_USED' | 'WRONG_CURRENCY' | 'BELOW_MINIMUM';

export interface Quote {
  code: string;
  status: QuoteStatus;
  /** A sentence for the shopper: what the code gives, or why it gives nothing now. */
  message: string;
  /** Off the subtotal (zero for FREE_SHIPPING, which takes the shipping off at checkout). */
  discount: Money;
  freeShipping: boolean;
}

const CODE = /^[A-Z0-9_-]{3,32}$/;
const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;
const MAX_LIMIT = 1_000_000_000;
/** The currency of amounts given without one. */
export const STORE_CURRENCY = 'EUR';

/** Codes are matched without regard to case or surrounding spaces. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

export function isPromotionCode(code: string): boolean {
  return CODE.test(code);
}

/** Validates an admin's input into a promotion to store; BAD_USER_INPUT names the field. */
export function parsePromotionInput(input: PromotionInput): NewPromotion {
  const code = normaliseCode(input.code);
  if (!isPromotionCode(code)) throw badUserInput('A code is 3 to 32 letters, digits, "-" or "_"', 'input.code');
  const currency = currencyOf(input);
  let percentBp: number | null = null;
  let amountMinor: number | null = null;
  if (input.kind === 'PERCENTAGE') {
    const match = PERCENT.exec(input.value.trim());
    percentBp = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : NaN;
    if (!(percentBp > 0 && percentBp <= 10_000)) throw badUserInput('A percentage is above 0 and at most 100, e.g. "15" or "12.5"', 'input.value');
  } else if (input.kind === 'FIXED_AMOUNT') {
    amountMinor = amountIn(input.value, currency!, 'input.value');
    if (amountMinor <= 0) throw badUserInput('A fixed amount is above 0', 'input.value');
  }
  const minSubtotalMinor = input.minSubtotal ? amountIn(input.minSubtotal.amount, currency!, 'input.minSubtotal.amount') : null;
  const startsAt = input.startsAt ?? null;
  const endsAt = input.endsAt ?? null;
  if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) throw badUserInput('endsAt must be after startsAt', 'input.endsAt');
  return {
    code,
    kind: input.kind,
    percentBp,
    amountMinor,
    currency: amountMinor !== null || minSubtotalMinor !== null ? currency : null,
    minSubtotalMinor,
    startsAt,
    endsAt,
    usageLimit: limit(input.usageLimit, 'input.usageLimit'),
    perCustomerLimit: limit(input.perCustomerLimit, 'input.perCustomerLimit'),
  };
}

/** `value` as clients see it: "12.5" (percent), "5.00" (amount), "0" (free shipping). */
export function promotionValue(promotion: Promotion): string {
  if (promotion.percentBp !== null) return (promotion.percentBp / 100).toString();
  if (promotion.amountMinor !== null) return formatAmount(promotion.amountMinor, promotion.currency!);
  return '0';
}

/** Within its window and not used up. */
export function isActive(promotion: Promotion, now: Date): boolean {
  return (
    (promotion.startsAt === null || promotion.startsAt.getTime() <= now.getTime()) &&
    (promotion.endsAt === null || promotion.endsAt.getTime() > now.getTime()) &&
    (promotion.usageLimit === null || promotion.timesUsed < promotion.usageLimit)
  );
}

export interface QuoteRequest {
  /** As the shopper typed it or the cart stored it. */
  code: string;
  subtotal: Money;
  /** Known at checkout: what FREE_SHIPPING takes off. */
  shipping?: Money;
  now: Date;
  /** How many of the customer's orders already redeemed it (0 for a guest). */
  customerUses: number;
}

/**
 * What `promotion` (null: no such code) is worth for a subtotal now. The order of the checks is
 * the order a shopper can act on: nothing helps an unknown or expired code, more items help a
 * cart below the minimum.
 */
export function quote(promotion: Promotion | null, request: QuoteRequest): Quote {
  const code = promotion?.code ?? normaliseCode(request.code);
  const none = money(0, request.subtotal.currency);
  const refuse = (status: QuoteStatus, message: string): Quote => ({ code, status, message, discount: none, freeShipping: false });
  if (!promotion) return refuse('UNKNOWN', `${JSON.stringify(request.code.trim())} is not a valid promo code`);
  const day = (date: Date) => date.toISOString().slice(0, 10);
  if (promotion.startsAt && promotion.startsAt.getTime() > request.now.getTime()) {
    return refuse('NOT_STARTED', `${code} can be used from ${day(promotion.startsAt)}`);
  }
  if (promotion.endsAt && promotion.endsAt.getTime() <= request.now.getTime()) return refuse('EXPIRED', `${code} expired on ${day(promotion.endsAt)}`);
  if (promotion.usageLimit !== null && promotion.timesUsed >= promotion.usageLimit) {
    return refuse('USED_UP', `${code} has been used up and can no longer be redeemed`);
  }
  if (promotion.perCustomerLimit !== null && request.customerUses >= promotion.perCustomerLimit) {
    const times = promotion.perCustomerLimit === 1 ? 'once' : `${promotion.perCustomerLimit} times`;
    return refuse('ALREADY_USED', `You have already used ${code}; it can be used ${times} per customer`);
  }
  const subtotal = request.subtotal;
  if (promotion.currency !== null && promotion.currency !== subtotal.currency) {
    return refuse('WRONG_CURRENCY', `${code} is only valid for orders in ${promotion.currency}`);
  }
  if (promotion.minSubtotalMinor !== null && subtotal.minor < promotion.minSubtotalMinor) {
    const missing = formatAmount(promotion.minSubtotalMinor - subtotal.minor, subtotal.currency);
    const minimum = formatAmount(promotion.minSubtotalMinor, subtotal.currency);
    return refuse('BELOW_MINIMUM', `Add ${missing} ${subtotal.currency} more to use ${code} (minimum order ${minimum} ${subtotal.currency})`);
  }
  switch (promotion.kind) {
    case 'PERCENTAGE': {
      const discount = percentOf(subtotal, promotion.percentBp!);
      return { code, status: 'APPLIES', message: `${promotionValue(promotion)} % off your order`, discount, freeShipping: false };
    }
    case 'FIXED_AMOUNT': {
      const discount = money(Math.min(promotion.amountMinor!, subtotal.minor), subtotal.currency);
      return { code, status: 'APPLIES', message: `${promotionValue(promotion)} ${subtotal.currency} off your order`, discount, freeShipping: false };
    }
    case 'FREE_SHIPPING':
      return { code, status: 'APPLIES', message: 'Free shipping on this order', discount: request.shipping ?? none, freeShipping: true };
  }
}

/**
 * Splits an order's discount over its lines in proportion to their totals (largest remainder,
 * so the shares add up to the discount exactly): a refund of some lines returns what was paid.
 */
export function allocateDiscount(lineTotals: readonly number[], discountMinor: number): number[] {
  const total = lineTotals.reduce((sum, line) => sum + line, 0);
  if (total === 0 || discountMinor === 0) return lineTotals.map(() => 0);
  const exact = lineTotals.map((line) => (line * discountMinor) / total);
  const shares = exact.map(Math.floor);
  let left = discountMinor - shares.reduce((sum, share) => sum + share, 0);
  const byRemainder = exact.map((value, i) => ({ i, rest: value - Math.floor(value) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    shares[i]! += 1;
    left -= 1;
  }
  return shares;
}

function currencyOf(input: PromotionInput): string | null {
  const given = input.currency?.trim() || null;
  const minCurrency = input.minSubtotal?.currencyCode.trim() ?? null;
  if (given !== null && minCurrency !== null && given !== minCurrency) {
    throw badUserInput(`minSubtotal is in ${minCurrency}, the promotion in ${given}`, 'input.minSubtotal.currencyCode');
  }
  const currency = given ?? minCurrency ?? STORE_CURRENCY;
  if (!isCurrencyCode(currency)) throw badUserInput(`${JSON.stringify(currency)} is not an ISO 4217 currency code`, given !== null ? 'input.currency' : 'input.minSubtotal.currencyCode');
  return currency;
}

function amountIn(amount: string, currency: string, field: string): number {
  try {
    return parseAmount(amount, currency);
  } catch (error) {
    if (error instanceof MoneyError) throw badUserInput(error.message, field);
    throw error;
  }
}

function limit(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT) throw badUserInput('A limit is a whole number of at least 1', field);
  return value;
}
