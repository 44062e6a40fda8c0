import { createHash } from 'node:crypto';
import { badUserInput, conflict, notFound } from '@shop/errors';
import type { EventEnvelope } from '@shop/events';
import { requireCaller, type Caller, type Logger } from '@shop/subgraph-kit';
import type { PaymentsContext } from './context.js';
import type { Payment } from './model.js';
import type { OrderReader } from './orderReader.js';
import type { PaymentStatus } from './paymentStatus.js';
import {
  InvalidPaymentMethodError,
  ProviderBusyError,
  ProviderRefusedError,
  type IntentOutcome,
  type PaymentProvider,
} from './providers/paymentProvider.js';
import type { PaymentsRepository } from './repository.js';

/** The consumer group (and inbox name) of payments' event handlers. */
export const CONSUMER_GROUP = 'payments';

const PAYABLE_ORDER_STATUS = 'PENDING_PAYMENT';
const PAYMENT_METHOD = /^[A-Za-z0-9_]{1,255}$/;
// Each round either finishes or clears one open attempt out of the way; this bounds the loop.
const ATTEMPT_ROUNDS = 3;

/**
 * The provider idempotency key of an attempt a client started with its own `Idempotency-Key`:
 * the same client retry reaches the provider with the same key (so it is never charged twice,
 * even when the router's record of the first answer is gone), and one customer's key never
 * meets another's. Hashed: the provider takes at most 255 characters.
 */
export function clientAttemptKey(userId: string, idempotencyKey: string): string {
  return `client:${createHash('sha256').update(`${userId}\n${idempotencyKey}`).digest('base64url')}`;
}

/** A provider webhook event in our terms: which payment it is about and where it moves it. */
export interface ProviderEvent {
  /** The provider's event id: a redelivered event carries the same one. */
  id: string;
  type: string;
  /** The provider whose payments it is about (`stripe`). */
  provider: string;
  /** Null for an event type that moves nothing. */
  change: {
    to: Extract<PaymentStatus, 'SUCCEEDED' | 'FAILED' | 'REFUNDED'>;
    providerPaymentId: string;
    /** Our payment id from the metadata we sent, when the event carries it. */
    paymentId: string | null;
    failureReason: string | null;
  } | null;
}

export type ProviderEventResult = 'applied' | 'unchanged' | 'duplicate' | 'ignored';

/** An `order.refund_requested` event's data, as far as payments reads it. */
export interface RefundRequested {
  refundId: string;
  orderId: string;
  amountMinor: number;
  currency: string;
}

/** Payments that still hold money to give back. */
const REFUNDABLE: readonly PaymentStatus[] = ['SUCCEEDED', 'PARTIALLY_REFUNDED'];

