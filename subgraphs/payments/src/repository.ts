import { randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import { enqueueEvents, handleOnce, type EventEnvelope } from '@shop/events';
import type { PaymentsDatabase, PaymentsTable } from './db/schema.js';
import { paymentEvents, paymentPartiallyRefunded } from './events.js';
import type { Payment, PaymentUpdate } from './model.js';
import { INITIAL_STATUS, IN_FLIGHT, isPaymentStatus, statusesLeadingTo, type PaymentStatus } from './paymentStatus.js';

/** A payment attempt about to be made. */
export interface NewAttempt {
  orderId: string;
  userId: string;
  amountMinor: number;
  currency: string;
  provider: string;
  paymentMethod: string;
  /**
   * The attempt's idempotency key when the client's request carried one (see clientAttemptKey);
   * otherwise one is derived from the attempt's id.
   */
  requestKey?: string;
}

/**
 * What starting an attempt found: the attempt this request key started before (a retry), the
 * key used for another order, the order paid already, an attempt still open, or a new one.
 */
export type AttemptStart =
  | { kind: 'replayed'; payment: Payment }
  | { kind: 'keyReused'; payment: Payment }
  | { kind: 'paid'; payment: Payment }
  | { kind: 'inFlight'; payment: Payment }
  | { kind: 'created'; payment: Payment };

/** The only code that touches the payments store. Reads are batch-shaped. */
export interface PaymentsRepository {
  /** Runs `work` with a repository bound to one transaction. */
  transaction<T>(work: (repository: PaymentsRepository) => Promise<T>): Promise<T>;
  /**
   * Runs `work` once per consumer and event id, in one transaction with the inbox record
   * (`handleOnce`); resolves to false for an event handled before.
   */
  handleOnce(consumer: string, event: EventEnvelope, work: (repository: PaymentsRepository) => Promise<void>): Promise<boolean>;
  /** The payments of many orders, each order's newest first, in one query. */
  findByOrderIds(orderIds: readonly string[]): Promise<Payment[]>;
  /**
   * Decides, under a per-order lock so concurrent requests for one order queue up, whether a
   * new attempt may start: not when the order is paid, not while another attempt is open.
   * Otherwise stores the new attempt (PROCESSING) with its idempotency key.
   */
  beginAttempt(attempt: NewAttempt): Promise<AttemptStart>;
  /** The attempt started with this idempotency key, if any. */
  findByIdempotencyKey(idempotencyKey: string): Promise<Payment | null>;
  /** Forgets an attempt the provider refused outright (nothing was created there). */
  discard(paymentId: string): Promise<void>;
  /**
   * Moves a payment to `to` if the state machine allows it from where it is now, and writes
   * the matching domain event to the outbox in the same transaction. When it is not allowed
   * (another path got there first) nothing moves and no event is written; ids the provider
   * named are still kept if we did not know them. Null for an unknown payment.
   */
  transition(paymentId: string, to: PaymentStatus, update?: PaymentUpdate): Promise<{ payment: Payment; changed: boolean } | null>;
  /**
   * The payment a provider event is about: by the provider's id, or (when the webhook beats
   * our own request to recording that id) by the payment id we put in the metadata.
   */
  findForProvider(provider: string, providerPaymentId: string, paymentId: string | null): Promise<Payment | null>;
  /** Records a provider webhook event id; false when it had been recorded before (a redelivery). */
  recordWebhookEvent(id: string, type: string): Promise<boolean>;
  /** An order's payments in these statuses, locked until the transaction ends. */
  lockByOrder(orderId: string, statuses: readonly PaymentStatus[]): Promise<Payment[]>;
  /**
   * Serialises everything that decides about one order's payments (starting an attempt,
   * closing the order, refunding a late success) until the transaction ends.
   */
  lockOrder(orderId: string): Promise<void>;
  /**
   * Records a refund the provider made of `amountMinor` (at most what is left of the payment),
   * once per `refundKey`: adds it to what was refunded, moves the payment to PARTIALLY_REFUNDED,
   * or REFUNDED once all of it is back, and writes the event. Null when the key was recorded
   * before or the payment can no longer be refunded (nothing changes then).
   */
  recordRefund(paymentId: string, refundKey: string, amountMinor: number, providerRefundId: string): Promise<Payment | null>;
  /** Remembers that an order was cancelled or refunded; it never reopens. */
  closeOrder(orderId: string, status: 'CANCELLED' | 'REFUNDED'): Promise<void>;
  isOrderClosed(orderId: string): Promise<boolean>;
}

// Payment ids are PostgreSQL uuids; anything else cannot match and must not reach the driver.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isPaymentId(value: string): boolean {
  return UUID.test(value);
}

