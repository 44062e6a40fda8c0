import { sql, type Kysely, type Migration } from 'kysely';

// Migrations see the store untyped: they must keep working as InventoryDatabase changes.
export const stockHolds: Migration = {
  async up(db: Kysely<any>) {
    // One hold per cart: holding again replaces it. Times come from the service's clock (tests move it).
    await sql`
      CREATE TABLE stock_holds (
        cart_id text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'EXPIRED', 'CONVERTED')),
        seconds integer NOT NULL CHECK (seconds > 0),
        expires_at timestamptz(3) NOT NULL,
        warn_at timestamptz(3) NOT NULL,
        warned boolean NOT NULL DEFAULT false,
        order_id text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`.execute(db);
    // The sweeper looks only for active holds past their time, or due their warning.
    await sql`CREATE INDEX stock_holds_expiry_idx ON stock_holds (expires_at) WHERE status = 'ACTIVE'`.execute(db);
    await sql`CREATE INDEX stock_holds_warning_idx ON stock_holds (warn_at) WHERE status = 'ACTIVE' AND NOT warned`.execute(db);
    await sql`
      CREATE TABLE stock_hold_items (
        cart_id text NOT NULL REFERENCES stock_holds (cart_id) ON DELETE CASCADE,
        product_id text NOT NULL,
        warehouse text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        CONSTRAINT stock_hold_items_pkey PRIMARY KEY (cart_id, product_id, warehouse)
      )`.execute(db);
    await sql`ALTER TABLE stock_events ADD COLUMN cart_id text`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`ALTER TABLE stock_events DROP COLUMN cart_id`.execute(db);
    await sql`DROP TABLE stock_hold_items`.execute(db);
    await sql`DROP TABLE stock_holds`.execute(db);
  },
};
