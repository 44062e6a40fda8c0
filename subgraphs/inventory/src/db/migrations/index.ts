import type { Migration } from 'kysely';
import { inboxMigration, outboxMigration } from '@shop/events';
import { stockLevels } from './0001_stock_levels.js';
import { stockReservations } from './0004_stock_reservations.js';
import { stockHolds } from './0005_stock_holds.js';
import { movedHolds } from './0006_moved_holds.js';

/** Every migration by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_stock_levels': stockLevels,
  '0002_event_outbox': outboxMigration,
  '0003_event_inbox': inboxMigration,
  '0004_stock_reservations': stockReservations,
  '0005_stock_holds': stockHolds,
  '0006_moved_holds': movedHolds,
};
