import Stripe from 'stripe';
import {
  InvalidPaymentMethodError,
  ProviderBusyError,
  ProviderRefusedError,
  type IntentOutcome,
  type PaymentProvider,
  type RefundOutcome,
} from './paymentProvider.js';

export interface StripeProviderOptions {
  secretKey: string;
  /**
   * Another server speaking Stripe's API (stripe-mock, a test stand-in), e.g.
   * `http://127.0.0.1:12111`; unset means api.stripe.com.
   */
  apiBase?: string | undefined;
  timeoutMs?: number;
}

/**
 * Stripe through its official SDK: one PaymentIntent per attempt, created and confirmed in one
 * request. Every request carries the attempt's idempotency key, so the SDK's own network retries
 * and our re-drives of an attempt whose answer was lost are answered, never charged again.
 */
export function createStripeProvider(options: StripeProviderOptions): PaymentProvider {
  const stripe = new Stripe(options.secretKey, {
    // Safe because every request is idempotent; Stripe answers a retried key from its record.
    maxNetworkRetries: 2,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    ...apiBaseOptions(options.apiBase),
  });

  return {
    name: 'stripe',

    async createAndConfirm(request) {
      try {
        const intent = await stripe.paymentIntents.create(
          {
            amount: request.amountMinor,
            currency: request.currency.toLowerCase(),
            payment_method: request.paymentMethod,
            confirm: true,
            // Cards and wallets only: a redirect-based method would need a return_url we do not have.
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            metadata: request.metadata,
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return outcomeOf(intent);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError) return declined(error);
        throw translate(error);
      }
    },

    async cancel(providerPaymentId, idempotencyKey) {
      try {
        return outcomeOf(await stripe.paymentIntents.cancel(providerPaymentId, {}, { idempotencyKey }));
      } catch (error) {
        // Already succeeded or failed: Stripe refuses and names the intent's current state.
        if (error instanceof Stripe.errors.StripeError && error.code === 'payment_intent_unexpected_state' && error.payment_intent) {
          return outcomeOf(error.payment_intent);
        }
        throw translate(error);
      }
    },

    async refund(request): Promise<RefundOutcome> {
      try {
        const refund = await stripe.refunds.create(
          { payment_intent: request.providerPaymentId, amount: request.amountMinor, metadata: request.metadata },
          { idempotencyKey: request.idempotencyKey },
        );
        return { refundId: refund.id, status: refundStatus(refund.status) };
      } catch (error) {
        // Refunded already (from the dashboard, say): the money is back, which is what we wanted.
        if (error instanceof Stripe.errors.StripeError && error.code === 'charge_already_refunded') {
          return { refundId: 'already_refunded', status: 'succeeded' };
        }
        throw translate(error);
      }
    },
  };
}

/** `STRIPE_API_BASE` as the SDK's host, port and protocol options. */
export function apiBaseOptions(apiBase: string | undefined): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}

/** A PaymentIntent's status in our terms. */
function outcomeOf(intent: Stripe.PaymentIntent): IntentOutcome {
  const base = { providerPaymentId: intent.id, clientSecret: null, failureReason: null };
  switch (intent.status) {
    case 'succeeded':
      return { ...base, status: 'SUCCEEDED' };
    case 'requires_action':
      return { ...base, status: 'REQUIRES_ACTION', clientSecret: intent.client_secret };
    case 'requires_payment_method':
    case 'canceled':
      return { ...base, status: 'FAILED', failureReason: failureReasonOf(intent) };
    default:
      // processing, requires_confirmation, requires_capture: not settled yet; a webhook follows.
      return { ...base, status: 'PROCESSING' };
  }
}

export function failureReasonOf(intent: Stripe.PaymentIntent): string {
  const error = intent.last_payment_error;
  return error?.decline_code ?? error?.code ?? (intent.status === 'canceled' ? 'canceled' : intent.status);
}

function declined(error: InstanceType<typeof Stripe.errors.StripeCardError>): IntentOutcome {
  return {
    status: 'FAILED',
    providerPaymentId: error.payment_intent?.id ?? null,
    clientSecret: null,
    failureReason: error.decline_code ?? error.code ?? 'card_declined',
  };
}

function refundStatus(status: string | null): RefundOutcome['status'] {
  switch (status) {
    case 'succeeded':
    case 'pending':
    case 'failed':
    case 'canceled':
    case 'requires_action':
      return status;
    default:
      return 'pending';
  }
}

/**
 * SDK errors to the port's: a 409 means the same key is still in flight; a 400 is a refusal
 * that created nothing (and names the payment method when that was the problem). Everything
 * else (network, 5xx, a bad API key) stays as it is: the outcome is unknown, so the attempt
 * stays open and is re-driven with its key later.
 */
function translate(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  if (error.statusCode === 409) return new ProviderBusyError(error.message);
  if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 400) {
    return error.param === 'payment_method' ? new InvalidPaymentMethodError(error.message) : new ProviderRefusedError(error.message);
  }
  return error;
}
