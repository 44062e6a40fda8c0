import type { ColumnType, Generated } from 'kysely';

/** The payments store as kysely sees it: one interface per table, columns as the driver returns them. */
export interface PaymentsDatabase {
  payments: PaymentsTable;
  payment_webhook_events: PaymentWebhookEventsTable;
  closed_orders: ClosedOrdersTable;
  payment_refunds: PaymentRefundsTable;
}

export interface PaymentsTable {
  id: Generated<string>;
  /** Insertion order, for "newest first" without ties. */
  seq: ColumnType<number, never, never>;
  /** The orders subgraph's id, opaque here. */
  order_id: string;
  /** Who asked for the payment (from their access token): the owner of its details. */
  user_id: string;
  status: string;
  amount_minor: number;
  currency: string;
  /** `stripe` or `simulated`. */
  provider: string;
  /** The provider's payment method token the customer chose, e.g. `pm_card_visa`. */
  payment_method: string;
  /** The provider's id for the charge (a PaymentIntent id); null until the provider named it. */
  provider_payment_id: string | null;
  client_secret: string | null;
  failure_reason: string | null;
  /** Sent with every provider request for this attempt, so a repeated request never charges twice. */
  idempotency_key: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** What refunds returned of `amount_minor` so far. */
  refunded_minor: Generated<number>;
}

/** Each refund made, by the key of what asked for it (once per key: a redelivery pays nothing). */
export interface PaymentRefundsTable {
  refund_key: string;
  payment_id: string;
  amount_minor: number;
  provider_refund_id: string;
  created_at: Generated<Date>;
}

/** Provider webhook events already handled, by the provider's event id. */
export interface PaymentWebhookEventsTable {
  id: string;
  type: string;
  received_at: Generated<Date>;
}

/**
 * Orders that were cancelled or refunded (learnt from `order.status_changed`): a payment that
 * succeeds for one of them afterwards is refunded at once.
 */
export interface ClosedOrdersTable {
  order_id: string;
  status: string;
  closed_at: Generated<Date>;
}
