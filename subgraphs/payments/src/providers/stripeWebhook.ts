import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { headerValue, readBody, sendJson, type Logger, type RouteHandler } from '@shop/subgraph-kit';
import type { ProviderEvent, ProviderEventResult } from '../service.js';
import { failureReasonOf } from './stripeProvider.js';

// Stripe's events are a few KB; anything far larger is not from Stripe.
const BODY_LIMIT_BYTES = 256 * 1024;

/**
 * `POST /webhooks/stripe`. The signature (`Stripe-Signature: t=...,v1=...`, an HMAC of the
 * raw body with the endpoint's secret, at most 5 minutes old) is checked by the SDK's
 * `constructEvent` over the exact bytes received; a forged or stale one is 400 and changes
 * nothing. A verified event is handed to `apply` and answered 200, also when it was a
 * redelivery or a type we ignore, so Stripe stops retrying; a failure to apply is 500, so it retries.
 */
export function createStripeWebhookRoute(options: {
  /** STRIPE_WEBHOOK_SECRET; without it every call is 503 (nothing unsigned is ever applied). */
  secret: string | undefined;
  apply: (event: ProviderEvent) => Promise<ProviderEventResult>;
  logger: Logger;
}): RouteHandler {
  const { secret, apply, logger } = options;
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'Use POST' }, { allow: 'POST' });
      return;
    }
    if (!secret) {
      sendJson(res, 503, { error: 'Stripe webhooks are not configured here (STRIPE_WEBHOOK_SECRET is not set)' });
      return;
    }
    const signature = headerValue(req, 'stripe-signature');
    const body = await readBody(req, BODY_LIMIT_BYTES);
    let event: Stripe.Event;
    try {
      if (!signature) throw new Error('No Stripe-Signature header');
      event = Stripe.webhooks.constructEvent(body, signature, secret);
    } catch (error) {
      logger.warn('refused a Stripe webhook with a bad signature', { reason: (error as Error).message });
      sendJson(res, 400, { error: 'Invalid Stripe signature' });
      return;
    }
    const result = await apply(toProviderEvent(event));
    logger.info('Stripe webhook', { eventId: event.id, type: event.type, result });
    sendJson(res, 200, { received: true, result });
  };
}

/** The Stripe events that move a payment, in our terms; any other type moves nothing. */
export function toProviderEvent(event: Stripe.Event): ProviderEvent {
  const base = { id: event.id, type: event.type, provider: 'stripe' };
  switch (event.type) {
    case 'payment_intent.succeeded': {
      const intent = event.data.object;
      return {
        ...base,
        change: { to: 'SUCCEEDED', providerPaymentId: intent.id, paymentId: intent.metadata?.paymentId ?? null, failureReason: null },
      };
    }
    case 'payment_intent.payment_failed': {
      const intent = event.data.object;
      return {
        ...base,
        change: { to: 'FAILED', providerPaymentId: intent.id, paymentId: intent.metadata?.paymentId ?? null, failureReason: failureReasonOf(intent) },
      };
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const intentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : (charge.payment_intent?.id ?? null);
      // A partial refund leaves the payment SUCCEEDED: we only ever refund in full.
      if (!charge.refunded || intentId === null) return { ...base, change: null };
      return { ...base, change: { to: 'REFUNDED', providerPaymentId: intentId, paymentId: charge.metadata?.paymentId ?? null, failureReason: null } };
    }
    default:
      return { ...base, change: null };
  }
}
