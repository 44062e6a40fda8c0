import type { Migration } from 'kysely';
import { outboxMigration } from '@shop/events';
import { shippingTariff } from './0001_shipping_tariff.js';
import { defaultTariff } from './0002_default_tariff.js';
import { shipments } from './0004_shipments.js';
import { tariffCurrencies } from './0005_tariff_currencies.js';
import { shipmentCustomer } from './0006_shipment_customer.js';

/** Every migration by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_shipping_tariff': shippingTariff,
  '0002_default_tariff': defaultTariff,
  '0003_event_outbox': outboxMigration,
  '0004_shipments': shipments,
  '0005_tariff_currencies': tariffCurrencies,
  '0006_shipment_customer': shipmentCustomer,
};
