import type { Registry } from 'prom-client';
import type { DeadLetter, RetryPolicy } from './retry.js';

/**
 * Domain events between subgraphs. Producers write them to a transactional outbox in the same
 * transaction as the state change; a relay publishes them to the bus; consumers handle each
 * at least once and dedupe by `id`. See docs/events.md for the catalogue of event types.
 */
export interface EventEnvelope<T = unknown> {
  /** Unique per event (UUID): the deduplication key for consumers. */
  id: string;
  /** `<entity>.<happening>`, e.g. `order.placed`, `stock.changed`. */
  type: string;
  /** The subgraph that produced it. */
  source: string;
  /** ISO-8601 time of the state change. */
  occurredAt: string;
  /** The aggregate it is about (e.g. the order id), for ordering and tracing. */
  key: string;
  data: T;
  /**
   * W3C trace context of the request that caused it (set when tracing is on), so its handlers'
   * spans join that request's trace.
   */
  traceparent?: string;
}

export type EventHandler = (event: EventEnvelope) => Promise<void>;

export interface Subscription {
  /** Stops consuming; in-flight handling finishes first. */
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  /**
   * The consumer group: every group receives every event once (at least once); replicas of one
   * service share a group and split the events. Use the subgraph's name plus a purpose.
   */
  group: string;
  /** Event types to handle; others are acknowledged and skipped. `'*'` for all. */
  types: readonly string[] | '*';
  handler: EventHandler;
  /** A name for this replica within the group (default: random). */
  consumer?: string;
  /** Where a brand-new group starts: every retained event (`'beginning'`, default) or only new ones. */
  startAt?: 'beginning' | 'new';
  /** This consumer's tries and backoff, instead of the bus's. */
  retry?: Partial<RetryPolicy>;
}

export interface EventBus {
  readonly kind: 'redis' | 'memory';
  publish(events: readonly EventEnvelope[]): Promise<void>;
  /**
   * Hands each event to `handler`; one that throws is tried again after a backoff of its own
   * (the consumer serves other events meanwhile) and, after the last try, dead-lettered.
   */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Dead letters, oldest first; only `group`'s when given. */
  deadLetters(options?: { group?: string; limit?: number }): Promise<DeadLetter[]>;
  /** Hands a dead letter back to its group (tries start over); null when there is no such id. */
  replayDeadLetter(id: string): Promise<DeadLetter | null>;
  /** Lag, retries and dead letters (prom-client), for the process's `/metrics`. */
  readonly metrics: Registry;
  close(): Promise<void>;
}
