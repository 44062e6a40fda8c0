import { sql, type Kysely, type Migration } from 'kysely';

// Migrations see the store untyped: they must keep working as InventoryDatabase changes.
export const stockLevels: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      CREATE TABLE stock_levels (
        product_id text NOT NULL,
        warehouse text NOT NULL,
        on_hand integer NOT NULL CHECK (on_hand >= 0),
        reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stock_levels_pkey PRIMARY KEY (product_id, warehouse),
        CONSTRAINT stock_levels_reserved_within_on_hand CHECK (reserved <= on_hand)
      )`.execute(db);
    await sql`
      CREATE TABLE stock_events (
        id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
        product_id text NOT NULL,
        warehouse text NOT NULL,
        kind text NOT NULL,
        delta integer NOT NULL,
        on_hand integer NOT NULL,
        reserved integer NOT NULL,
        actor_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`.execute(db);
    await sql`CREATE INDEX stock_events_product_idx ON stock_events (product_id, id)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`DROP TABLE stock_events`.execute(db);
    await sql`DROP TABLE stock_levels`.execute(db);
  },
};
