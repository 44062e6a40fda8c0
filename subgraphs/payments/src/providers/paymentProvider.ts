/**
 * The port to a payment provider. Both adapters (Stripe through its official SDK, and the
 * simulated provider with Stripe's test-card semantics) answer in these terms, so the service
 * runs the same code whichever is configured.
 */

/** Where a provider-side payment stands after a request, mapped to our statuses. */
export interface IntentOutcome {
  status: 'PROCESSING' | 'REQUIRES_ACTION' | 'SUCCEEDED' | 'FAILED';
  /** The provider's id for the payment (a PaymentIntent id); null when it created none. */
  providerPaymentId: string | null;
  /** Lets the customer's browser finish the payment (3-D Secure); set with REQUIRES_ACTION. */
  clientSecret: string | null;
  /** Why it failed, e.g. a decline code (`generic_decline`, `insufficient_funds`). */
  failureReason: string | null;
}

export interface ChargeRequest {
  amountMinor: number;
  /** ISO 4217, upper case as stored; adapters convert to what their API wants. */
  currency: string;
  paymentMethod: string;
  /** The same key for every request about one attempt: a repeat is answered, never charged again. */
  idempotencyKey: string;
  metadata: { orderId: string; paymentId: string };
}

export interface RefundRequest {
  providerPaymentId: string;
  amountMinor: number;
  idempotencyKey: string;
  metadata: { orderId: string; paymentId: string };
}

export interface RefundOutcome {
  refundId: string;
  /** `succeeded` or `pending` count as refunded; `failed` or `canceled` need a person. */
  status: 'succeeded' | 'pending' | 'failed' | 'canceled' | 'requires_action';
}

export interface PaymentProvider {
  /** Stored with each payment and published in events: `stripe` or `simulated`. */
  readonly name: string;
  /** Creates and confirms a payment in one request. Declines are outcomes, not errors. */
  createAndConfirm(request: ChargeRequest): Promise<IntentOutcome>;
  /** Cancels a payment that still waits for the customer; answers its state either way. */
  cancel(providerPaymentId: string, idempotencyKey: string): Promise<IntentOutcome>;
  /** Refunds `amountMinor` of a succeeded payment (refunds add up to at most what it took). */
  refund(request: RefundRequest): Promise<RefundOutcome>;
}

/** The provider does not know the payment method: the customer's input was wrong; nothing was charged. */
export class InvalidPaymentMethodError extends Error {
  override name = 'InvalidPaymentMethodError';
}

/** The provider refused the request outright (not a decline): nothing was created or charged. */
export class ProviderRefusedError extends Error {
  override name = 'ProviderRefusedError';
}

/** Another request with the same idempotency key is still running at the provider. */
export class ProviderBusyError extends Error {
  override name = 'ProviderBusyError';
}
