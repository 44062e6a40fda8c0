import { sql, type Kysely, type Migration } from 'kysely';

// Frozen on purpose, as in 0001: the statuses once PARTIALLY_REFUNDED exists.
const STATUSES = sql.raw(
  "('PENDING_PAYMENT', 'PAID', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURN_REQUESTED', 'PARTIALLY_REFUNDED', 'REFUNDED')",
);
const BEFORE = sql.raw("('PENDING_PAYMENT', 'PAID', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURN_REQUESTED', 'REFUNDED')");

/**
 * Refunds of some lines: each refund is a row (its idempotency key unique per order, so a retry
 * finds it), and the order and its lines keep running totals that CHECKs hold below what was
 * charged and ordered, whatever the code above does.
 */
export const partialRefunds: Migration = {
  async up(db: Kysely<any>) {
    await sql`ALTER TABLE orders DROP CONSTRAINT orders_status_check, ADD CONSTRAINT orders_status_check CHECK (status IN ${STATUSES})`.execute(db);
    await sql`
      ALTER TABLE order_status_history DROP CONSTRAINT order_status_history_status_check,
        ADD CONSTRAINT order_status_history_status_check CHECK (status IN ${STATUSES})`.execute(db);
    await sql`
      ALTER TABLE orders ADD COLUMN refunded_minor bigint NOT NULL DEFAULT 0,
        ADD CONSTRAINT orders_refunded_within_total CHECK (refunded_minor >= 0 AND refunded_minor <= total_minor)`.execute(db);
    await sql`
      ALTER TABLE order_items ADD COLUMN refunded_quantity int NOT NULL DEFAULT 0,
        ADD CONSTRAINT order_items_refunded_within_quantity CHECK (refunded_quantity >= 0 AND refunded_quantity <= quantity)`.execute(db);
    await sql`
      CREATE TABLE order_refunds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        idempotency_key text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        shipping_minor bigint NOT NULL CHECK (shipping_minor >= 0),
        currency char(3) NOT NULL,
        items jsonb NOT NULL,
        actor text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (order_id, idempotency_key)
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`DROP TABLE order_refunds`.execute(db);
    await sql`ALTER TABLE order_items DROP COLUMN refunded_quantity`.execute(db);
    await sql`ALTER TABLE orders DROP COLUMN refunded_minor`.execute(db);
    await sql`
      ALTER TABLE order_status_history DROP CONSTRAINT order_status_history_status_check,
        ADD CONSTRAINT order_status_history_status_check CHECK (status IN ${BEFORE})`.execute(db);
    await sql`ALTER TABLE orders DROP CONSTRAINT orders_status_check, ADD CONSTRAINT orders_status_check CHECK (status IN ${BEFORE})`.execute(db);
  },
};
