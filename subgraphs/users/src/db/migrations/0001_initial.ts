import { sql, type Kysely, type Migration } from 'kysely';

export const initial: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        name text,
        role text NOT NULL DEFAULT 'CUSTOMER',
        created_at timestamptz NOT NULL DEFAULT now(),
        -- The unique constraint, not a prior SELECT, is what stops two racing registrations.
        CONSTRAINT users_email_key UNIQUE (email),
        CONSTRAINT users_email_lower_case CHECK (email = lower(email)),
        CONSTRAINT users_role_known CHECK (role IN ('CUSTOMER', 'ADMIN'))
      )`.execute(db);
    await sql`
      CREATE TABLE addresses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL,
        line1 text NOT NULL,
        line2 text,
        city text NOT NULL,
        postal_code text NOT NULL,
        country char(2) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`.execute(db);
    await sql`CREATE INDEX addresses_user_id_idx ON addresses (user_id, created_at)`.execute(db);
    await sql`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL UNIQUE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id uuid NOT NULL DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz
      )`.execute(db);
    await sql`CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id)`.execute(db);
    await sql`CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`DROP TABLE refresh_tokens`.execute(db);
    await sql`DROP TABLE addresses`.execute(db);
    await sql`DROP TABLE users`.execute(db);
  },
};
