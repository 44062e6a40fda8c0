import { sql, type Kysely, type Migration } from 'kysely';

// Migrations see the store untyped: they must keep working as ShippingDatabase changes.
export const shippingTariff: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      CREATE TABLE shipping_methods (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{1,32}$'),
        name text NOT NULL CHECK (name <> ''),
        carrier text,
        active boolean NOT NULL DEFAULT true,
        estimated_days_min integer NOT NULL CHECK (estimated_days_min >= 0),
        estimated_days_max integer NOT NULL,
        free_shipping_eligible boolean NOT NULL DEFAULT false,
        CHECK (estimated_days_max >= estimated_days_min)
      )`.execute(db);
    await sql`
      CREATE TABLE shipping_zones (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{1,32}$'),
        name text NOT NULL CHECK (name <> ''),
        countries text[] NOT NULL DEFAULT '{}',
        fallback boolean NOT NULL DEFAULT false,
        CHECK (array_to_string(countries, ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$')
      )`.execute(db);
    // A country nobody lists must land in exactly one place.
    await sql`CREATE UNIQUE INDEX shipping_zones_one_fallback ON shipping_zones ((true)) WHERE fallback`.execute(db);
    await sql`
      CREATE TABLE shipping_rates (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        method_id text NOT NULL REFERENCES shipping_methods (id) ON DELETE CASCADE,
        zone_id text NOT NULL REFERENCES shipping_zones (id) ON DELETE CASCADE,
        max_weight_grams integer CHECK (max_weight_grams > 0),
        price_minor bigint NOT NULL CHECK (price_minor >= 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        UNIQUE NULLS NOT DISTINCT (method_id, zone_id, currency, max_weight_grams)
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`DROP TABLE shipping_rates`.execute(db);
    await sql`DROP TABLE shipping_zones`.execute(db);
    await sql`DROP TABLE shipping_methods`.execute(db);
  },
};
