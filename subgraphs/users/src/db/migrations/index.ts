import type { Migration } from 'kysely';
import { initial } from './0001_initial.js';
import { addressesPreferences } from './0002_addresses_preferences.js';

/** Every migration by name; names sort in the order they run. Never rename one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_addresses_preferences': addressesPreferences,
};
