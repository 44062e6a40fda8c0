import type { Kysely } from 'kysely';
import { handleOnce, type EventBus, type EventEnvelope, type Subscription } from '@shop/events';
import type { Logger } from '@shop/subgraph-kit';
import type { AnalyticsDatabase } from './db/schema.js';
import { CONSUMED_EVENT_TYPES } from './events.js';
import { applyEvent } from './projection.js';
import { repository } from './repository.js';

/** The consumer group (and inbox name) of analytics. */
export const CONSUMER_GROUP = 'analytics';

/**
 * Handles one delivered event at most once: the inbox mark, the log entry and the aggregate
 * update commit together, so a redelivery changes nothing and a failure leaves no trace.
 * Resolves to false for an event handled before.
 */
export async function consumeEvent(db: Kysely<AnalyticsDatabase>, event: EventEnvelope, logger: Logger): Promise<boolean> {
  return handleOnce(db, CONSUMER_GROUP, event, async (trx) => {
    const tx = trx as Kysely<AnalyticsDatabase>;
    await repository.lockAggregatesShared(tx);
    await repository.logEvent(tx, event);
    await applyEvent(tx, event, logger);
  });
}

/** Subscribes group `analytics` to the order and payment events that feed the aggregates. */
export function consumeEvents(options: { bus: EventBus; db: Kysely<AnalyticsDatabase>; logger: Logger }): Promise<Subscription> {
  const { bus, db, logger } = options;
  return bus.subscribe({
    group: CONSUMER_GROUP,
    types: CONSUMED_EVENT_TYPES,
    handler: async (event) => {
      // The log (and the replay) needs a time and the inbox a UUID; anything else is not ours to keep.
      if (Number.isNaN(Date.parse(event.occurredAt)) || !UUID.test(event.id)) {
        logger.warn('ignored an event without a valid id or time', { eventId: event.id, type: event.type });
        return;
      }
      await consumeEvent(db, event, logger);
    },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
