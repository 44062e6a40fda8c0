import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Recommendations. From paid orders (rebuilt from the event log like the sales aggregates):
 * pairs of products bought in one order, each user's purchases, each product's sales. From the
 * catalog's and inventory's events (current state only, not logged): which products may be
 * recommended at all.
 */
export const recommendations: Migration = {
  async up(db: Kysely<any>) {
    // Both directions of a pair are stored, so "bought with X" is one index range.
    await sql`
      CREATE TABLE co_purchases (
        product_id text NOT NULL,
        other_id text NOT NULL,
        orders integer NOT NULL,
        PRIMARY KEY (product_id, other_id)
      )`.execute(db);
    await sql`
      CREATE TABLE user_purchases (
        user_id text NOT NULL,
        product_id text NOT NULL,
        units integer NOT NULL,
        PRIMARY KEY (user_id, product_id)
      )`.execute(db);
    await sql`
      CREATE TABLE product_popularity (
        product_id text PRIMARY KEY,
        units bigint NOT NULL,
        orders integer NOT NULL
      )`.execute(db);
    // in_stock null: no stock event seen yet (such a product is not left out).
    await sql`
      CREATE TABLE catalog_status (
        product_id text PRIMARY KEY,
        archived boolean NOT NULL DEFAULT false,
        in_stock boolean,
        stock_at timestamptz(3)
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`DROP TABLE catalog_status, product_popularity, user_purchases, co_purchases`.execute(db);
  },
};
