import type { Migration } from 'kysely';
import * as stockLevels from './0001_stock_levels.js';

/** Every migration by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_stock_levels': stockLevels,
};
