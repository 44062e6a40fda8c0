import type { Migration } from 'kysely';
import { inboxMigration, outboxMigration } from '@shop/events';
import { createOrders } from './0001_create_orders.js';
import { checkoutDetails } from './0004_checkout_details.js';
import { promotions } from './0005_promotions.js';
import { partialRefunds } from './0006_partial_refunds.js';
import { orderItemVariants } from './0007_order_item_variants.js';

/** Every migration by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_create_orders': createOrders,
  '0002_event_outbox': outboxMigration,
  '0003_event_inbox': inboxMigration,
  '0004_checkout_details': checkoutDetails,
  '0005_promotions': promotions,
  '0006_partial_refunds': partialRefunds,
  '0007_order_item_variants': orderItemVariants,
};
