import { sql, type Kysely, type Migration } from 'kysely';

export const addressesPreferences: Migration = {
  async up(db: Kysely<any>) {
    await sql`ALTER TABLE addresses ADD COLUMN is_default boolean NOT NULL DEFAULT false`.execute(db);
    // Addresses saved before defaults existed: the oldest one of each user becomes the default,
    // as it would have had it been saved today.
    await sql`
      UPDATE addresses SET is_default = true
      WHERE id IN (SELECT DISTINCT ON (user_id) id FROM addresses ORDER BY user_id, created_at, id)
    `.execute(db);
    // The index, not the service, is the last word on "at most one default per user".
    await sql`CREATE UNIQUE INDEX addresses_one_default_per_user ON addresses (user_id) WHERE is_default = true`.execute(db);
    await sql`
      ALTER TABLE users
        ADD COLUMN locale text NOT NULL DEFAULT 'en-GB',
        ADD COLUMN currency text NOT NULL DEFAULT 'EUR',
        ADD COLUMN marketing_opt_in boolean NOT NULL DEFAULT false`.execute(db);
    // The admin user list pages newest first by (created_at, id).
    await sql`CREATE INDEX users_created_at_id_idx ON users (created_at, id)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`DROP INDEX users_created_at_id_idx`.execute(db);
    await sql`ALTER TABLE users DROP COLUMN marketing_opt_in, DROP COLUMN currency, DROP COLUMN locale`.execute(db);
    await sql`DROP INDEX addresses_one_default_per_user`.execute(db);
    await sql`ALTER TABLE addresses DROP COLUMN is_default`.execute(db);
  },
};