/** An `order.status_changed` event's data, as far as payments reads it. */
export interface OrderStatusChange {
  orderId: string;
  from: string;
  to: string;
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;

/**
 * Domain rules and authorization. The synchronous payOrder path, provider webhooks and order
 * events all change payments through `repository.transition`, which follows the state machine
 * and writes the domain event in the same transaction: whichever path arrives first moves the
 * payment and publishes; the later one changes nothing.
 */
export function createPaymentsService(deps: {
  repository: PaymentsRepository;
  provider: PaymentProvider;
  orderReader: OrderReader;
  /** Called after a commit that may have written outbox events (wakes the relay). */
  published: () => void;
  logger: Logger;
}) {
  const { repository, provider, orderReader, published, logger } = deps;

  /** Records what the provider said; the state machine decides whether it moves anything. */
  async function record(repo: PaymentsRepository, payment: Payment, outcome: IntentOutcome): Promise<Payment> {
    const result = await repo.transition(payment.id, outcome.status, {
      providerPaymentId: outcome.providerPaymentId,
      clientSecret: outcome.clientSecret,
      failureReason: outcome.failureReason,
    });
    if (!result) throw new Error(`Payment ${payment.id} disappeared from the store`);
    if (result.changed) published();
    return result.payment;
  }

  function assertOwnProvider(payment: Payment): void {
    if (payment.provider !== provider.name) {
      throw new Error(`Payment ${payment.id} was made with ${payment.provider}, but this process runs ${provider.name}`);
    }
  }

  /**
   * Creates and confirms the attempt at the provider with its own idempotency key, so driving
   * the same attempt again (a retry after a lost answer) is answered, never charged twice.
   */
  async function drive(payment: Payment): Promise<Payment> {
    assertOwnProvider(payment);
    let outcome: IntentOutcome;
    try {
      outcome = await provider.createAndConfirm({
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        paymentMethod: payment.paymentMethod,
        idempotencyKey: payment.idempotencyKey,
        metadata: { orderId: payment.orderId, paymentId: payment.id },
      });
    } catch (error) {
      if (error instanceof InvalidPaymentMethodError || error instanceof ProviderRefusedError) {
        // Refused before anything was created: the attempt never happened.
        await repository.discard(payment.id);
        if (error instanceof InvalidPaymentMethodError) {
          throw badUserInput(`paymentMethod ${JSON.stringify(payment.paymentMethod)} is not a payment method the provider knows`, 'paymentMethod');
        }
      }
      if (error instanceof ProviderBusyError) throw busy();
      throw error;
    }
    return record(repository, payment, outcome);
  }

  /** Cancels an attempt that waits for the customer, so another may start; it may turn out to have succeeded. */
  async function cancelAttempt(repo: PaymentsRepository, payment: Payment): Promise<Payment> {
    assertOwnProvider(payment);
    if (!payment.providerPaymentId) throw busy();
    return record(repo, payment, await provider.cancel(payment.providerPaymentId, `cancel:${payment.id}`));
  }

  /**
   * Gives back what is left of a payment, or of it at most `part.amountMinor` for the line refund
   * `part.key` (an orders refund id). Resolves to the amount refunded (0 when nothing was left).
   */
  async function refund(repo: PaymentsRepository, payment: Payment, part?: { key: string; amountMinor: number }): Promise<number> {
    assertOwnProvider(payment);
    if (!payment.providerPaymentId) throw new Error(`Succeeded payment ${payment.id} has no provider id`);
    const left = payment.amountMinor - payment.refundedMinor;
    const amountMinor = Math.min(part?.amountMinor ?? left, left);
    if (amountMinor <= 0) return 0;
    // One refund of the rest per payment, and one per line refund: a redelivered event or a
    // retry is answered by the provider, not paid out again.
    const key = part ? `refund:${payment.id}:${part.key}` : `refund:${payment.id}`;
    const outcome = await provider.refund({
      providerPaymentId: payment.providerPaymentId,
      amountMinor,
      idempotencyKey: key,
      metadata: { orderId: payment.orderId, paymentId: payment.id },
    });
    if (outcome.status === 'succeeded' || outcome.status === 'pending') {
      await repo.recordRefund(payment.id, key, amountMinor, outcome.refundId);
      return amountMinor;
    } else {
      logger.error('refund did not go through; the payment stays SUCCEEDED and needs a person', {
        paymentId: payment.id,
        orderId: payment.orderId,
        refundId: outcome.refundId,
        refundStatus: outcome.status,
      });
      return 0;
    }
  }

  return {
    /**
     * Pays a PENDING_PAYMENT order that the caller may see, with one new attempt. While an
     * attempt is open, asking again with the same payment method is a retry of that attempt;
     * another method first settles it (asks the provider how it ended, or cancels one that
     * waits for the customer).
     */
    async payOrder(ctx: PaymentsContext, orderId: string, paymentMethod: string): Promise<Payment> {
      const caller = requireCaller(ctx);
      const method = paymentMethod.trim();
      if (!PAYMENT_METHOD.test(method)) {
        throw badUserInput('paymentMethod must be a payment method id such as "pm_card_visa"', 'paymentMethod');
      }
      const requestKey = ctx.idempotencyKey ? clientAttemptKey(caller.userId, ctx.idempotencyKey) : undefined;
      // A retry of a request that started an attempt gets that attempt, even once the order has moved on (PAID).
      const earlier = requestKey === undefined ? null : await repository.findByIdempotencyKey(requestKey);
      if (earlier && earlier.orderId === orderId && earlier.status !== 'PROCESSING') return earlier;
      const order = await orderReader.read(orderId, ctx.authorization);
      if (!order) throw notFound('Order', orderId);
      if (order.status !== PAYABLE_ORDER_STATUS) {
        throw conflict(`An order that is ${order.status} cannot be paid`, { reason: 'ILLEGAL_TRANSITION', status: order.status, from: order.status, to: 'PAID' });
      }
      ctx.loaders.paymentsByOrderId.clear(order.id);
      for (let round = 1; round <= ATTEMPT_ROUNDS; round += 1) {
        const start = await repository.beginAttempt({
          orderId: order.id,
          userId: caller.userId,
          amountMinor: order.totalMinor,
          currency: order.currency,
          provider: provider.name,
          paymentMethod: method,
          ...(requestKey === undefined ? {} : { requestKey }),
        });
        if (start.kind === 'keyReused') {
          throw conflict('This Idempotency-Key paid another order; use a new key for a new payment', { reason: 'IDEMPOTENCY_KEY_REUSED' });
        }
        if (start.kind === 'replayed') return start.payment.status === 'PROCESSING' ? drive(start.payment) : start.payment;
        if (start.kind === 'paid') throw conflict('This order has already been paid', { paymentId: start.payment.id });
        if (start.kind === 'created') return drive(start.payment);
        const open = start.payment.status === 'PROCESSING' ? await drive(start.payment) : start.payment;
        if (open.paymentMethod === method && open.userId === caller.userId) return open;
        if (open.status === 'REQUIRES_ACTION') await cancelAttempt(repository, open);
        else if (open.status === 'PROCESSING') throw busy();
      }
      throw busy();
    },

    /** The attempts on an order the caller may see (their own; an ADMIN all), newest first. */
    async paymentsOfOrder(ctx: PaymentsContext, orderId: string): Promise<Payment[]> {
      const caller = ctx.caller;
      if (!caller) return [];
      return (await ctx.loaders.paymentsByOrderId.load(orderId)).filter((payment) => canSee(caller, payment));
    },

    /**
     * Only the customer who made the payment gets its client secret (with it their browser can
     * complete or re-confirm the payment), and only while it waits for them.
     */
    clientSecretFor(ctx: PaymentsContext, payment: Payment): string | null {
      return ctx.caller?.userId === payment.userId && payment.status === 'REQUIRES_ACTION' ? payment.clientSecret : null;
    },

    /**
     * A verified provider webhook: recorded by its id (a redelivery changes nothing), then
     * applied as the same transition the synchronous path makes, in the same transaction.
     */
    async applyProviderEvent(event: ProviderEvent): Promise<ProviderEventResult> {
      const result = await repository.transaction(async (repo): Promise<ProviderEventResult> => {
        if (!(await repo.recordWebhookEvent(event.id, event.type))) return 'duplicate';
        const change = event.change;
        if (!change) return 'ignored';
        const payment = await repo.findForProvider(event.provider, change.providerPaymentId, change.paymentId);
        if (!payment) {
          logger.warn('webhook about a payment we do not know', { eventId: event.id, type: event.type, providerPaymentId: change.providerPaymentId });
          return 'ignored';
        }
        const moved = await repo.transition(payment.id, change.to, {
          providerPaymentId: change.providerPaymentId,
          failureReason: change.failureReason,
        });
        return moved?.changed ? 'applied' : 'unchanged';
      });
      if (result === 'applied') published();
      return result;
    },

    /**
     * An order was cancelled or refunded: payments remembers that it is closed, cancels the
     * attempts still waiting for the customer, and refunds every succeeded payment in full
     * (also one that succeeded just as an unpaid order was cancelled). Once per event,
     * however often it is delivered.
     */
    async onOrderStatusChanged(event: EventEnvelope, change: OrderStatusChange): Promise<void> {
      const closedAs = change.to === 'CANCELLED' || change.to === 'REFUNDED' ? change.to : null;
      if (!closedAs) return;
      const handled = await repository.handleOnce(CONSUMER_GROUP, event, async (repo) => {
        await repo.lockOrder(change.orderId);
        await repo.closeOrder(change.orderId, closedAs);
        for (const open of await repo.lockByOrder(change.orderId, ['REQUIRES_ACTION'])) await cancelAttempt(repo, open);
        for (const paid of await repo.lockByOrder(change.orderId, REFUNDABLE)) await refund(repo, paid);
      });
      if (handled) published();
    },

    /**
     * Orders refunded some lines (`order.refund_requested`): gives back that amount from the
     * order's captured payments, never more than is left of them. Once per event.
     */
    async onRefundRequested(event: EventEnvelope, request: RefundRequested): Promise<void> {
      const handled = await repository.handleOnce(CONSUMER_GROUP, event, async (repo) => {
        await repo.lockOrder(request.orderId);
        let left = request.amountMinor;
        for (const paid of await repo.lockByOrder(request.orderId, REFUNDABLE)) {
          if (left <= 0) break;
          if (paid.currency !== request.currency) continue;
          left -= await refund(repo, paid, { key: request.refundId, amountMinor: left });
        }
        if (left > 0) logger.error('a refund asked for more than the order has captured; the rest needs a person', { ...request, notRefundedMinor: left });
      });
      if (handled) published();
    },

    /**
     * Our own `payment.succeeded`, consumed back: a payment that succeeded after its order was
     * closed (an attempt still in flight at the provider when the order was cancelled) is
     * refunded. Under the order's lock, so either this or the closing sees the other.
     */
    async onPaymentSucceeded(event: EventEnvelope, orderId: string): Promise<void> {
      // The success committed before its event was published, so a closing that comes after
      // this check will see (and refund) it: only closed orders need the locked path.
      if (!(await repository.isOrderClosed(orderId))) return;
      const handled = await repository.handleOnce(CONSUMER_GROUP, event, async (repo) => {
        await repo.lockOrder(orderId);
        if (!(await repo.isOrderClosed(orderId))) return;
        for (const paid of await repo.lockByOrder(orderId, REFUNDABLE)) {
          logger.warn('a payment succeeded for a closed order; refunding it', { paymentId: paid.id, orderId });
          await refund(repo, paid);
        }
      });
      if (handled) published();
    },
  };
}

function canSee(caller: Caller, payment: Payment): boolean {
  return caller.role === 'ADMIN' || caller.userId === payment.userId;
}

function busy() {
  return conflict('Another payment for this order is being processed; try again in a moment', { reason: 'CONCURRENT_UPDATE' });
}
