import type { ColumnType, Generated } from 'kysely';

/** The notifications store as kysely sees it: one interface per table, columns as the driver returns them. */
export interface NotificationsDatabase {
  notifications: NotificationsTable;
  known_orders: KnownOrdersTable;
  parked_events: ParkedEventsTable;
}

/** Every message ever rendered, sent or not: the outbox of the SMTP sender and the history users read. */
export interface NotificationsTable {
  id: Generated<string>;
  /** Insertion order, for "newest first" without ties. */
  seq: ColumnType<string, never, never>;
  /** The users subgraph's id of the addressee, opaque here. */
  user_id: string;
  /** The domain event the message is about: at most one message per event. */
  event_id: string;
  type: string;
  channel: Generated<string>;
  /** The e-mail address at the time the message was rendered; null when the users subgraph knew none. */
  recipient: string | null;
  subject: string;
  body: string;
  /** The template locale the message was rendered in. */
  locale: string;
  status: string;
  attempts: Generated<number>;
  last_error: string | null;
  /** When the sender may try a QUEUED message (again). */
  next_attempt_at: Generated<Date>;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

/** Who placed which order, learnt from `order.placed` / `order.status_changed`. */
export interface KnownOrdersTable {
  order_id: string;
  user_id: string;
  order_number: string;
  learnt_at: Generated<Date>;
}

/** Events about an order not known yet, kept until an order event names its customer. */
export interface ParkedEventsTable {
  event_id: string;
  order_id: string;
  /** The whole envelope. */
  event: unknown;
  parked_at: Generated<Date>;
}
