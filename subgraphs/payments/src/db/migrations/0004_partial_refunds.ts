import { sql, type Kysely, type Migration } from 'kysely';

// Frozen on purpose, as in 0001.
const STATUSES = sql.raw("('PROCESSING', 'REQUIRES_ACTION', 'SUCCEEDED', 'FAILED', 'PARTIALLY_REFUNDED', 'REFUNDED')");
const BEFORE = sql.raw("('PROCESSING', 'REQUIRES_ACTION', 'SUCCEEDED', 'FAILED', 'REFUNDED')");

/**
 * Partial refunds: a payment keeps what was returned of it (never more than it took: the CHECK
 * is the last word), and each refund the orders subgraph asked for is recorded once by its key,
 * so a redelivered request never pays out twice.
 */
export const partialRefunds: Migration = {
  async up(db: Kysely<any>) {
    await sql`ALTER TABLE payments DROP CONSTRAINT payments_status_check, ADD CONSTRAINT payments_status_check CHECK (status IN ${STATUSES})`.execute(db);
    await sql`
      ALTER TABLE payments ADD COLUMN refunded_minor bigint NOT NULL DEFAULT 0,
        ADD CONSTRAINT payments_refunded_within_amount CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor)`.execute(db);
    // Payments refunded in full before this migration returned everything.
    await sql`UPDATE payments SET refunded_minor = amount_minor WHERE status = 'REFUNDED'`.execute(db);
    await sql`
      CREATE TABLE payment_refunds (
        refund_key text PRIMARY KEY,
        payment_id uuid NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        provider_refund_id text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`DROP TABLE payment_refunds`.execute(db);
    await sql`UPDATE payments SET status = 'SUCCEEDED' WHERE status = 'PARTIALLY_REFUNDED'`.execute(db);
    await sql`ALTER TABLE payments DROP COLUMN refunded_minor`.execute(db);
    await sql`ALTER TABLE payments DROP CONSTRAINT payments_status_check, ADD CONSTRAINT payments_status_check CHECK (status IN ${BEFORE})`.execute(db);
  },
};
