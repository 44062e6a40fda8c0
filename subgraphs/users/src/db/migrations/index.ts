import type { Migration } from 'kysely';
import { inboxMigration, outboxMigration } from '@shop/events';
import { initial } from './0001_initial.js';
import { privacy } from './0006_privacy.js';
import { addressesPreferences } from './0002_addresses_preferences.js';
import { wishlist } from './0003_wishlist.js';

/** Every migration by name; names sort in the order they run. Never rename one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_addresses_preferences': addressesPreferences,
  '0003_wishlist': wishlist,
  '0004_event_outbox': outboxMigration,
  '0005_event_inbox': inboxMigration,
  '0006_privacy': privacy,
};
