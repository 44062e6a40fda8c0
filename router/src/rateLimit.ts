import type { KeyValueStore } from '@shop/kv';
import type { Logger } from '@shop/subgraph-kit';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts `cost` requests against `bucket` (e.g. `ip:1.2.3.4`, `key:<api key>`). */
  take(bucket: string, cost?: number): Promise<RateDecision>;
}

const WINDOW_SECONDS = 60;
const ALLOWED: RateDecision = { allowed: true };

/**
 * Fixed one-minute windows counted in the key-value store, so every router replica shares
 * the count (Redis). If the store fails the request is let through: a Redis outage must not
 * take the API down with it.
 */
export function createRateLimiter(options: {
  kv: KeyValueStore;
  perMinute: number;
  logger: Logger;
  now?: () => number;
}): RateLimiter {
  const now = options.now ?? Date.now;
  if (options.perMinute <= 0) return { take: async () => ALLOWED };
  let lastFailureLog = 0;
  return {
    async take(bucket, cost = 1) {
      const time = now();
      const window = Math.floor(time / (WINDOW_SECONDS * 1000));
      let count: number;
      try {
        count = await options.kv.incr(`ratelimit:${bucket}:${window}`, { by: cost, ttlSeconds: WINDOW_SECONDS + 5 });
      } catch (error) {
        if (time - lastFailureLog > 60_000) {
          lastFailureLog = time;
          options.logger.warn('rate limit store unavailable; requests are not limited', { error });
        }
        return ALLOWED;
      }
      if (count <= options.perMinute) return ALLOWED;
      const windowEnds = (window + 1) * WINDOW_SECONDS * 1000;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - time) / 1000)) };
    },
  };
}
