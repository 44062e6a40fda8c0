import type { Migration } from 'kysely';
import { inboxMigration } from '@shop/events';
import { createAnalytics } from './0001_create_analytics.js';
import { recommendations } from './0003_recommendations.js';
import { discounts } from './0004_discounts.js';

/** Every migration by name; names sort in the order they run. Analytics publishes nothing, so no outbox. */
export const migrations: Record<string, Migration> = {
  '0001_create_analytics': createAnalytics,
  '0002_event_inbox': inboxMigration,
  '0003_recommendations': recommendations,
  '0004_discounts': discounts,
};
