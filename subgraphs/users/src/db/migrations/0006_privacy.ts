import { sql, type Migration } from 'kysely';

/**
 * Privacy rights. A deleted account keeps its row as a tombstone (`deleted_at`, no email, name,
 * password or preferences of the person) so that orders and payments kept for accounting still
 * name a user; data exports are assembled here from every subgraph's part; a deletion records
 * which subgraphs have erased their data.
 */
export const privacy: Migration = {
  async up(db) {
    await sql`ALTER TABLE users ADD COLUMN deleted_at timestamptz`.execute(db);
    await sql`
      CREATE TABLE data_exports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'EXPORT_PENDING' CHECK (status IN ('EXPORT_PENDING', 'EXPORT_READY')),
        parts jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        ready_at timestamptz
      )`.execute(db);
    await sql`CREATE INDEX data_exports_user_id_idx ON data_exports (user_id)`.execute(db);
    await sql`
      CREATE TABLE account_deletions (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        requested_at timestamptz NOT NULL DEFAULT now(),
        erased_in text[] NOT NULL DEFAULT '{}',
        completed_at timestamptz
      )`.execute(db);
  },
  async down(db) {
    await sql`DROP TABLE account_deletions, data_exports`.execute(db);
    await sql`ALTER TABLE users DROP COLUMN deleted_at`.execute(db);
  },
};
