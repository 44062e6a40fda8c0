import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Promotions live beside the orders they discount so that redeeming a code and placing the
 * order commit together: `times_used` can never pass `usage_limit` (the CHECK is the last word,
 * the conditional UPDATE at checkout the first), and a customer's uses are counted from the
 * redemptions of their orders. A cancelled order's redemption is released (`released_at`).
 */
export const promotions: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      CREATE TABLE promotions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9_-]{3,32}$'),
        kind text NOT NULL CHECK (kind IN ('PERCENTAGE', 'FIXED_AMOUNT', 'FREE_SHIPPING')),
        percent_bp int CHECK (percent_bp > 0 AND percent_bp <= 10000),
        amount_minor bigint CHECK (amount_minor > 0),
        currency char(3),
        min_subtotal_minor bigint CHECK (min_subtotal_minor >= 0),
        starts_at timestamptz(3),
        ends_at timestamptz(3),
        usage_limit int CHECK (usage_limit > 0),
        per_customer_limit int CHECK (per_customer_limit > 0),
        times_used int NOT NULL DEFAULT 0 CHECK (times_used >= 0 AND (usage_limit IS NULL OR times_used <= usage_limit)),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((kind = 'PERCENTAGE') = (percent_bp IS NOT NULL)),
        CHECK ((kind = 'FIXED_AMOUNT') = (amount_minor IS NOT NULL)),
        CHECK ((amount_minor IS NULL AND min_subtotal_minor IS NULL) OR currency IS NOT NULL),
        CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
      )`.execute(db);
    await sql`CREATE INDEX promotions_created_at_idx ON promotions (created_at DESC, id DESC)`.execute(db);
    await sql`
      CREATE TABLE promotion_redemptions (
        order_id uuid PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
        promotion_id uuid NOT NULL REFERENCES promotions (id),
        user_id text NOT NULL,
        redeemed_at timestamptz(3) NOT NULL DEFAULT now(),
        released_at timestamptz(3)
      )`.execute(db);
    await sql`CREATE INDEX promotion_redemptions_customer_idx ON promotion_redemptions (promotion_id, user_id) WHERE released_at IS NULL`.execute(db);
    await sql`ALTER TABLE orders ADD COLUMN promo_code text`.execute(db);
    // Each line's share of the order's discount, so a refund of some lines returns what was paid for them.
    await sql`ALTER TABLE order_items ADD COLUMN discount_minor bigint NOT NULL DEFAULT 0 CHECK (discount_minor >= 0)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`ALTER TABLE order_items DROP COLUMN discount_minor`.execute(db);
    await sql`ALTER TABLE orders DROP COLUMN promo_code`.execute(db);
    await sql`DROP TABLE promotion_redemptions`.execute(db);
    await sql`DROP TABLE promotions`.execute(db);
  },
};
