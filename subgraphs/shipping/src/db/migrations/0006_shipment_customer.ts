import { sql, type Kysely, type Migration } from 'kysely';

// Whose order a shipment belongs to, so shipping itself refuses it to anybody else (not only
// the orders subgraph in front of it). Shipments made before this have none: admins only.
export const shipmentCustomer: Migration = {
  async up(db: Kysely<any>) {
    await sql`ALTER TABLE shipments ADD COLUMN customer_id text`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`ALTER TABLE shipments DROP COLUMN customer_id`.execute(db);
  },
};
