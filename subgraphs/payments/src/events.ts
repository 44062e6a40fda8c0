import { createEvent, type EventEnvelope } from '@shop/events';
import type { Payment } from './model.js';

export const EVENT_SOURCE = 'payments';

/**
 * The domain events a payment publishes on entering a status (docs/events.md). Written to the
 * outbox in the transaction of the transition, so each is published once per transition.
 */
export function paymentEvents(payment: Payment): EventEnvelope[] {
  const { id: paymentId, orderId, amountMinor, currency } = payment;
  switch (payment.status) {
    case 'SUCCEEDED':
      return [
        createEvent(EVENT_SOURCE, 'payment.succeeded', orderId, {
          paymentId,
          orderId,
          amountMinor,
          currency,
          provider: payment.provider,
          providerPaymentId: payment.providerPaymentId,
        }),
      ];
    case 'FAILED':
      return [
        createEvent(EVENT_SOURCE, 'payment.failed', orderId, {
          paymentId,
          orderId,
          amountMinor,
          currency,
          reason: payment.failureReason ?? 'payment_failed',
        }),
      ];
    case 'REFUNDED':
      return [createEvent(EVENT_SOURCE, 'payment.refunded', orderId, { paymentId, orderId, amountMinor, currency })];
    default:
      return [];
  }
}

/** `payment.partially_refunded`: `amountMinor` of the payment went back; `refundedMinor` in all so far. */
export function paymentPartiallyRefunded(payment: Payment, amountMinor: number): EventEnvelope {
  const { id: paymentId, orderId, refundedMinor, currency } = payment;
  return createEvent(EVENT_SOURCE, 'payment.partially_refunded', orderId, { paymentId, orderId, amountMinor, refundedMinor, currency });
}
