import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A small real HTTP server speaking the few Stripe endpoints payments uses, the way Stripe
 * does: form-encoded bodies, `Authorization: Bearer sk_...`, idempotency keys (a repeated key
 * is answered from the first response, with `Idempotent-Replayed: true`; the same key with
 * other parameters is an `idempotency_error`), test-card semantics, declines as 402 with
 * Stripe's error JSON. It insists on an Idempotency-Key for every POST, which Stripe does not,
 * so a request without one fails the test.
 */

export const STAND_IN_SECRET_KEY = 'sk_test_stand_in_0123456789';

type Card = { result: 'succeeds' } | { result: 'declines'; declineCode: string; message: string } | { result: 'requires_action' };

const CARDS: Record<string, Card> = {
  pm_card_visa: { result: 'succeeds' },
  pm_card_mastercard: { result: 'succeeds' },
  pm_card_chargeDeclined: { result: 'declines', declineCode: 'generic_decline', message: 'Your card was declined.' },
  pm_card_chargeDeclinedInsufficientFunds: {
    result: 'declines',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
  pm_card_authenticationRequired: { result: 'requires_action' },
  pm_card_threeDSecure2Required: { result: 'requires_action' },
};

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  params: Record<string, string>;
  /** Answered from the idempotency record, without doing anything. */
  replayed: boolean;
}

export interface StandInIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: string;
  client_secret: string;
  payment_method: string;
  metadata: Record<string, string>;
  last_payment_error: null | { type: string; code: string; decline_code: string; message: string };
  next_action: null | { type: string };
  cancellation_reason: string | null;
  created: number;
  livemode: false;
}

export interface StripeStandIn {
  /** For STRIPE_API_BASE. */
  url: string;
  requests: RecordedRequest[];
  /** PaymentIntents created (replays create none). */
  intents: Map<string, StandInIntent>;
  /** Refunds made (replays make none). */
  refunds: Array<{ id: string; payment_intent: string; amount: number }>;
  /**
   * When set, a charge that succeeds first delivers a signed `payment_intent.succeeded` to
   * this endpoint and only then answers the request, so the webhook arrives first.
   */
  webhookFirst: { url: string; secret: string } | null;
  /** What the endpoint answered to each webhook sent in `webhookFirst` mode. */
  webhookAnswers: Array<{ status: number; body: any }>;
  stop(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
}

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const requests: RecordedRequest[] = [];
  const intents = new Map<string, StandInIntent>();
  const refunds: StripeStandIn['refunds'] = [];
  /** Refunded so far, by intent: refunds add up to at most the amount charged, as at Stripe. */
  const refunded = new Map<string, number>();
  const answered = new Map<string, { fingerprint: string; answer: Answer }>();
  const standIn: StripeStandIn = {
    url: '',
    requests,
    intents,
    refunds,
    webhookFirst: null,
    webhookAnswers: [],
    stop: async () => undefined,
  };

  const createIntent = async (params: Record<string, string>): Promise<Answer> => {
    for (const name of ['amount', 'currency', 'payment_method']) {
      if (!params[name]) return invalid(`Missing required param: ${name}.`, name);
    }
    if (params.currency !== params.currency!.toLowerCase()) return invalid('Invalid currency: must be lower case.', 'currency');
    const card = CARDS[params.payment_method!];
    if (!card) return invalid(`No such PaymentMethod: '${params.payment_method}'`, 'payment_method', 'resource_missing');
    const id = `pi_${randomBytes(12).toString('hex')}`;
    const intent: StandInIntent = {
      id,
      object: 'payment_intent',
      amount: Number(params.amount),
      currency: params.currency!,
      status: 'requires_confirmation',
      client_secret: `${id}_secret_${randomBytes(12).toString('hex')}`,
      payment_method: params.payment_method!,
      metadata: metadataOf(params),
      last_payment_error: null,
      next_action: null,
      cancellation_reason: null,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
    };
    intents.set(id, intent);
    if (params.confirm !== 'true') return { status: 200, body: intent };
    if (card.result === 'requires_action') {
      Object.assign(intent, { status: 'requires_action', next_action: { type: 'use_stripe_sdk' } });
      return { status: 200, body: intent };
    }
    if (card.result === 'declines') {
      const error = { type: 'card_error', code: 'card_declined', decline_code: card.declineCode, message: card.message };
      Object.assign(intent, { status: 'requires_payment_method', last_payment_error: error });
      return { status: 402, body: { error: { ...error, charge: `ch_${randomBytes(8).toString('hex')}`, payment_intent: intent } } };
    }
    intent.status = 'succeeded';
    if (standIn.webhookFirst) {
      const { payload, header } = signedEvent('payment_intent.succeeded', intent, standIn.webhookFirst.secret);
      standIn.webhookAnswers.push(await postWebhook(standIn.webhookFirst.url, payload, header));
    }
    return { status: 200, body: intent };
  };

