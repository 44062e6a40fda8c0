import { sql, type Kysely } from 'kysely';
import type { AnalyticsDatabase } from './db/schema.js';

type Db = Kysely<AnalyticsDatabase>;

/** One product of a paid order, summed over its lines. */
export interface PurchasedLine {
  productId: string;
  units: number;
}

// A product may be recommended unless it is archived or known to be out of stock.
const RECOMMENDABLE = sql`NOT coalesce(s.archived, false) AND coalesce(s.in_stock, true)`;

/** The only code touching the recommendation tables; writes take the transaction they belong to. */
export const recommendationRepository = {
  /** A paid order's products: pairs, the buyer's history and popularity, in one transaction. */
  async recordPaidOrder(trx: Db, userId: string | null, lines: readonly PurchasedLine[]): Promise<void> {
    if (lines.length === 0) return;
    const ids = lines.map((l) => l.productId);
    const units = lines.map((l) => l.units);
    await sql`
      INSERT INTO product_popularity (product_id, units, orders)
      SELECT id, n, 1 FROM unnest(${ids}::text[], ${units}::int[]) AS t (id, n)
      ON CONFLICT (product_id) DO UPDATE
        SET units = product_popularity.units + excluded.units, orders = product_popularity.orders + 1`.execute(trx);
    if (userId !== null) {
      await sql`
        INSERT INTO user_purchases (user_id, product_id, units)
        SELECT ${userId}, id, n FROM unnest(${ids}::text[], ${units}::int[]) AS t (id, n)
        ON CONFLICT (user_id, product_id) DO UPDATE SET units = user_purchases.units + excluded.units`.execute(trx);
    }
    if (ids.length > 1) {
      await sql`
        INSERT INTO co_purchases (product_id, other_id, orders)
        SELECT a, b, 1 FROM unnest(${ids}::text[]) AS x (a) CROSS JOIN unnest(${ids}::text[]) AS y (b) WHERE a <> b
        ON CONFLICT (product_id, other_id) DO UPDATE SET orders = co_purchases.orders + 1`.execute(trx);
    }
  },

  /**
   * For each product, up to `first` others most often in the same paid orders (ties: lower id
   * first), recommendable ones only: ONE statement for any number of products.
   */
  async boughtTogether(db: Db, productIds: readonly string[], first: number): Promise<Array<{ productId: string; otherId: string }>> {
    if (productIds.length === 0 || first === 0) return [];
    const { rows } = await sql<{ product_id: string; other_id: string }>`
      SELECT product_id, other_id FROM (
        SELECT c.product_id, c.other_id,
               row_number() OVER (PARTITION BY c.product_id ORDER BY c.orders DESC, c.other_id COLLATE "C") AS rank
          FROM co_purchases c LEFT JOIN catalog_status s ON s.product_id = c.other_id
         WHERE c.product_id = ANY(${[...productIds]}::text[]) AND ${RECOMMENDABLE}
      ) ranked
      WHERE rank <= ${first}
      ORDER BY product_id, rank`.execute(db);
    return rows.map((r) => ({ productId: r.product_id, otherId: r.other_id }));
  },

  /**
   * Up to `first` products for a user, in one statement: first those bought with what they
   * bought (most shared orders first), then the best sellers; never one they bought already,
   * only recommendable ones.
   */
  async recommendedFor(db: Db, userId: string, first: number): Promise<string[]> {
    if (first === 0) return [];
    const { rows } = await sql<{ product_id: string }>`
      WITH mine AS (SELECT product_id FROM user_purchases WHERE user_id = ${userId}),
      related AS (
        SELECT other_id AS product_id, sum(orders) AS score FROM co_purchases
         WHERE product_id IN (SELECT product_id FROM mine) AND other_id NOT IN (SELECT product_id FROM mine)
         GROUP BY other_id
      ),
      candidates AS (
        SELECT product_id, 0 AS tier, score FROM related
        UNION ALL
        SELECT product_id, 1 AS tier, units AS score FROM product_popularity
         WHERE product_id NOT IN (SELECT product_id FROM mine) AND product_id NOT IN (SELECT product_id FROM related)
      )
      SELECT c.product_id FROM candidates c LEFT JOIN catalog_status s ON s.product_id = c.product_id
       WHERE ${RECOMMENDABLE}
       ORDER BY c.tier, c.score DESC, c.product_id COLLATE "C"
       LIMIT ${first}`.execute(db);
    return rows.map((r) => r.product_id);
  },

  /** Archiving is for good: a later snapshot saying otherwise (an older event) does not undo it. */
  async markArchived(db: Db, productId: string, archived: boolean): Promise<void> {
    await sql`
      INSERT INTO catalog_status (product_id, archived) VALUES (${productId}, ${archived})
      ON CONFLICT (product_id) DO UPDATE SET archived = catalog_status.archived OR excluded.archived`.execute(db);
  },

  /** Keeps the newest stock state: an event older than the one applied changes nothing. */
  async setInStock(db: Db, productId: string, inStock: boolean, at: string): Promise<void> {
    await sql`
      INSERT INTO catalog_status (product_id, in_stock, stock_at) VALUES (${productId}, ${inStock}, ${at})
      ON CONFLICT (product_id) DO UPDATE SET in_stock = excluded.in_stock, stock_at = excluded.stock_at
       WHERE catalog_status.stock_at IS NULL OR catalog_status.stock_at <= excluded.stock_at`.execute(db);
  },

};
