import { sql, type Kysely, type Migration } from 'kysely';

// Migrations see the store untyped: they must keep working as InventoryDatabase changes.
export const stockReservations: Migration = {
  async up(db: Kysely<any>) {
    // One reservation per order: the order id is the idempotency key of `reserveStock`.
    await sql`
      CREATE TABLE stock_reservations (
        order_id text PRIMARY KEY,
        user_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'COMMITTED', 'RELEASED', 'EXPIRED')),
        expires_at timestamptz(3) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`.execute(db);
    // The sweeper only ever looks for active reservations past their time.
    await sql`CREATE INDEX stock_reservations_expiry_idx ON stock_reservations (expires_at) WHERE status = 'ACTIVE'`.execute(db);
    // Which warehouse each reserved unit is held in, so release and commit undo exactly that.
    await sql`
      CREATE TABLE stock_reservation_items (
        order_id text NOT NULL REFERENCES stock_reservations (order_id) ON DELETE CASCADE,
        product_id text NOT NULL,
        warehouse text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        CONSTRAINT stock_reservation_items_pkey PRIMARY KEY (order_id, product_id, warehouse)
      )`.execute(db);
    // Stock history rows caused by a reservation name its order.
    await sql`ALTER TABLE stock_events ADD COLUMN order_id text`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`ALTER TABLE stock_events DROP COLUMN order_id`.execute(db);
    await sql`DROP TABLE stock_reservation_items`.execute(db);
    await sql`DROP TABLE stock_reservations`.execute(db);
  },
};
