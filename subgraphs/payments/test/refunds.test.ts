import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createEvent, type EventEnvelope } from '@shop/events';
import { graphqlOk } from '@shop/testing';
import { PAY, paymentRows, startPayments, token, until, type Harness, type ProviderKind } from './harness.js';

describe.each<[ProviderKind]>([['simulated'], ['stripe']])('refunds on order.status_changed with the %s provider', (kind) => {
  let h: Harness;
  let alice: string;

  beforeAll(async () => {
    h = await startPayments({ provider: kind });
    alice = await token('user-alice');
  });

  afterAll(async () => {
    await h?.stop();
  });

  function statusChanged(orderId: string, from: string, to: string): EventEnvelope {
    return createEvent('orders', 'order.status_changed', orderId, {
      orderId,
      orderNumber: 'SO-100001',
      userId: 'user-alice',
      from,
      to,
      at: new Date().toISOString(),
    });
  }

  /**
   * Publishes the events, then a marker event the consumer also records, and waits for the
   * marker: the bus hands a group its events in order, so everything before it was handled.
   */
  async function deliver(...events: EventEnvelope[]): Promise<void> {
    const marker = statusChanged('marker-order', 'PENDING_PAYMENT', 'CANCELLED');
    await h.bus.publish([...events, marker]);
    await until(async () => {
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM event_inbox WHERE event_id = ${marker.id}::uuid`.execute(h.store.db);
      return Number(rows[0]!.n) === 1;
    });
    await h.settle();
  }

  async function paid(method = 'pm_card_visa'): Promise<{ orderId: string; paymentId: string }> {
    const orderId = h.order('user-alice', 3000, 'EUR');
    const { payOrder } = await graphqlOk(h.url, PAY, { orderId, paymentMethod: method }, { token: alice });
    return { orderId, paymentId: payOrder.id };
  }

  const refundRequests = (paymentId: string) =>
    h.stripe ? h.stripe.requests.filter((r) => r.path === '/v1/refunds' && r.idempotencyKey === `refund:${paymentId}`) : [];

  it('refunds the payment of an order cancelled after it was PAID: REFUNDED and one payment.refunded', async () => {
    const { orderId, paymentId } = await paid();
    await deliver(statusChanged(orderId, 'PAID', 'CANCELLED'));
    const [row] = await paymentRows(h.store, orderId);
    expect(row!.status).toBe('REFUNDED');
    expect(h.eventsFor(paymentId).map((e) => e.type)).toEqual(['payment.succeeded', 'payment.refunded']);
    expect(h.eventsFor(paymentId)[1]).toMatchObject({ key: orderId, data: { paymentId, orderId, amountMinor: 3000, currency: 'EUR' } });
    if (h.stripe) {
      expect(h.stripe.refunds).toContainEqual(expect.objectContaining({ payment_intent: row!.provider_payment_id, amount: 3000 }));
      expect(refundRequests(paymentId).map((r) => r.params)).toEqual([
        expect.objectContaining({ payment_intent: row!.provider_payment_id, amount: '3000', 'metadata[paymentId]': paymentId }),
      ]);
    }
  });

  it('refunds once when the event is delivered again, or another event asks for the same', async () => {
    const { orderId, paymentId } = await paid();
    const cancelled = statusChanged(orderId, 'FULFILLING', 'CANCELLED');
    await deliver(cancelled, cancelled, cancelled);
    await deliver(cancelled, statusChanged(orderId, 'CANCELLED', 'REFUNDED'));
    expect(h.eventsFor(paymentId).map((e) => e.type)).toEqual(['payment.succeeded', 'payment.refunded']);
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM event_inbox WHERE event_id = ${cancelled.id}::uuid`.execute(h.store.db);
    expect(Number(rows[0]!.n)).toBe(1);
    if (h.stripe) expect(refundRequests(paymentId)).toHaveLength(1);
  });

  it('refunds when a returned order becomes REFUNDED', async () => {
    const { orderId, paymentId } = await paid();
    await deliver(statusChanged(orderId, 'RETURN_REQUESTED', 'REFUNDED'));
    expect(h.eventsFor(paymentId).map((e) => e.type)).toEqual(['payment.succeeded', 'payment.refunded']);
  });

  function refundRequested(orderId: string, refundId: string, amountMinor: number): EventEnvelope {
    return createEvent('orders', 'order.refund_requested', orderId, { refundId, orderId, amountMinor, shippingMinor: 0, currency: 'EUR', items: [] });
  }

  it('refunds the amount of a line refund, once per refund, never more than is left, and the rest when the order is refunded', async () => {
    const { orderId, paymentId } = await paid();
    const first = refundRequested(orderId, 'refund-1', 1200);
    await deliver(first, first);
    expect((await paymentRows(h.store, orderId))[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', refunded_minor: 1200 });
    expect(h.eventsFor(paymentId).slice(1)).toEqual([
      expect.objectContaining({ type: 'payment.partially_refunded', data: { paymentId, orderId, amountMinor: 1200, refundedMinor: 1200, currency: 'EUR' } }),
    ]);
    // Asked for more than the 18.00 left: 18.00 goes back, the payment is refunded in full.
    await deliver(refundRequested(orderId, 'refund-2', 2500));
    expect((await paymentRows(h.store, orderId))[0]).toMatchObject({ status: 'REFUNDED', refunded_minor: 3000 });
    await deliver(statusChanged(orderId, 'PARTIALLY_REFUNDED', 'REFUNDED'), refundRequested(orderId, 'refund-3', 100));
    expect(h.eventsFor(paymentId).map((e) => e.type)).toEqual(['payment.succeeded', 'payment.partially_refunded', 'payment.refunded']);
    if (h.stripe) {
      const intent = (await paymentRows(h.store, orderId))[0]!.provider_payment_id;
      expect(h.stripe.refunds.filter((r) => r.payment_intent === intent).map((r) => r.amount)).toEqual([1200, 1800]);
    }
  });

  it('refunds what a line refund left when the order is refunded whole', async () => {
    const { orderId, paymentId } = await paid();
    await deliver(refundRequested(orderId, 'refund-a', 500), statusChanged(orderId, 'PARTIALLY_REFUNDED', 'REFUNDED'));
    expect((await paymentRows(h.store, orderId))[0]).toMatchObject({ status: 'REFUNDED', refunded_minor: 3000 });
    expect(h.eventsFor(paymentId).map((e) => e.type)).toEqual(['payment.succeeded', 'payment.partially_refunded', 'payment.refunded']);
  });

  it('leaves payments alone on other status changes', async () => {
    const { orderId, paymentId } = await paid();
    await deliver(statusChanged(orderId, 'PENDING_PAYMENT', 'PAID'), statusChanged(orderId, 'PAID', 'FULFILLING'));
    expect((await paymentRows(h.store, orderId))[0]!.status).toBe('SUCCEEDED');
    expect(h.eventsFor(paymentId).map((e) => e.type)).toEqual(['payment.succeeded']);
  });

  it('refunds a payment that succeeds only after its order was cancelled', async () => {
    const { orderId, paymentId } = await paid();
    await h.settle();
    const seen = h.eventsFor(paymentId).length;
    // The attempt is still in flight at the provider (its answer lost) when the order is cancelled.
    await h.store.db.updateTable('payments').set({ status: 'PROCESSING', provider_payment_id: null }).where('id', '=', paymentId).execute();
    await deliver(statusChanged(orderId, 'PENDING_PAYMENT', 'CANCELLED'));
    expect((await paymentRows(h.store, orderId))[0]!.status).toBe('PROCESSING');

    // Then the provider's answer arrives after all: the retry re-drives the attempt by its key.
    const { payOrder } = await graphqlOk(h.url, PAY, { orderId, paymentMethod: 'pm_card_visa' }, { token: alice });
    expect(payOrder).toMatchObject({ id: paymentId, status: 'SUCCEEDED' });
    await until(async () => (await paymentRows(h.store, orderId))[0]!.status === 'REFUNDED');
    await h.settle();
    expect(h.eventsFor(paymentId).slice(seen).map((e) => e.type)).toEqual(['payment.succeeded', 'payment.refunded']);
    if (h.stripe) expect(refundRequests(paymentId)).toHaveLength(1);
  });

  it('cancels an attempt still waiting for authentication when its unpaid order is cancelled', async () => {
    const { orderId, paymentId } = await paid('pm_card_authenticationRequired');
    await deliver(statusChanged(orderId, 'PENDING_PAYMENT', 'CANCELLED'));
    const [row] = await paymentRows(h.store, orderId);
    expect(row).toMatchObject({ status: 'FAILED', failure_reason: 'canceled' });
    expect(h.eventsFor(paymentId).map((e) => e.type)).toEqual(['payment.failed']);
    if (h.stripe) expect(h.stripe.intents.get(row!.provider_payment_id!)!.status).toBe('canceled');
  });
});
