import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('addresses')
    .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  // Addresses saved before defaults existed: the oldest one of each user becomes the default,
  // as it would have had it been saved today.
  await sql`
    UPDATE addresses SET is_default = true
    WHERE id IN (SELECT DISTINCT ON (user_id) id FROM addresses ORDER BY user_id, created_at, id)
  `.execute(db);
  // The index, not the service, is the last word on "at most one default per user".
  await db.schema
    .createIndex('addresses_one_default_per_user')
    .on('addresses')
    .column('user_id')
    .unique()
    .where(sql.ref('is_default'), '=', true)
    .execute();

  await db.schema
    .alterTable('users')
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en-GB'))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('EUR'))
    .addColumn('marketing_opt_in', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  // The admin user list pages newest first by (created_at, id).
  await db.schema.createIndex('users_created_at_id_idx').on('users').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_created_at_id_idx').execute();
  await db.schema.alterTable('users').dropColumn('marketing_opt_in').dropColumn('currency').dropColumn('locale').execute();
  await db.schema.dropIndex('addresses_one_default_per_user').execute();
  await db.schema.alterTable('addresses').dropColumn('is_default').execute();
}
