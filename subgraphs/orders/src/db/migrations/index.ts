import type { Migration } from 'kysely';
import { createOrders } from './0001_create_orders.js';

/** Every migration by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_create_orders': createOrders,
};
