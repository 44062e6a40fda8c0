import { sql, type Migration } from 'kysely';

/**
 * Wishlists, and the event outbox and inbox they need: back-in-stock alerts are events out
 * (`wishlist.back_in_stock`), triggered by events in (`stock.changed`).
 */
export const wishlist: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE wishlist_items (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        product_id text NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT wishlist_items_pk PRIMARY KEY (user_id, product_id)
      )`.execute(db);
    // A restock asks "who wishes for this product?".
    await sql`CREATE INDEX wishlist_items_product_id_idx ON wishlist_items (product_id)`.execute(db);
  },
  async down(db) {
    await sql`DROP TABLE wishlist_items`.execute(db);
  },
};
