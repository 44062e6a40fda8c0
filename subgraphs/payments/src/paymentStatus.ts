/**
 * The payment state machine, in one place. Pure: the synchronous `payOrder` path, provider
 * webhooks and refunds all move a payment only along these edges, and the store applies each
 * move as a conditional update, so when two of them race exactly one wins.
 */

export const PAYMENT_STATUSES = ['PROCESSING', 'REQUIRES_ACTION', 'SUCCEEDED', 'FAILED', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const;

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const INITIAL_STATUS: PaymentStatus = 'PROCESSING';

const TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  PROCESSING: ['REQUIRES_ACTION', 'SUCCEEDED', 'FAILED'],
  REQUIRES_ACTION: ['SUCCEEDED', 'FAILED'],
  // A PaymentIntent that failed can still be confirmed again on the client with its client
  // secret; when the provider then reports success, money was taken and must be recorded.
  FAILED: ['SUCCEEDED'],
  SUCCEEDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  // Refunds of some lines (`order.refund_requested`) return part of it, until all of it is back.
  PARTIALLY_REFUNDED: ['REFUNDED'],
  REFUNDED: [],
};

/** Attempts that may still turn into a charge: at most one per order at a time. */
export const IN_FLIGHT: readonly PaymentStatus[] = ['PROCESSING', 'REQUIRES_ACTION'];

export function isPaymentStatus(value: unknown): value is PaymentStatus {
  return typeof value === 'string' && (PAYMENT_STATUSES as readonly string[]).includes(value);
}

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Every status from which `to` may be entered. */
export function statusesLeadingTo(to: PaymentStatus): PaymentStatus[] {
  return PAYMENT_STATUSES.filter((from) => canTransition(from, to));
}
