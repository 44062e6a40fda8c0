import type { Migration } from 'kysely';
import { shippingTariff } from './0001_shipping_tariff.js';
import { defaultTariff } from './0002_default_tariff.js';

/** Every migration by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_shipping_tariff': shippingTariff,
  '0002_default_tariff': defaultTariff,
};
