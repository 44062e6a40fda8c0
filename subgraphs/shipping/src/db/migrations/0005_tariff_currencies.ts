import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The default tariff in the other currencies shoppers may choose (users' preferences), so a cart
 * in any of them can be shipped: each EUR row priced in the currency at a fixed list rate,
 * rounded to a whole ten of minor units (yen: ten yen). Frozen here as data like the EUR rows;
 * later price changes get migrations of their own. Rows an operator already added are kept.
 */
const LIST_RATES: Array<[currency: string, perEuro: number, minorPerMajor: number]> = [
  ['USD', 1.1, 100],
  ['GBP', 0.86, 100],
  ['CHF', 0.95, 100],
  ['SEK', 11.5, 100],
  ['PLN', 4.3, 100],
  ['JPY', 160, 1],
];

export const tariffCurrencies: Migration = {
  async up(db: Kysely<any>) {
    for (const [currency, perEuro, minorPerMajor] of LIST_RATES) {
      // euro cents -> euros -> currency -> its minor units, to the nearest ten.
      const factor = (perEuro * minorPerMajor) / 100;
      await sql`
        INSERT INTO shipping_rates (method_id, zone_id, max_weight_grams, price_minor, currency)
        SELECT method_id, zone_id, max_weight_grams, round(price_minor * ${sql.lit(factor)} / 10) * 10, ${currency}::char(3)
        FROM shipping_rates WHERE currency = 'EUR'
        ON CONFLICT DO NOTHING`.execute(db);
    }
  },
  async down(db: Kysely<any>) {
    await db.deleteFrom('shipping_rates').where('currency', 'in', LIST_RATES.map(([currency]) => currency)).execute();
  },
};
