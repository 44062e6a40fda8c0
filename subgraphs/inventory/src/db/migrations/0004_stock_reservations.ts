import { sql, type Kysely } from 'kysely';

// Migrations see the store untyped: they must keep working as InventoryDatabase changes.
export async function up(db: Kysely<any>): Promise<void> {
  // One reservation per order: the order id is the idempotency key of `reserveStock`.
  await db.schema
    .createTable('stock_reservations')
    .addColumn('order_id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status IN ('ACTIVE', 'COMMITTED', 'RELEASED', 'EXPIRED')`),
    )
    .addColumn('expires_at', 'timestamptz(3)', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz(3)', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz(3)', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // The sweeper only ever looks for active reservations past their time.
  await sql`CREATE INDEX stock_reservations_expiry_idx ON stock_reservations (expires_at) WHERE status = 'ACTIVE'`.execute(db);

  // Which warehouse each reserved unit is held in, so release and commit undo exactly that.
  await db.schema
    .createTable('stock_reservation_items')
    .addColumn('order_id', 'text', (col) => col.notNull().references('stock_reservations.order_id').onDelete('cascade'))
    .addColumn('product_id', 'text', (col) => col.notNull())
    .addColumn('warehouse', 'text', (col) => col.notNull())
    .addColumn('quantity', 'integer', (col) => col.notNull().check(sql`quantity > 0`))
    .addPrimaryKeyConstraint('stock_reservation_items_pkey', ['order_id', 'product_id', 'warehouse'])
    .execute();

  // Stock history rows caused by a reservation name its order.
  await db.schema.alterTable('stock_events').addColumn('order_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stock_events').dropColumn('order_id').execute();
  await db.schema.dropTable('stock_reservation_items').execute();
  await db.schema.dropTable('stock_reservations').execute();
}
