import type { EventEnvelope } from './types.js';

/**
 * How often a failing event is tried and how long it waits between tries. The wait belongs
 * to the event, not to the consumer: while one event waits, the consumer serves the others.
 */
export interface RetryPolicy {
  /** Tries in all, the first included; after the last failure the event is dead-lettered. */
  maxAttempts: number;
  /** Wait after the `attempt`-th failure (1-based) before the next try. */
  delayMs(attempt: number): number;
}

/**
 * 100 ms doubling to 30 s, twelve tries: about two minutes of failures before an event is
 * dead-lettered, long enough to ride out a database or broker restart.
 */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 12,
  delayMs: (attempt) => Math.min(30_000, 100 * 2 ** Math.max(0, attempt - 1)),
};

/** An event that failed every try, kept until someone replays or drops it. */
export interface DeadLetter {
  /** The dead letter's own id (not the event's): what `replayDeadLetter` takes. */
  id: string;
  /** The consumer group whose handler kept failing. */
  group: string;
  event: EventEnvelope;
  attempts: number;
  /** The last failure's message. */
  error: string;
  /** ISO-8601 time of the last failure. */
  failedAt: string;
}

/** What every bus takes besides its transport. */
export interface BusOptions {
  /** A handler failed (it is retried or dead-lettered) or the transport did. */
  onError?: (error: unknown, event?: EventEnvelope) => void;
  /** An event ran out of tries and went to the dead-letter list. */
  onDeadLetter?: (letter: DeadLetter) => void;
  retry?: Partial<RetryPolicy>;
  /** The clock retries are scheduled by (tests move it instead of waiting). */
  now?: () => number;
}

export function retryPolicy(options: Pick<BusOptions, 'retry'>): RetryPolicy {
  return { ...DEFAULT_RETRY, ...options.retry };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
