import { sql, type Kysely, type Migration } from 'kysely';

// Orders placed before shipping existed get zero shipping, no method and an empty address
// snapshot (marked by a null addressId); every order placed from now on has real ones.
const NO_ADDRESS = JSON.stringify({ addressId: null, name: '', line1: '', line2: null, city: '', postalCode: '', country: '' });

export const checkoutDetails: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      ALTER TABLE orders
        ADD COLUMN cart_id text,
        ADD COLUMN shipping_minor bigint NOT NULL DEFAULT 0 CHECK (shipping_minor >= 0),
        ADD COLUMN discount_minor bigint NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
        ADD COLUMN shipping_method_id text NOT NULL DEFAULT '',
        ADD COLUMN shipping_address jsonb NOT NULL DEFAULT ${sql.lit(NO_ADDRESS)}::jsonb,
        ADD COLUMN payment_failures int NOT NULL DEFAULT 0 CHECK (payment_failures >= 0),
        ADD CONSTRAINT orders_total_adds_up CHECK (total_minor = subtotal_minor + shipping_minor - discount_minor)`.execute(db);
    await sql`ALTER TABLE orders ALTER COLUMN shipping_method_id DROP DEFAULT, ALTER COLUMN shipping_address DROP DEFAULT`.execute(db);
    // Why a status was entered ("payment window expired", the customer's return reason, ...).
    await sql`ALTER TABLE order_status_history ADD COLUMN reason text`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`ALTER TABLE order_status_history DROP COLUMN reason`.execute(db);
    await sql`
      ALTER TABLE orders
        DROP CONSTRAINT orders_total_adds_up,
        DROP COLUMN payment_failures,
        DROP COLUMN shipping_address,
        DROP COLUMN shipping_method_id,
        DROP COLUMN discount_minor,
        DROP COLUMN shipping_minor,
        DROP COLUMN cart_id`.execute(db);
  },
};