/** Bound to a transaction (`createPaymentsRepository(trx)`), every method joins it instead of opening its own. */
export function createPaymentsRepository(db: Kysely<PaymentsDatabase>): PaymentsRepository {
  const inTransaction = <T>(work: (trx: Kysely<PaymentsDatabase>) => Promise<T>): Promise<T> =>
    db.isTransaction ? work(db) : db.transaction().execute(work);

  return {
    transaction<T>(work: (repository: PaymentsRepository) => Promise<T>): Promise<T> {
      return inTransaction((trx) => work(createPaymentsRepository(trx)));
    },

    async findByOrderIds(orderIds: readonly string[]): Promise<Payment[]> {
      if (orderIds.length === 0) return [];
      const rows = await db
        .selectFrom('payments')
        .selectAll()
        .where('order_id', 'in', orderIds)
        .orderBy('order_id')
        .orderBy('seq', 'desc')
        .execute();
      return rows.map(toPayment);
    },

    async beginAttempt(attempt: NewAttempt): Promise<AttemptStart> {
      return inTransaction(async (trx) => {
        await lockOrder(trx, attempt.orderId);
        if (attempt.requestKey !== undefined) {
          const earlier = await trx.selectFrom('payments').selectAll().where('idempotency_key', '=', attempt.requestKey).executeTakeFirst();
          if (earlier) return { kind: earlier.order_id === attempt.orderId ? 'replayed' : 'keyReused', payment: toPayment(earlier) };
        }
        const open = await trx
          .selectFrom('payments')
          .selectAll()
          .where('order_id', '=', attempt.orderId)
          .where('status', 'in', ['SUCCEEDED', ...IN_FLIGHT])
          .orderBy('seq', 'desc')
          .execute();
        const paid = open.find((row) => row.status === 'SUCCEEDED');
        if (paid) return { kind: 'paid', payment: toPayment(paid) };
        if (open[0]) return { kind: 'inFlight', payment: toPayment(open[0]) };
        const id = randomUUID();
        const row = await trx
          .insertInto('payments')
          .values({
            id,
            order_id: attempt.orderId,
            user_id: attempt.userId,
            status: INITIAL_STATUS,
            amount_minor: attempt.amountMinor,
            currency: attempt.currency,
            provider: attempt.provider,
            payment_method: attempt.paymentMethod,
            // Every request to the provider about this attempt carries it.
            idempotency_key: attempt.requestKey ?? `payment:${id}`,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { kind: 'created', payment: toPayment(row) };
      });
    },

    async findByIdempotencyKey(idempotencyKey: string): Promise<Payment | null> {
      const row = await db.selectFrom('payments').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
      return row ? toPayment(row) : null;
    },

    async discard(paymentId: string): Promise<void> {
      await db.deleteFrom('payments').where('id', '=', paymentId).where('status', '=', INITIAL_STATUS).execute();
    },

    async transition(paymentId: string, to: PaymentStatus, update: PaymentUpdate = {}): Promise<{ payment: Payment; changed: boolean } | null> {
      return inTransaction(async (trx) => {
        const keep = (eb: ExpressionBuilder<PaymentsDatabase, 'payments'>) => ({
          provider_payment_id: eb.fn.coalesce('provider_payment_id', eb.val(update.providerPaymentId ?? null)),
          client_secret: eb.fn.coalesce(eb.val(update.clientSecret ?? null), 'client_secret'),
        });
        const from = statusesLeadingTo(to);
        const moved =
          from.length === 0
            ? undefined
            : await trx
                .updateTable('payments')
                .set((eb) => ({
                  ...keep(eb),
                  status: to,
                  failure_reason: update.failureReason ?? null,
                  updated_at: sql<Date>`now()`,
                  // Refunded in full (a webhook, say): everything is back, whatever was before.
                  ...(to === 'REFUNDED' ? { refunded_minor: eb.ref('amount_minor') } : {}),
                }))
                .where('id', '=', paymentId)
                .where('status', 'in', from)
                .returningAll()
                .executeTakeFirst();
        if (moved) {
          const payment = toPayment(moved);
          await enqueueEvents(trx, paymentEvents(payment));
          return { payment, changed: true };
        }
        const row = await trx.updateTable('payments').set(keep).where('id', '=', paymentId).returningAll().executeTakeFirst();
        return row ? { payment: toPayment(row), changed: false } : null;
      });
    },

    async recordRefund(paymentId: string, refundKey: string, amountMinor: number, providerRefundId: string): Promise<Payment | null> {
      return inTransaction(async (trx) => {
        const recorded = await trx
          .insertInto('payment_refunds')
          .values({ refund_key: refundKey, payment_id: paymentId, amount_minor: amountMinor, provider_refund_id: providerRefundId })
          .onConflict((oc) => oc.column('refund_key').doNothing())
          .returning('refund_key')
          .executeTakeFirst();
        if (!recorded) return null;
        const row = await trx
          .updateTable('payments')
          .set((eb) => ({
            refunded_minor: eb('refunded_minor', '+', amountMinor),
            status: sql<string>`CASE WHEN refunded_minor + ${amountMinor} >= amount_minor THEN 'REFUNDED' ELSE 'PARTIALLY_REFUNDED' END`,
            updated_at: sql<Date>`now()`,
          }))
          .where('id', '=', paymentId)
          .where('status', 'in', ['SUCCEEDED', 'PARTIALLY_REFUNDED'])
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        const payment = toPayment(row);
        await enqueueEvents(trx, payment.status === 'REFUNDED' ? paymentEvents(payment) : [paymentPartiallyRefunded(payment, amountMinor)]);
        return payment;
      });
    },

    async findForProvider(provider: string, providerPaymentId: string, paymentId: string | null): Promise<Payment | null> {
      const byProviderId = await db
        .selectFrom('payments')
        .selectAll()
        .where('provider', '=', provider)
        .where('provider_payment_id', '=', providerPaymentId)
        .executeTakeFirst();
      if (byProviderId) return toPayment(byProviderId);
      if (paymentId === null || !isPaymentId(paymentId)) return null;
      const byId = await db
        .selectFrom('payments')
        .selectAll()
        .where('id', '=', paymentId)
        .where('provider', '=', provider)
        .where('provider_payment_id', 'is', null)
        .executeTakeFirst();
      return byId ? toPayment(byId) : null;
    },

    handleOnce(consumer: string, event: EventEnvelope, work: (repository: PaymentsRepository) => Promise<void>): Promise<boolean> {
      return handleOnce(db, consumer, event, (trx) => work(createPaymentsRepository(trx as Kysely<PaymentsDatabase>)));
    },

    async recordWebhookEvent(id: string, type: string): Promise<boolean> {
      const result = await db
        .insertInto('payment_webhook_events')
        .values({ id, type })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async lockByOrder(orderId: string, statuses: readonly PaymentStatus[]): Promise<Payment[]> {
      const rows = await db
        .selectFrom('payments')
        .selectAll()
        .where('order_id', '=', orderId)
        .where('status', 'in', statuses)
        .orderBy('seq')
        .forUpdate()
        .execute();
      return rows.map(toPayment);
    },

    lockOrder: (orderId: string) => lockOrder(db, orderId),

    async closeOrder(orderId: string, status: 'CANCELLED' | 'REFUNDED'): Promise<void> {
      await db.insertInto('closed_orders').values({ order_id: orderId, status }).onConflict((oc) => oc.column('order_id').doNothing()).execute();
    },

    async isOrderClosed(orderId: string): Promise<boolean> {
      return (await db.selectFrom('closed_orders').select('order_id').where('order_id', '=', orderId).executeTakeFirst()) !== undefined;
    },
  };
}

async function lockOrder(db: Kysely<PaymentsDatabase>, orderId: string): Promise<void> {
  if (!db.isTransaction) throw new Error('lockOrder needs a transaction: the lock is held until it ends');
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`payments:order:${orderId}`}, 0))`.execute(db);
}

function toPayment(row: Selectable<PaymentsTable>): Payment {
  if (!isPaymentStatus(row.status)) throw new Error(`Unknown payment status in the store: ${row.status}`);
  return {
    id: row.id,
    orderId: row.order_id,
    userId: row.user_id,
    status: row.status,
    amountMinor: row.amount_minor,
    refundedMinor: row.refunded_minor,
    currency: row.currency,
    provider: row.provider,
    paymentMethod: row.payment_method,
    providerPaymentId: row.provider_payment_id,
    clientSecret: row.client_secret,
    failureReason: row.failure_reason,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
