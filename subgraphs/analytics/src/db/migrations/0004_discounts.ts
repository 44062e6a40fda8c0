import { sql, type Kysely, type Migration } from 'kysely';

/** What promotions took off paid orders: kept per order (from `order.placed`) and per day. */
export const discounts: Migration = {
  async up(db: Kysely<any>) {
    await sql`ALTER TABLE order_facts ADD COLUMN discount_minor bigint NOT NULL DEFAULT 0, ADD COLUMN promo_code text`.execute(db);
    await sql`
      ALTER TABLE daily_sales
        ADD COLUMN discount_minor bigint NOT NULL DEFAULT 0,
        ADD COLUMN promotion_order_count integer NOT NULL DEFAULT 0`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`ALTER TABLE daily_sales DROP COLUMN promotion_order_count, DROP COLUMN discount_minor`.execute(db);
    await sql`ALTER TABLE order_facts DROP COLUMN promo_code, DROP COLUMN discount_minor`.execute(db);
  },
};
