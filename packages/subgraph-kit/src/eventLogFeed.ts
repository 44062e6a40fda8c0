import type { EventBus, EventEnvelope, Subscription } from '@shop/events';
import type { EventLog } from './eventLog.js';

/**
 * Feeds an event log from the transactional outbox: the relay publishes each committed event to
 * the bus, and this consumer (`group`, shared by the subgraph's replicas) appends what `toEvent`
 * makes of it, once per event id. A crash between commit and publish only delays the event: the
 * relay publishes it on the next start. Events are appended in the order the bus hands them
 * over (the outbox's), except one whose append failed and was retried later.
 */
export function feedEventLog<T>(options: {
  bus: EventBus;
  group: string;
  type: string;
  log: EventLog<T>;
  /** The log's event for an outbox event; null to leave it out. */
  toEvent: (event: EventEnvelope) => T | null;
}): Promise<Subscription> {
  return options.bus.subscribe({
    group: options.group,
    types: [options.type],
    // A new group starts with what is published from now on, not the bus's whole history.
    startAt: 'new',
    handler: async (envelope) => {
      const event = options.toEvent(envelope);
      if (event !== null) await options.log.append(event, envelope.id);
    },
  });
}
