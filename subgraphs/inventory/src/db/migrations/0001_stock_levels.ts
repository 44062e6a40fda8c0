import { sql, type Kysely } from 'kysely';

// Migrations see the store untyped: they must keep working as InventoryDatabase changes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stock_levels')
    .addColumn('product_id', 'text', (col) => col.notNull())
    .addColumn('warehouse', 'text', (col) => col.notNull())
    .addColumn('on_hand', 'integer', (col) => col.notNull().check(sql`on_hand >= 0`))
    .addColumn('reserved', 'integer', (col) => col.notNull().defaultTo(0).check(sql`reserved >= 0`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('stock_levels_pkey', ['product_id', 'warehouse'])
    .addCheckConstraint('stock_levels_reserved_within_on_hand', sql`reserved <= on_hand`)
    .execute();

  await db.schema
    .createTable('stock_events')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('product_id', 'text', (col) => col.notNull())
    .addColumn('warehouse', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('delta', 'integer', (col) => col.notNull())
    .addColumn('on_hand', 'integer', (col) => col.notNull())
    .addColumn('reserved', 'integer', (col) => col.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createIndex('stock_events_product_idx').on('stock_events').columns(['product_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stock_events').execute();
  await db.schema.dropTable('stock_levels').execute();
}
