import { randomBytes } from 'node:crypto';
import {
  InvalidPaymentMethodError,
  type ChargeRequest,
  type IntentOutcome,
  type PaymentProvider,
  type RefundOutcome,
} from './paymentProvider.js';

type CardBehaviour = { result: 'succeeds' } | { result: 'declines'; declineCode: string } | { result: 'requires_action' };

/** Stripe's test payment methods (https://docs.stripe.com/testing) and what each one does. */
const TEST_PAYMENT_METHODS: Readonly<Record<string, CardBehaviour>> = {
  pm_card_visa: { result: 'succeeds' },
  pm_card_mastercard: { result: 'succeeds' },
  pm_card_chargeDeclined: { result: 'declines', declineCode: 'generic_decline' },
  pm_card_chargeDeclinedInsufficientFunds: { result: 'declines', declineCode: 'insufficient_funds' },
  pm_card_authenticationRequired: { result: 'requires_action' },
  pm_card_threeDSecure2Required: { result: 'requires_action' },
};

interface Intent {
  id: string;
  outcome: IntentOutcome;
  amountMinor: number;
  refundedMinor: number;
}

/**
 * The embedded stand-in for Stripe when no STRIPE_SECRET_KEY is set: answers at once, in
 * process, with Stripe's test-card semantics, and honours idempotency keys the way Stripe does
 * (a repeated key gets the first answer, also a repeated error). It sends no webhooks, so a
 * payment that requires action stays REQUIRES_ACTION until it is cancelled. Its memory lasts as
 * long as the process.
 */
export function createSimulatedProvider(): PaymentProvider {
  const intents = new Map<string, Intent>();
  const answers = new Map<string, { fingerprint: string; answer: Promise<unknown> }>();

  /** Runs `work` once per key; a repeat with the same key and request gets the same answer. */
  function once<T>(key: string, request: unknown, work: () => T): Promise<T> {
    const fingerprint = JSON.stringify(request);
    const seen = answers.get(key);
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        return Promise.reject(new Error(`Idempotency key ${key} was used with other parameters`));
      }
      return seen.answer as Promise<T>;
    }
    const answer = (async () => work())();
    // Keep the rejection observed here; callers see it through the returned promise.
    answer.catch(() => undefined);
    answers.set(key, { fingerprint, answer });
    return answer;
  }

  function charge(request: ChargeRequest): IntentOutcome {
    const behaviour = TEST_PAYMENT_METHODS[request.paymentMethod];
    if (!behaviour) {
      throw new InvalidPaymentMethodError(
        `No such PaymentMethod: '${request.paymentMethod}'. The simulated provider knows ${Object.keys(TEST_PAYMENT_METHODS).join(', ')}`,
      );
    }
    const id = `pi_sim_${randomBytes(12).toString('hex')}`;
    const base = { providerPaymentId: id, clientSecret: null, failureReason: null };
    const outcome: IntentOutcome =
      behaviour.result === 'succeeds'
        ? { ...base, status: 'SUCCEEDED' }
        : behaviour.result === 'declines'
          ? { ...base, status: 'FAILED', failureReason: behaviour.declineCode }
          : { ...base, status: 'REQUIRES_ACTION', clientSecret: `${id}_secret_${randomBytes(12).toString('hex')}` };
    intents.set(id, { id, outcome, amountMinor: request.amountMinor, refundedMinor: 0 });
    return outcome;
  }

  return {
    name: 'simulated',
    createAndConfirm: (request) => once(request.idempotencyKey, ['charge', request], () => charge(request)),

    cancel: (providerPaymentId, idempotencyKey) =>
      once(idempotencyKey, ['cancel', providerPaymentId], () => {
        const intent = intents.get(providerPaymentId);
        if (!intent) throw new Error(`No such PaymentIntent: '${providerPaymentId}'`);
        if (intent.outcome.status === 'REQUIRES_ACTION') {
          intent.outcome = { ...intent.outcome, status: 'FAILED', clientSecret: null, failureReason: 'canceled' };
        }
        return intent.outcome;
      }),

    refund: (request) =>
      once(request.idempotencyKey, ['refund', request], (): RefundOutcome => {
        const intent = intents.get(request.providerPaymentId);
        // An intent from before a restart is unknown here; it can only have been a success.
        if (intent && intent.outcome.status !== 'SUCCEEDED') {
          throw new Error(`PaymentIntent ${request.providerPaymentId} is ${intent.outcome.status} and cannot be refunded`);
        }
        // As Stripe: refunds add up to at most the amount charged.
        if (intent && intent.refundedMinor + request.amountMinor > intent.amountMinor) {
          throw new Error(`Refund amount (${request.amountMinor}) is greater than unrefunded amount on charge (${intent.amountMinor - intent.refundedMinor})`);
        }
        if (intent) intent.refundedMinor += request.amountMinor;
        return { refundId: `re_sim_${randomBytes(12).toString('hex')}`, status: 'succeeded' };
      }),
  };
}
