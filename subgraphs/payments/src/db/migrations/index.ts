import type { Migration } from 'kysely';
import { inboxMigration, outboxMigration } from '@shop/events';
import { createPayments } from './0001_create_payments.js';
import { partialRefunds } from './0004_partial_refunds.js';

/** Every migration by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_create_payments': createPayments,
  '0002_event_outbox': outboxMigration,
  '0003_event_inbox': inboxMigration,
  '0004_partial_refunds': partialRefunds,
};
