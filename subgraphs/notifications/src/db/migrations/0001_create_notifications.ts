import { sql, type Kysely, type Migration } from 'kysely';

// Frozen on purpose: a migration is a snapshot; a later status gets a migration of its own.
const STATUSES = sql.raw("('QUEUED', 'SENT', 'FAILED', 'SKIPPED')");

export const createNotifications: Migration = {
  async up(db: Kysely<any>) {
    // timestamptz(3): millisecond precision, so a timestamp survives the round trip through a JS Date.
    await sql`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Insertion order: "newest first" without ties, which millisecond timestamps can have.
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        user_id text NOT NULL,
        -- One message per event, whatever the inbox says: a second guard against duplicates.
        event_id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email')),
        recipient text,
        subject text NOT NULL,
        body text NOT NULL,
        locale text NOT NULL,
        status text NOT NULL CHECK (status IN ${STATUSES}),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error text,
        next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        sent_at timestamptz(3),
        CHECK (status <> 'QUEUED' OR recipient IS NOT NULL)
      )`.execute(db);
    await sql`CREATE INDEX notifications_user_id_seq_idx ON notifications (user_id, seq DESC)`.execute(db);
    await sql`CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'QUEUED'`.execute(db);
    // Payment and shipment events name only the order: who placed it is learnt from order events.
    await sql`
      CREATE TABLE known_orders (
        order_id text PRIMARY KEY,
        user_id text NOT NULL,
        order_number text NOT NULL,
        learnt_at timestamptz(3) NOT NULL DEFAULT now()
      )`.execute(db);
    // Payment and shipment events that overtook the order event naming their customer (they
    // come from other producers): kept here until that order event arrives.
    await sql`
      CREATE TABLE parked_events (
        event_id uuid PRIMARY KEY,
        order_id text NOT NULL,
        event jsonb NOT NULL,
        parked_at timestamptz(3) NOT NULL DEFAULT now()
      )`.execute(db);
    await sql`CREATE INDEX parked_events_order_id_idx ON parked_events (order_id)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`DROP TABLE parked_events`.execute(db);
    await sql`DROP TABLE known_orders`.execute(db);
    await sql`DROP TABLE notifications`.execute(db);
  },
};
