import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { InvalidPaymentMethodError, type ChargeRequest, type PaymentProvider } from '../src/providers/paymentProvider.js';
import { apiBaseOptions, createStripeProvider } from '../src/providers/stripeProvider.js';
import { toProviderEvent } from '../src/providers/stripeWebhook.js';
import { signedEvent, STAND_IN_SECRET_KEY, startStripeStandIn, type StripeStandIn } from './stripeStandIn.js';

// The Stripe adapter with the real `stripe` SDK, pointed (STRIPE_API_BASE) at a local server
// that speaks Stripe's API over HTTP.
describe('Stripe adapter (official SDK against a Stripe-shaped server)', () => {
  let stripe: StripeStandIn;
  let provider: PaymentProvider;

  beforeAll(async () => {
    stripe = await startStripeStandIn();
    provider = createStripeProvider({ secretKey: STAND_IN_SECRET_KEY, apiBase: stripe.url });
  });

  afterAll(async () => {
    await stripe?.stop();
  });

  function charge(paymentMethod: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest {
    const paymentId = randomUUID();
    return {
      amountMinor: 1999,
      currency: 'EUR',
      paymentMethod,
      idempotencyKey: `payment:${paymentId}`,
      metadata: { orderId: 'order-1', paymentId },
      ...overrides,
    };
  }

  const sentWith = (key: string) => stripe.requests.filter((r) => r.idempotencyKey === key);

  it('creates and confirms a PaymentIntent in one form-encoded request carrying the idempotency key', async () => {
    const request = charge('pm_card_visa');
    const outcome = await provider.createAndConfirm(request);
    expect(outcome).toEqual({ status: 'SUCCEEDED', providerPaymentId: expect.stringMatching(/^pi_/), clientSecret: null, failureReason: null });
    const [sent] = sentWith(request.idempotencyKey);
    expect(sent).toMatchObject({
      method: 'POST',
      path: '/v1/payment_intents',
      authorization: `Bearer ${STAND_IN_SECRET_KEY}`,
      contentType: 'application/x-www-form-urlencoded',
      replayed: false,
      params: {
        amount: '1999',
        currency: 'eur',
        payment_method: 'pm_card_visa',
        confirm: 'true',
        'automatic_payment_methods[enabled]': 'true',
        'automatic_payment_methods[allow_redirects]': 'never',
        'metadata[orderId]': 'order-1',
        'metadata[paymentId]': request.metadata.paymentId,
      },
    });
  });

  it('gets the first answer again, and no second charge, when the same key is sent again', async () => {
    const request = charge('pm_card_visa');
    const first = await provider.createAndConfirm(request);
    const intentsBefore = stripe.intents.size;
    const second = await provider.createAndConfirm(request);
    expect(second).toEqual(first);
    expect(stripe.intents.size).toBe(intentsBefore);
    expect(sentWith(request.idempotencyKey).map((r) => r.replayed)).toEqual([false, true]);
  });

  it('fails loudly when a key is reused with other parameters (Stripe’s idempotency_error)', async () => {
    const request = charge('pm_card_visa');
    await provider.createAndConfirm(request);
    await expect(provider.createAndConfirm({ ...request, amountMinor: 1 })).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it.each([
    ['pm_card_chargeDeclined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
  ])('turns the 402 card_error for %s into a FAILED outcome naming %s', async (method, reason) => {
    const request = charge(method);
    const outcome = await provider.createAndConfirm(request);
    expect(outcome).toEqual({ status: 'FAILED', providerPaymentId: expect.stringMatching(/^pi_/), clientSecret: null, failureReason: reason });
    expect(stripe.intents.get(outcome.providerPaymentId!)!.status).toBe('requires_payment_method');
    // Replayed declines stay declines: still one intent.
    expect(await provider.createAndConfirm(request)).toEqual(outcome);
  });

  it('passes on the client secret when the customer must authenticate', async () => {
    const outcome = await provider.createAndConfirm(charge('pm_card_threeDSecure2Required'));
    expect(outcome.status).toBe('REQUIRES_ACTION');
    expect(outcome.clientSecret).toBe(stripe.intents.get(outcome.providerPaymentId!)!.client_secret);
  });

  it('reports an unknown payment method as InvalidPaymentMethodError', async () => {
    await expect(provider.createAndConfirm(charge('pm_card_unknown'))).rejects.toBeInstanceOf(InvalidPaymentMethodError);
  });

  it('cancels an intent waiting for the customer, and reports the state of one that cannot be cancelled', async () => {
    const waiting = await provider.createAndConfirm(charge('pm_card_authenticationRequired'));
    expect(await provider.cancel(waiting.providerPaymentId!, `cancel:${randomUUID()}`)).toMatchObject({ status: 'FAILED', failureReason: 'canceled' });
    const done = await provider.createAndConfirm(charge('pm_card_visa'));
    expect(await provider.cancel(done.providerPaymentId!, `cancel:${randomUUID()}`)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('refunds in full once per key; a refund already made counts as done', async () => {
    const done = await provider.createAndConfirm(charge('pm_card_visa'));
    const request = { providerPaymentId: done.providerPaymentId!, amountMinor: 1999, idempotencyKey: `refund:${randomUUID()}`, metadata: { orderId: 'o', paymentId: 'p' } };
    const first = await provider.refund(request);
    expect(first).toEqual({ refundId: expect.stringMatching(/^re_/), status: 'succeeded' });
    expect(await provider.refund(request)).toEqual(first);
    expect(stripe.refunds.filter((r) => r.payment_intent === done.providerPaymentId)).toHaveLength(1);
    expect(await provider.refund({ ...request, idempotencyKey: `refund:${randomUUID()}` })).toMatchObject({ status: 'succeeded' });
    expect(stripe.refunds.filter((r) => r.payment_intent === done.providerPaymentId)).toHaveLength(1);
  });

  it('reads STRIPE_API_BASE into the SDK’s host, port and protocol', () => {
    expect(apiBaseOptions(undefined)).toEqual({});
    expect(apiBaseOptions('http://127.0.0.1:12111')).toEqual({ host: '127.0.0.1', port: 12111, protocol: 'http' });
    expect(apiBaseOptions('https://stripe-mock.internal')).toEqual({ host: 'stripe-mock.internal', port: 443, protocol: 'https' });
  });
});

describe('Stripe webhook events', () => {
  const secret = 'whsec_unit_test_secret';
  const intent = { id: 'pi_1', object: 'payment_intent', status: 'succeeded', metadata: { paymentId: 'pay-1' }, last_payment_error: null };

  const verified = (type: string, object: object) => {
    const { payload, header } = signedEvent(type, object, secret, { id: 'evt_1' });
    return Stripe.webhooks.constructEvent(payload, header, secret);
  };

  it('verifies headers made by the SDK’s own generateTestHeaderString, and refuses another secret', () => {
    const { payload, header } = signedEvent('payment_intent.succeeded', intent, secret);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(Stripe.webhooks.constructEvent(payload, header, secret).id).toMatch(/^evt_/);
    expect(() => Stripe.webhooks.constructEvent(payload, header, 'whsec_other')).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('maps the three event types that move a payment, and nothing else', () => {
    expect(toProviderEvent(verified('payment_intent.succeeded', intent))).toEqual({
      id: 'evt_1',
      type: 'payment_intent.succeeded',
      provider: 'stripe',
      change: { to: 'SUCCEEDED', providerPaymentId: 'pi_1', paymentId: 'pay-1', failureReason: null },
    });
    const failed = { ...intent, status: 'requires_payment_method', last_payment_error: { code: 'card_declined', decline_code: 'stolen_card' } };
    expect(toProviderEvent(verified('payment_intent.payment_failed', failed)).change).toEqual({
      to: 'FAILED',
      providerPaymentId: 'pi_1',
      paymentId: 'pay-1',
      failureReason: 'stolen_card',
    });
    const charge = { id: 'ch_1', object: 'charge', payment_intent: 'pi_1', refunded: true, metadata: {} };
    expect(toProviderEvent(verified('charge.refunded', charge)).change).toEqual({
      to: 'REFUNDED',
      providerPaymentId: 'pi_1',
      paymentId: null,
      failureReason: null,
    });
    expect(toProviderEvent(verified('charge.refunded', { ...charge, refunded: false })).change).toBeNull();
    expect(toProviderEvent(verified('payment_intent.created', intent)).change).toBeNull();
  });
});
