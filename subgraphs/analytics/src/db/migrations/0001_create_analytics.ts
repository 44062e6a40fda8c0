import { sql, type Kysely, type Migration } from 'kysely';

export const createAnalytics: Migration = {
  async up(db: Kysely<any>) {
    // timestamptz(3): millisecond precision, so an event's time survives the round trip through a JS Date.
    await sql`
      CREATE TABLE event_log (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        type text NOT NULL,
        source text NOT NULL,
        key text NOT NULL,
        occurred_at timestamptz(3) NOT NULL,
        payload jsonb NOT NULL,
        logged_at timestamptz(3) NOT NULL DEFAULT now()
      )`.execute(db);
    await sql`
      CREATE TABLE order_facts (
        order_id text PRIMARY KEY,
        user_id text,
        placed_at timestamptz(3),
        currency char(3),
        total_minor bigint,
        items jsonb,
        payment_id text,
        paid_minor bigint,
        paid_currency char(3),
        sale_day date,
        refunded_minor bigint NOT NULL DEFAULT 0,
        products_counted boolean NOT NULL DEFAULT false
      )`.execute(db);
    await sql`
      CREATE TABLE daily_sales (
        day date NOT NULL,
        currency char(3) NOT NULL,
        order_count integer NOT NULL DEFAULT 0,
        revenue_minor bigint NOT NULL DEFAULT 0,
        refunded_minor bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (day, currency)
      )`.execute(db);
    await sql`
      CREATE TABLE daily_product_sales (
        day date NOT NULL,
        product_id text NOT NULL,
        currency char(3) NOT NULL,
        units integer NOT NULL DEFAULT 0,
        revenue_minor bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (day, currency, product_id)
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`DROP TABLE daily_product_sales`.execute(db);
    await sql`DROP TABLE daily_sales`.execute(db);
    await sql`DROP TABLE order_facts`.execute(db);
    await sql`DROP TABLE event_log`.execute(db);
  },
};
