import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { ShippingDatabase } from './db/database.js';
import type { RateCard } from './rates.js';

export interface ShippingRepository {
  /** The whole tariff (methods, zones, rates, active or not) in ONE SQL statement. */
  loadRateCard(): Promise<RateCard>;
}

/** The only code that touches the shipping store. */
export function createShippingRepository(db: Kysely<ShippingDatabase>): ShippingRepository {
  return {
    async loadRateCard() {
      const row = await db
        .selectNoFrom((eb) => [
          jsonArrayFrom(
            eb
              .selectFrom('shipping_methods')
              .select(['id', 'name', 'carrier', 'active', 'estimated_days_min', 'estimated_days_max', 'free_shipping_eligible'])
              .orderBy('id'),
          ).as('methods'),
          jsonArrayFrom(eb.selectFrom('shipping_zones').select(['id', 'name', 'countries', 'fallback']).orderBy('id')).as('zones'),
          jsonArrayFrom(
            eb
              .selectFrom('shipping_rates')
              .select(['method_id', 'zone_id', 'max_weight_grams', 'price_minor', 'currency'])
              .orderBy('id'),
          ).as('rates'),
        ])
        .executeTakeFirstOrThrow();
      return {
        methods: row.methods.map((m) => ({
          id: m.id,
          name: m.name,
          carrier: m.carrier,
          active: m.active,
          estimatedDaysMin: m.estimated_days_min,
          estimatedDaysMax: m.estimated_days_max,
          freeShippingEligible: m.free_shipping_eligible,
        })),
        zones: row.zones.map((z) => ({ id: z.id, name: z.name, countries: z.countries, fallback: z.fallback })),
        rates: row.rates.map((r) => ({
          methodId: r.method_id,
          zoneId: r.zone_id,
          maxWeightGrams: r.max_weight_grams,
          // json_agg renders bigint as a JSON number; prices are far below 2^53.
          priceMinor: Number(r.price_minor),
          currency: r.currency,
        })),
      };
    },
  };
}
