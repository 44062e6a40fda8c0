import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphql } from '@shop/testing';
import { PAY, paymentRows, startPayments, token, WEBHOOK_SECRET, type Harness } from './harness.js';
import { postWebhook, signedEvent, type StandInIntent } from './stripeStandIn.js';

describe('POST /webhooks/stripe', () => {
  let h: Harness;
  let alice: string;

  beforeAll(async () => {
    h = await startPayments({ provider: 'stripe' });
    alice = await token('user-alice');
  });

  afterAll(async () => {
    await h?.stop();
  });

  /** Pays a fresh order and returns the payment and the stand-in's PaymentIntent behind it. */
  async function payFresh(method: string): Promise<{ orderId: string; paymentId: string; intent: StandInIntent }> {
    const orderId = h.order('user-alice', 2500, 'EUR');
    const result = await graphql(h.url, PAY, { orderId, paymentMethod: method }, { token: alice });
    const [row] = await paymentRows(h.store, orderId);
    return { orderId, paymentId: result.data.payOrder.id, intent: h.stripe!.intents.get(row!.provider_payment_id!)! };
  }

  /** What Stripe would send after the customer completed authentication. */
  function completed(intent: StandInIntent): StandInIntent {
    return { ...intent, status: 'succeeded', next_action: null };
  }

  async function send(type: string, object: object, options: { id?: string; secret?: string; timestamp?: number } = {}) {
    const event = signedEvent(type, object, options.secret ?? WEBHOOK_SECRET, options);
    return { event, response: await postWebhook(h.webhookUrl, event.payload, event.header) };
  }

  async function statusOf(paymentId: string): Promise<string> {
    const row = await h.store.db.selectFrom('payments').select('status').where('id', '=', paymentId).executeTakeFirstOrThrow();
    return row.status;
  }

  it('moves a payment that waited for authentication to SUCCEEDED, with one payment.succeeded', async () => {
    const { paymentId, intent, orderId } = await payFresh('pm_card_authenticationRequired');
    const { response } = await send('payment_intent.succeeded', completed(intent));
    expect(response).toEqual({ status: 200, body: { received: true, result: 'applied' } });
    expect(await statusOf(paymentId)).toBe('SUCCEEDED');
    await h.settle();
    expect(h.eventsFor(paymentId)).toEqual([
      expect.objectContaining({ type: 'payment.succeeded', data: expect.objectContaining({ orderId, providerPaymentId: intent.id, provider: 'stripe' }) }),
    ]);
  });

  it('ignores a redelivered event (same Stripe event id) and a second event about a settled payment', async () => {
    const { paymentId, intent } = await payFresh('pm_card_authenticationRequired');
    const { event } = await send('payment_intent.succeeded', completed(intent));
    const again = await postWebhook(h.webhookUrl, event.payload, event.header);
    expect(again).toEqual({ status: 200, body: { received: true, result: 'duplicate' } });
    const other = await send('payment_intent.succeeded', completed(intent));
    expect(other.response.body.result).toBe('unchanged');
    const stored = await h.store.db.selectFrom('payment_webhook_events').selectAll().where('id', '=', event.id).execute();
    expect(stored).toEqual([expect.objectContaining({ id: event.id, type: 'payment_intent.succeeded' })]);
    await h.settle();
    expect(h.eventsFor(paymentId).map((e) => e.type)).toEqual(['payment.succeeded']);
  });

  it('makes payment_intent.succeeded after the synchronous success a no-op: no duplicate event', async () => {
    const { paymentId, intent } = await payFresh('pm_card_visa');
    const { response } = await send('payment_intent.succeeded', intent);
    expect(response.body.result).toBe('unchanged');
    await h.settle();
    expect(h.eventsFor(paymentId).map((e) => e.type)).toEqual(['payment.succeeded']);
  });

  it('lets the webhook win when it arrives before the synchronous answer: still one event', async () => {
    h.stripe!.webhookFirst = { url: h.webhookUrl, secret: WEBHOOK_SECRET };
    try {
      const orderId = h.order('user-alice');
      const result = await graphql(h.url, PAY, { orderId, paymentMethod: 'pm_card_visa' }, { token: alice });
      expect(result.data.payOrder.status).toBe('SUCCEEDED');
      // The webhook found the attempt by the payment id in the metadata (its PaymentIntent id
      // was not stored yet) and moved it; the synchronous answer then changed nothing.
      expect(h.stripe!.webhookAnswers).toEqual([{ status: 200, body: { received: true, result: 'applied' } }]);
      const [row] = await paymentRows(h.store, orderId);
      expect(row!.provider_payment_id).toMatch(/^pi_/);
      await h.settle();
      expect(h.eventsFor(result.data.payOrder.id).map((e) => e.type)).toEqual(['payment.succeeded']);
    } finally {
      h.stripe!.webhookFirst = null;
    }
  });

  it('records payment_intent.payment_failed (failed authentication) as FAILED with payment.failed', async () => {
    const { paymentId, intent } = await payFresh('pm_card_threeDSecure2Required');
    const failedIntent = {
      ...intent,
      status: 'requires_payment_method',
      next_action: null,
      last_payment_error: { type: 'card_error', code: 'payment_intent_authentication_failure', message: 'Authentication failed' },
    };
    const { response } = await send('payment_intent.payment_failed', failedIntent);
    expect(response.body.result).toBe('applied');
    const row = await h.store.db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'FAILED', failure_reason: 'payment_intent_authentication_failure' });
    await h.settle();
    expect(h.eventsFor(paymentId)).toEqual([
      expect.objectContaining({ type: 'payment.failed', data: expect.objectContaining({ reason: 'payment_intent_authentication_failure' }) }),
    ]);
  });

  it('records a full refund made at Stripe (charge.refunded) as REFUNDED with payment.refunded; a partial one changes nothing', async () => {
    const { paymentId, intent } = await payFresh('pm_card_visa');
    const charge = { id: 'ch_test_1', object: 'charge', amount: 2500, currency: 'eur', payment_intent: intent.id, metadata: {} };
    const partial = await send('charge.refunded', { ...charge, amount_refunded: 500, refunded: false });
    expect(partial.response.body.result).toBe('ignored');
    expect(await statusOf(paymentId)).toBe('SUCCEEDED');

    const full = await send('charge.refunded', { ...charge, amount_refunded: 2500, refunded: true });
    expect(full.response.body.result).toBe('applied');
    expect(await statusOf(paymentId)).toBe('REFUNDED');
    await h.settle();
    expect(h.eventsFor(paymentId).map((e) => e.type)).toEqual(['payment.succeeded', 'payment.refunded']);
  });

  it('answers 200 to event types it does not act on and to payments it does not know', async () => {
    expect((await send('customer.created', { id: 'cus_1', object: 'customer' })).response).toEqual({
      status: 200,
      body: { received: true, result: 'ignored' },
    });
    const stranger = { id: 'pi_not_ours', object: 'payment_intent', status: 'succeeded', metadata: {} };
    expect((await send('payment_intent.succeeded', stranger)).response.body.result).toBe('ignored');
  });

  describe('refuses what Stripe did not sign, changing nothing', () => {
    let target: { paymentId: string; intent: StandInIntent };
    beforeAll(async () => {
      target = await payFresh('pm_card_authenticationRequired');
    });

    const expectUntouched = async (eventId: string) => {
      expect(await statusOf(target.paymentId)).toBe('REQUIRES_ACTION');
      expect(await h.store.db.selectFrom('payment_webhook_events').select('id').where('id', '=', eventId).execute()).toEqual([]);
      await h.settle();
      expect(h.eventsFor(target.paymentId)).toEqual([]);
    };

    it('a signature made with another secret', async () => {
      const { event, response } = await send('payment_intent.succeeded', completed(target.intent), { secret: 'whsec_forged_by_someone_else' });
      expect(response).toEqual({ status: 400, body: { error: 'Invalid Stripe signature' } });
      await expectUntouched(event.id);
    });

    it('a genuine signature over a different body', async () => {
      const genuine = signedEvent('customer.created', { id: 'cus_1' }, WEBHOOK_SECRET);
      const forgedBody = signedEvent('payment_intent.succeeded', completed(target.intent), WEBHOOK_SECRET, { id: 'evt_forged_body' }).payload;
      expect((await postWebhook(h.webhookUrl, forgedBody, genuine.header)).status).toBe(400);
      await expectUntouched('evt_forged_body');
    });

    it('a stale signature (a replay from ten minutes ago)', async () => {
      const { event, response } = await send('payment_intent.succeeded', completed(target.intent), {
        timestamp: Math.floor(Date.now() / 1000) - 600,
      });
      expect(response.status).toBe(400);
      await expectUntouched(event.id);
    });

    it('no signature at all', async () => {
      const event = signedEvent('payment_intent.succeeded', completed(target.intent), WEBHOOK_SECRET);
      expect((await postWebhook(h.webhookUrl, event.payload, undefined)).status).toBe(400);
      await expectUntouched(event.id);
    });

    it('anything but POST', async () => {
      const response = await fetch(h.webhookUrl);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    });
  });
});

describe('POST /webhooks/stripe without STRIPE_WEBHOOK_SECRET (simulated provider)', () => {
  it('answers 503 and applies nothing', async () => {
    const h = await startPayments({ provider: 'simulated' });
    try {
      const event = signedEvent('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' }, WEBHOOK_SECRET);
      const response = await postWebhook(h.webhookUrl, event.payload, event.header);
      expect(response.status).toBe(503);
      expect(response.body.error).toContain('STRIPE_WEBHOOK_SECRET');
      expect(await h.store.db.selectFrom('payment_webhook_events').select('id').execute()).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
