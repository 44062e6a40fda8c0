import { sql, type Kysely, type Migration } from 'kysely';

// Frozen on purpose: a migration is a snapshot; a later status gets a migration of its own.
const STATUSES = sql.raw("('PROCESSING', 'REQUIRES_ACTION', 'SUCCEEDED', 'FAILED', 'REFUNDED')");

export const createPayments: Migration = {
  async up(db: Kysely<any>) {
    // timestamptz(3): millisecond precision, so a timestamp survives the round trip through a JS Date.
    await sql`
      CREATE TABLE payments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Insertion order: "newest first" without ties, which millisecond timestamps can have.
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        order_id text NOT NULL,
        user_id text NOT NULL,
        status text NOT NULL CHECK (status IN ${STATUSES}),
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency char(3) NOT NULL,
        provider text NOT NULL,
        payment_method text NOT NULL,
        provider_payment_id text,
        client_secret text,
        failure_reason text,
        idempotency_key text NOT NULL UNIQUE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (provider, provider_payment_id)
      )`.execute(db);
    await sql`CREATE INDEX payments_order_id_seq_idx ON payments (order_id, seq DESC)`.execute(db);
    // At most one attempt in flight per order: the service decides under an advisory lock, and
    // this index makes a slip in that logic an error instead of a second charge.
    await sql`
      CREATE UNIQUE INDEX payments_one_in_flight_per_order
        ON payments (order_id) WHERE status IN ('PROCESSING', 'REQUIRES_ACTION')`.execute(db);
    await sql`
      CREATE TABLE closed_orders (
        order_id text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('CANCELLED', 'REFUNDED')),
        closed_at timestamptz(3) NOT NULL DEFAULT now()
      )`.execute(db);
    await sql`
      CREATE TABLE payment_webhook_events (
        id text PRIMARY KEY,
        type text NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now()
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`DROP TABLE payment_webhook_events`.execute(db);
    await sql`DROP TABLE closed_orders`.execute(db);
    await sql`DROP TABLE payments`.execute(db);
  },
};
