import { isCurrencyCode } from '@shop/money';
import type { OrderItem } from './db/schema.js';

/** The event types analytics consumes (docs/events.md). */
export const CONSUMED_EVENT_TYPES = ['order.placed', 'payment.succeeded', 'payment.refunded', 'payment.partially_refunded', 'order.status_changed'] as const;

/** What analytics reads from `order.placed`. */
export interface OrderPlaced {
  orderId: string;
  userId: string;
  currency: string;
  totalMinor: number;
  /** What the promotion code took off; 0 in events from before promotions. */
  discountMinor: number;
  promoCode: string | null;
  items: OrderItem[];
  placedAt: string;
}

/** What analytics reads from `payment.succeeded`, `payment.refunded` and `payment.partially_refunded` (the amount that moved). */
export interface PaymentMoved {
  paymentId: string;
  orderId: string;
  amountMinor: number;
  currency: string;
}

type Fields = Record<string, unknown>;

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isMinor = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isCurrency = (value: unknown): value is string => typeof value === 'string' && isCurrencyCode(value);
const asFields = (data: unknown): Fields | null => (typeof data === 'object' && data !== null ? (data as Fields) : null);

/** Null when the event is malformed (it is logged and left out of the aggregates). */
export function parseOrderPlaced(data: unknown): OrderPlaced | null {
  const d = asFields(data);
  if (!d || !isId(d.orderId) || !isId(d.userId) || !isCurrency(d.currency) || !isMinor(d.totalMinor)) return null;
  if (typeof d.placedAt !== 'string' || Number.isNaN(Date.parse(d.placedAt)) || !Array.isArray(d.items)) return null;
  const items: OrderItem[] = [];
  for (const raw of d.items as unknown[]) {
    const item = asFields(raw);
    if (!item || !isId(item.productId) || !Number.isSafeInteger(item.quantity) || (item.quantity as number) <= 0 || !isMinor(item.unitPriceMinor)) {
      return null;
    }
    items.push({ productId: item.productId, quantity: item.quantity as number, unitPriceMinor: item.unitPriceMinor });
  }
  const discountMinor = d.discountMinor ?? 0;
  const promoCode = d.promoCode ?? null;
  if (!isMinor(discountMinor) || (promoCode !== null && typeof promoCode !== 'string')) return null;
  return { orderId: d.orderId, userId: d.userId, currency: d.currency, totalMinor: d.totalMinor, discountMinor, promoCode, items, placedAt: d.placedAt };
}

/** Null when the event is malformed. */
export function parsePaymentMoved(data: unknown): PaymentMoved | null {
  const d = asFields(data);
  if (!d || !isId(d.paymentId) || !isId(d.orderId) || !isMinor(d.amountMinor) || !isCurrency(d.currency)) return null;
  return { paymentId: d.paymentId, orderId: d.orderId, amountMinor: d.amountMinor, currency: d.currency };
}

/** The UTC calendar day of an ISO-8601 time, `YYYY-MM-DD`. */
export function utcDay(time: string | Date): string {
  return new Date(time).toISOString().slice(0, 10);
}
