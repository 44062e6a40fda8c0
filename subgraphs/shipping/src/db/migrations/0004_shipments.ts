import { sql, type Kysely, type Migration } from 'kysely';

// Migrations see the store untyped: they must keep working as ShippingDatabase changes.
export const shipments: Migration = {
  async up(db: Kysely<any>) {
    // Ids are text, not uuid: any string a client sends compares safely (no SQL cast errors).
    // The carrier list lives in code (src/carriers.ts), so adding one needs no migration.
    await sql`
      CREATE TABLE shipments (
        id text PRIMARY KEY,
        order_id text NOT NULL CHECK (length(order_id) BETWEEN 1 AND 200),
        carrier text NOT NULL CHECK (carrier ~ '^[A-Z]{2,16}$'),
        tracking_number text NOT NULL CHECK (tracking_number ~ '^[A-Za-z0-9-]{4,40}$'),
        status text NOT NULL CHECK (status IN ('SHIPPED', 'DELIVERED')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CHECK ((status = 'DELIVERED') = (delivered_at IS NOT NULL))
      )`.execute(db);
    // At most one active shipment per order, decided by the database so concurrent admins
    // cannot both win. Statuses added later (e.g. CANCELLED) stay outside this index.
    await sql`
      CREATE UNIQUE INDEX shipments_one_active_per_order ON shipments (order_id)
      WHERE status IN ('SHIPPED', 'DELIVERED')`.execute(db);
    await sql`CREATE INDEX shipments_by_order ON shipments (order_id, created_at)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`DROP TABLE shipments`.execute(db);
  },
};
