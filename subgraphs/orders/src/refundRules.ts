import { badUserInput } from '@shop/errors';
import { money, scale } from '@shop/money';
import type { OrderStatus } from './statusMachine.js';

/**
 * Refunds of some lines of an order (pure: no I/O, unit-tested). A refund returns what the
 * customer paid for the units sent back: their price less their part of the line's share of
 * the order's discount. Shares are cumulative (the discount kept back for the first `n` units
 * of a line is `round(lineDiscount * n / quantity)`), so refunding a line in several steps
 * returns exactly what refunding it at once would. Shipping is returned with the refund that
 * leaves nothing unrefunded: that one returns whatever is left of the total, so all refunds
 * together come to the amount charged, never more.
 */

/** Statuses a line refund may start from: the customer asked to send something back. */
export const REFUNDABLE: readonly OrderStatus[] = ['RETURN_REQUESTED', 'PARTIALLY_REFUNDED'];

export interface RefundableLine {
  productId: string;
  /** Null or absent for a line without a variant. */
  variantId?: string | null;
  quantity: number;
  unitPriceMinor: number;
  discountMinor: number;
  refundedQuantity: number;
}

/**
 * A line to refund: with `variantId`, the product's line in that variant; without it, the
 * product's line without a variant, else its only line.
 */
export interface RequestedRefundItem {
  productId: string;
  variantId?: string | null;
  quantity: number;
}

export interface RefundPlan {
  /** `variantId` only on a line with a variant (refunds from before variants have none). */
  items: Array<{ productId: string; variantId?: string; quantity: number; amountMinor: number }>;
  /** The part of `amountMinor` that is shipping (only in the refund that completes the order). */
  shippingMinor: number;
  amountMinor: number;
  /** True when after this refund every unit of the order is refunded. */
  completes: boolean;
}

export const MAX_REFUND_ITEMS = 50;

/** Checks the shape of a request: at least one item, whole positive quantities, each line once. */
export function validateRefundItems(items: readonly RequestedRefundItem[]): void {
  if (items.length === 0) throw badUserInput('Name at least one item to refund', 'items');
  if (items.length > MAX_REFUND_ITEMS) throw badUserInput(`At most ${MAX_REFUND_ITEMS} items per refund`, 'items');
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) throw badUserInput('A quantity to refund is a whole number of at least 1', `items[${i}].quantity`);
    const key = JSON.stringify([item.productId, item.variantId ?? null]);
    if (seen.has(key)) throw badUserInput('Each line may appear once in a refund', `items[${i}].productId`);
    seen.add(key);
  });
}

/** The discount kept back for the first `units` units of a line. */
function discountFor(line: RefundableLine, units: number, currency: string): number {
  return scale(money(line.discountMinor, currency), units, line.quantity).minor;
}

/**
 * What refunding `items` of an order returns, given its lines as they are now and what was
 * refunded before. BAD_USER_INPUT names the item that is not on the order or more than is left.
 */
export function planRefund(
  order: { totalMinor: number; refundedMinor: number; currency: string },
  lines: readonly RefundableLine[],
  items: readonly RequestedRefundItem[],
): RefundPlan {
  validateRefundItems(items);
  const requested = new Map<RefundableLine, number>();
  const planned = items.map((item, i) => {
    const line = refundedLine(lines, item, i);
    if (!line) throw badUserInput('This product is not on the order', `items[${i}].${item.variantId == null ? 'productId' : 'variantId'}`);
    if (requested.has(line)) throw badUserInput('Each line may appear once in a refund', `items[${i}].productId`);
    requested.set(line, item.quantity);
    const left = line.quantity - line.refundedQuantity;
    if (item.quantity > left) throw badUserInput(`Only ${left} of this product can still be refunded`, `items[${i}].quantity`);
    const kept = discountFor(line, line.refundedQuantity + item.quantity, order.currency) - discountFor(line, line.refundedQuantity, order.currency);
    const amountMinor = line.unitPriceMinor * item.quantity - kept;
    return { productId: item.productId, ...(line.variantId == null ? {} : { variantId: line.variantId }), quantity: item.quantity, amountMinor };
  });
  const completes = lines.every((line) => line.refundedQuantity + (requested.get(line) ?? 0) === line.quantity);
  const linesMinor = planned.reduce((total, item) => total + item.amountMinor, 0);
  const left = order.totalMinor - order.refundedMinor;
  const amountMinor = completes ? left : Math.min(linesMinor, left);
  return { items: planned, shippingMinor: Math.max(0, amountMinor - linesMinor), amountMinor, completes };
}

/** The line a refund item names (see `RequestedRefundItem`); BAD_USER_INPUT when it is ambiguous. */
function refundedLine(lines: readonly RefundableLine[], item: RequestedRefundItem, index: number): RefundableLine | undefined {
  const ofProduct = lines.filter((line) => line.productId === item.productId);
  if (item.variantId != null) return ofProduct.find((line) => line.variantId === item.variantId);
  const plain = ofProduct.find((line) => line.variantId == null);
  if (plain || ofProduct.length <= 1) return plain ?? ofProduct[0];
  throw badUserInput('The order has this product in several variants: name the variant', `items[${index}].variantId`);
}
