import { sql, type Kysely, type Migration } from 'kysely';

// The status list is frozen here on purpose: a migration is a snapshot, and a later change to
// the state machine gets its own migration.
const STATUSES = sql.raw(
  "('PENDING_PAYMENT', 'PAID', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURN_REQUESTED', 'REFUNDED')",
);

export const createOrders: Migration = {
  async up(db: Kysely<any>) {
    // Order numbers come from a sequence so they are unique and short; starting at 100000
    // keeps them at six digits or more ("SO-100042").
    await sql`CREATE SEQUENCE order_number_seq START WITH 100000 MINVALUE 100000`.execute(db);
    // timestamptz(3): millisecond precision, so a timestamp survives the round trip through a
    // JS Date exactly and pagination cursors built from it compare correctly.
    await sql`
      CREATE TABLE orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_number text NOT NULL UNIQUE DEFAULT ('SO-' || nextval('order_number_seq')),
        user_id text NOT NULL,
        status text NOT NULL CHECK (status IN ${STATUSES}),
        currency char(3) NOT NULL,
        subtotal_minor bigint NOT NULL CHECK (subtotal_minor >= 0),
        total_minor bigint NOT NULL CHECK (total_minor >= 0),
        idempotency_key text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (user_id, idempotency_key)
      )`.execute(db);
    await sql`ALTER SEQUENCE order_number_seq OWNED BY orders.order_number`.execute(db);
    await sql`CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at DESC, id DESC)`.execute(db);
    await sql`CREATE INDEX orders_created_at_idx ON orders (created_at DESC, id DESC)`.execute(db);
    await sql`
      CREATE TABLE order_items (
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        position int NOT NULL CHECK (position >= 0),
        product_id text NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
        currency char(3) NOT NULL,
        PRIMARY KEY (order_id, position),
        UNIQUE (order_id, product_id)
      )`.execute(db);
    await sql`
      CREATE TABLE order_status_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ${STATUSES}),
        at timestamptz(3) NOT NULL DEFAULT now(),
        actor text NOT NULL
      )`.execute(db);
    await sql`CREATE INDEX order_status_history_order_id_idx ON order_status_history (order_id, id)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`DROP TABLE order_status_history`.execute(db);
    await sql`DROP TABLE order_items`.execute(db);
    await sql`DROP TABLE orders`.execute(db);
  },
};