  const cancelIntent = (id: string): Answer => {
    const intent = intents.get(id);
    if (!intent) return invalid(`No such payment_intent: '${id}'`, 'intent', 'resource_missing', 404);
    if (!['requires_action', 'requires_payment_method', 'requires_confirmation'].includes(intent.status)) {
      return {
        status: 400,
        body: {
          error: {
            type: 'invalid_request_error',
            code: 'payment_intent_unexpected_state',
            message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
            payment_intent: intent,
          },
        },
      };
    }
    Object.assign(intent, { status: 'canceled', next_action: null });
    return { status: 200, body: intent };
  };

  const createRefund = (params: Record<string, string>): Answer => {
    const intent = intents.get(params.payment_intent ?? '');
    if (!intent) return invalid(`No such payment_intent: '${params.payment_intent}'`, 'payment_intent', 'resource_missing');
    if (intent.status !== 'succeeded') return invalid(`PaymentIntent ${intent.id} has no successful charge to refund.`, 'payment_intent');
    const before = refunded.get(intent.id) ?? 0;
    if (before >= intent.amount) {
      return invalid(`Charge for ${intent.id} has already been refunded.`, undefined, 'charge_already_refunded');
    }
    // Without an amount Stripe refunds what is left.
    const amount = params.amount === undefined ? intent.amount - before : Number(params.amount);
    if (!Number.isSafeInteger(amount) || amount <= 0) return invalid('Invalid positive integer', 'amount');
    if (before + amount > intent.amount) {
      return invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${intent.amount - before})`, 'amount', 'amount_too_large');
    }
    refunded.set(intent.id, before + amount);
    const refund = {
      id: `re_${randomBytes(12).toString('hex')}`,
      object: 'refund',
      amount,
      currency: intent.currency,
      payment_intent: intent.id,
      status: 'succeeded',
      metadata: metadataOf(params),
    };
    refunds.push({ id: refund.id, payment_intent: intent.id, amount: refund.amount });
    return { status: 200, body: refund };
  };

  const route = async (method: string, path: string, params: Record<string, string>): Promise<Answer> => {
    if (method === 'POST' && path === '/v1/payment_intents') return createIntent(params);
    const cancel = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path);
    if (method === 'POST' && cancel) return cancelIntent(cancel[1]!);
    if (method === 'POST' && path === '/v1/refunds') return createRefund(params);
    return invalid(`Unrecognized request URL (${method}: ${path}).`, undefined, undefined, 404);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      void (async () => {
        const path = (req.url ?? '/').split('?')[0]!;
        const params = Object.fromEntries(new URLSearchParams(raw));
        const idempotencyKey = header(req, 'idempotency-key');
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          path,
          idempotencyKey,
          authorization: header(req, 'authorization'),
          contentType: header(req, 'content-type'),
          params,
          replayed: false,
        };
        requests.push(recorded);
        if (recorded.authorization !== `Bearer ${STAND_IN_SECRET_KEY}`) {
          return send(res, { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } } });
        }
        if (recorded.method === 'POST' && !idempotencyKey) {
          return send(res, invalid('The stand-in requires an Idempotency-Key on every POST'));
        }
        const fingerprint = JSON.stringify([recorded.method, path, Object.entries(params).sort()]);
        const seen = idempotencyKey ? answered.get(idempotencyKey) : undefined;
        if (seen) {
          recorded.replayed = true;
          if (seen.fingerprint !== fingerprint) {
            return send(res, {
              status: 400,
              body: {
                error: {
                  type: 'idempotency_error',
                  message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
                },
              },
            });
          }
          return send(res, seen.answer, { 'idempotent-replayed': 'true' });
        }
        const answer = await route(recorded.method, path, params);
        // Stripe keeps the answer once the endpoint ran, errors included; not a refusal of the parameters.
        if (idempotencyKey && !(answer.status === 400 && isParamError(answer))) answered.set(idempotencyKey, { fingerprint, answer });
        send(res, answer);
      })().catch((error: unknown) => send(res, { status: 500, body: { error: { type: 'api_error', message: String(error) } } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return standIn;
}

/** A Stripe event as Stripe posts it, with the `Stripe-Signature` header made by the SDK itself. */
export function signedEvent(
  type: string,
  object: object,
  secret: string,
  options: { id?: string; timestamp?: number } = {},
): { id: string; payload: string; header: string } {
  const id = options.id ?? `evt_${randomBytes(12).toString('hex')}`;
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    type,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  });
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  });
  return { id, payload, header };
}

export async function postWebhook(url: string, payload: string, signature: string | undefined): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['stripe-signature'] = signature;
  const response = await fetch(url, { method: 'POST', headers, body: payload });
  return { status: response.status, body: await response.json() };
}

function metadataOf(params: Record<string, string>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const match = /^metadata\[(.+)\]$/.exec(key);
    if (match) metadata[match[1]!] = value;
  }
  return metadata;
}

function invalid(message: string, param?: string, code?: string, status = 400): Answer {
  return { status, body: { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}), ...(code ? { code } : {}) } } };
}

function isParamError(answer: Answer): boolean {
  const error = (answer.body as { error?: { param?: string; code?: string } }).error;
  return error?.param !== undefined && error.code !== 'resource_missing';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, answer: Answer, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(6).toString('hex')}`, ...headers });
  res.end(body);
}
