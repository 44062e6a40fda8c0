import { sql, type Kysely, type Migration } from 'kysely';

// A guest cart's hold moved onto the cart it was merged into at sign-in ends as MOVED: its units
// went to that cart's hold in the same transaction, neither lapsed nor sold.
export const movedHolds: Migration = {
  async up(db: Kysely<any>) {
    await sql`ALTER TABLE stock_holds DROP CONSTRAINT stock_holds_status_check`.execute(db);
    await sql`ALTER TABLE stock_holds ADD CONSTRAINT stock_holds_status_check CHECK (status IN ('ACTIVE', 'EXPIRED', 'CONVERTED', 'MOVED'))`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`UPDATE stock_holds SET status = 'EXPIRED' WHERE status = 'MOVED'`.execute(db);
    await sql`ALTER TABLE stock_holds DROP CONSTRAINT stock_holds_status_check`.execute(db);
    await sql`ALTER TABLE stock_holds ADD CONSTRAINT stock_holds_status_check CHECK (status IN ('ACTIVE', 'EXPIRED', 'CONVERTED'))`.execute(db);
  },
};
