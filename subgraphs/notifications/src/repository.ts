import { sql, type Kysely, type Selectable } from 'kysely';
import { handleOnce, type EventEnvelope } from '@shop/events';
import type { NotificationsDatabase, NotificationsTable } from './db/schema.js';
import type { KnownOrder, NewNotification, Notification, NotificationStatus } from './model.js';

/** The only code that touches the notifications store. Reads are batch-shaped. */
export interface NotificationsRepository {
  /** Runs `work` with a repository bound to one transaction. */
  transaction<T>(work: (repository: NotificationsRepository) => Promise<T>): Promise<T>;
  /**
   * Runs `work` once per consumer and event id, in one transaction with the inbox record
   * (`handleOnce`); resolves to false for an event handled before.
   */
  handleOnce(consumer: string, event: EventEnvelope, work: (repository: NotificationsRepository) => Promise<void>): Promise<boolean>;
  /** Whether the inbox has the event already: lets a redelivery skip its lookups. */
  wasHandled(consumer: string, eventId: string): Promise<boolean>;
  /** Remembers who placed an order (first word wins: an order never changes hands). */
  rememberOrder(order: KnownOrder): Promise<void>;
  findOrder(orderId: string): Promise<KnownOrder | null>;
  /** Keeps an event until its order is known. */
  park(orderId: string, event: EventEnvelope): Promise<void>;
  /** The events parked for an order, oldest first. */
  findParked(orderId: string): Promise<EventEnvelope[]>;
  /** Takes a parked event out; false when another handler took it first. */
  unpark(eventId: string): Promise<boolean>;
  /** Stores a message; false when its event has a message already. */
  insert(notification: NewNotification): Promise<boolean>;
  /** The newest `first` messages of each user, in one query; newest first. */
  findLatestByUserIds(userIds: readonly string[], first: number): Promise<Notification[]>;
  /**
   * QUEUED messages whose time has come, oldest first, locked until the transaction ends;
   * messages another sender holds are skipped (FOR UPDATE SKIP LOCKED).
   */
  claimDue(limit: number): Promise<Notification[]>;
  markSent(id: string): Promise<void>;
  /** Counts a failed attempt: QUEUED again at `retryAt`, or FAILED when `retryAt` is null. */
  markAttemptFailed(id: string, error: string, retryAt: Date | null): Promise<void>;
}

/** Bound to a transaction (`createNotificationsRepository(trx)`), every method joins it instead of opening its own. */
export function createNotificationsRepository(db: Kysely<NotificationsDatabase>): NotificationsRepository {
  const repository: NotificationsRepository = {
    transaction: (work) => (db.isTransaction ? work(repository) : db.transaction().execute((trx) => work(createNotificationsRepository(trx)))),

    handleOnce: (consumer, event, work) =>
      handleOnce(db, consumer, event, (trx) => work(createNotificationsRepository(trx as Kysely<NotificationsDatabase>))),

    async wasHandled(consumer, eventId) {
      const { rows } = await sql<{ found: number }>`
        SELECT 1 AS found FROM event_inbox WHERE consumer = ${consumer} AND event_id = ${eventId}`.execute(db);
      return rows.length > 0;
    },

    async rememberOrder(order) {
      await db
        .insertInto('known_orders')
        .values({ order_id: order.orderId, user_id: order.userId, order_number: order.orderNumber })
        .onConflict((oc) => oc.column('order_id').doNothing())
        .execute();
    },

    async findOrder(orderId) {
      const row = await db.selectFrom('known_orders').select(['order_id', 'user_id', 'order_number']).where('order_id', '=', orderId).executeTakeFirst();
      return row ? { orderId: row.order_id, userId: row.user_id, orderNumber: row.order_number } : null;
    },

    async park(orderId, event) {
      await db
        .insertInto('parked_events')
        .values({ event_id: event.id, order_id: orderId, event: JSON.stringify(event) })
        .onConflict((oc) => oc.column('event_id').doNothing())
        .execute();
    },

    async findParked(orderId) {
      const rows = await db.selectFrom('parked_events').select('event').where('order_id', '=', orderId).orderBy('parked_at').execute();
      return rows.map((r) => (typeof r.event === 'string' ? JSON.parse(r.event) : r.event) as EventEnvelope);
    },

    async unpark(eventId) {
      const result = await db.deleteFrom('parked_events').where('event_id', '=', eventId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async insert(n) {
      const result = await db
        .insertInto('notifications')
        .values({
          user_id: n.userId,
          event_id: n.eventId,
          type: n.type,
          recipient: n.recipient,
          subject: n.subject,
          body: n.body,
          locale: n.locale,
          status: n.status,
          last_error: n.lastError,
          sent_at: null,
        })
        .onConflict((oc) => oc.column('event_id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async findLatestByUserIds(userIds, first) {
      if (userIds.length === 0 || first <= 0) return [];
      const { rows } = await sql<Selectable<NotificationsTable>>`
        SELECT * FROM (
          SELECT n.*, row_number() OVER (PARTITION BY n.user_id ORDER BY n.seq DESC) AS rank
          FROM notifications n
          WHERE n.user_id IN (${sql.join(userIds)})
        ) ranked
        WHERE rank <= ${first}
        ORDER BY seq DESC`.execute(db);
      return rows.map(toNotification);
    },

    async claimDue(limit) {
      const rows = await db
        .selectFrom('notifications')
        .selectAll()
        .where('status', '=', 'QUEUED')
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .orderBy('seq')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      return rows.map(toNotification);
    },

    async markSent(id) {
      await db
        .updateTable('notifications')
        .set((eb) => ({ status: 'SENT', attempts: eb('attempts', '+', 1), last_error: null, sent_at: sql<Date>`now()` }))
        .where('id', '=', id)
        .execute();
    },

    async markAttemptFailed(id, error, retryAt) {
      await db
        .updateTable('notifications')
        .set((eb) => ({
          status: retryAt ? 'QUEUED' : 'FAILED',
          attempts: eb('attempts', '+', 1),
          last_error: error.slice(0, 1000),
          ...(retryAt ? { next_attempt_at: retryAt } : {}),
        }))
        .where('id', '=', id)
        .execute();
    },
  };
  return repository;
}

function toNotification(row: Selectable<NotificationsTable>): Notification {
  return {
    id: row.id,
    userId: row.user_id,
    eventId: row.event_id,
    type: row.type,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    locale: row.locale,
    status: row.status as NotificationStatus,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}
