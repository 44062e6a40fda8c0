import type { Kysely, Migration } from 'kysely';

/**
 * The tariff a fresh installation starts with, in EUR, frozen here as data: later price
 * changes get migrations of their own. Shipping from Germany: DE is domestic, the other EU
 * members are "eu", everything else falls back to "world". Pickup is in-store, so domestic
 * only; express is a parcel service up to 30 kg; standard has a freight bracket above that.
 */
const METHODS = [
  { id: 'standard', name: 'Standard delivery', carrier: 'DHL', estimated_days_min: 2, estimated_days_max: 4, free_shipping_eligible: true },
  { id: 'express', name: 'Express delivery', carrier: 'UPS', estimated_days_min: 1, estimated_days_max: 2, free_shipping_eligible: false },
  { id: 'pickup', name: 'Pickup in store', carrier: null, estimated_days_min: 1, estimated_days_max: 2, free_shipping_eligible: false },
];

const EU_WITHOUT_DE = [
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU',
  'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
];

const ZONES = [
  { id: 'domestic', name: 'Germany', countries: ['DE'], fallback: false },
  { id: 'eu', name: 'European Union', countries: EU_WITHOUT_DE, fallback: false },
  { id: 'world', name: 'Rest of the world', countries: [], fallback: true },
];

// [method, zone, max weight in grams (null: no limit), price in euro cents]
const RATES: Array<[string, string, number | null, number]> = [
  ['standard', 'domestic', 2_000, 490],
  ['standard', 'domestic', 10_000, 690],
  ['standard', 'domestic', null, 1_490],
  ['express', 'domestic', 2_000, 990],
  ['express', 'domestic', 10_000, 1_290],
  ['express', 'domestic', 30_000, 1_990],
  ['pickup', 'domestic', null, 0],
  ['standard', 'eu', 2_000, 990],
  ['standard', 'eu', 10_000, 1_490],
  ['standard', 'eu', null, 2_990],
  ['express', 'eu', 2_000, 1_990],
  ['express', 'eu', 10_000, 2_990],
  ['express', 'eu', 30_000, 4_990],
  ['standard', 'world', 2_000, 1_990],
  ['standard', 'world', 10_000, 3_490],
  ['standard', 'world', null, 6_990],
  ['express', 'world', 2_000, 3_990],
  ['express', 'world', 10_000, 5_990],
  ['express', 'world', 30_000, 8_990],
];

export const defaultTariff: Migration = {
  async up(db: Kysely<any>) {
    await db.insertInto('shipping_methods').values(METHODS).execute();
    await db.insertInto('shipping_zones').values(ZONES).execute();
    await db
      .insertInto('shipping_rates')
      .values(
        RATES.map(([method_id, zone_id, max_weight_grams, price_minor]) => ({
          method_id,
          zone_id,
          max_weight_grams,
          price_minor,
          currency: 'EUR',
        })),
      )
      .execute();
  },
  async down(db: Kysely<any>) {
    // Cascades to the seeded rates.
    await db.deleteFrom('shipping_zones').where('id', 'in', ZONES.map((zone) => zone.id)).execute();
    await db.deleteFrom('shipping_methods').where('id', 'in', METHODS.map((method) => method.id)).execute();
  },
};
