import { sql, type Kysely, type Migration } from 'kysely';

/**
 * An order line records the variant (size, colour) it was bought in, as the catalog described it
 * at checkout: its id, SKU, name, size and colour stay whatever products does later. A line is
 * now a product in one variant, so one order may hold a product twice (two sizes): the key of a
 * line becomes (order, product, variant), a line without a variant counting as one variant.
 */
export const orderItemVariants: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      ALTER TABLE order_items
        ADD COLUMN variant_id text,
        ADD COLUMN variant_sku text,
        ADD COLUMN variant_name text,
        ADD COLUMN variant_size text,
        ADD COLUMN variant_color text,
        ADD CONSTRAINT order_items_variant_snapshot CHECK ((variant_id IS NULL) = (variant_sku IS NULL) AND (variant_id IS NULL) = (variant_name IS NULL)),
        DROP CONSTRAINT order_items_order_id_product_id_key`.execute(db);
    await sql`CREATE UNIQUE INDEX order_items_order_product_variant_key ON order_items (order_id, product_id, COALESCE(variant_id, ''))`.execute(db);
  },
  async down(db: Kysely<any>) {
    // Fails while an order holds a product in two variants: such orders cannot be stored before this migration.
    await sql`DROP INDEX order_items_order_product_variant_key`.execute(db);
    await sql`
      ALTER TABLE order_items
        DROP CONSTRAINT order_items_variant_snapshot,
        DROP COLUMN variant_id,
        DROP COLUMN variant_sku,
        DROP COLUMN variant_name,
        DROP COLUMN variant_size,
        DROP COLUMN variant_color,
        ADD CONSTRAINT order_items_order_id_product_id_key UNIQUE (order_id, product_id)`.execute(db);
  },
};
