import type { Migration } from 'kysely';
import { inboxMigration } from '@shop/events';
import { createNotifications } from './0001_create_notifications.js';

/** Every migration by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_create_notifications': createNotifications,
  '0002_event_inbox': inboxMigration,
};
