import type { Migration } from 'kysely';
import * as initial from './0001_initial.js';
import * as addressesPreferences from './0002_addresses_preferences.js';

/** Applied in name order by `migrateToLatest`; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_addresses_preferences': addressesPreferences,
};
