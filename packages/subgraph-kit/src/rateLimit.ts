import { Redis } from 'ioredis';
import { traceRedisClient } from '@shop/telemetry';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from './logger.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts `points` (default 1) against `key`; refused once the key has used more than its limit in its window. */
  consume(key: string, points?: number): Promise<RateDecision>;
  /** Forgets what `key` has used. */
  reset(key: string): Promise<void>;
}

export interface RateLimits {
  /** `points` per `durationSeconds` and key; a key's window starts with its first use. */
  limiter(options: { name: string; points: number; durationSeconds: number }): RateLimiter;
  /** Closes the Redis connection (limiters are unusable afterwards). */
  close(): Promise<void>;
}

const ALLOWED: RateDecision = { allowed: true };

/**
 * rate-limiter-flexible. With `redisUrl` the counts live in Redis, so every replica shares them,
 * and while Redis fails an in-memory insurance limiter per process takes over: a Redis outage
 * neither takes the API down nor lifts the limits. Without `redisUrl`, counted in this process.
 */
export function createRateLimits(options: { redisUrl?: string | undefined; keyPrefix: string; logger: Logger }): RateLimits {
  // No offline queue: while Redis is away a command fails at once and the insurance limiter answers.
  const redis = options.redisUrl ? traceRedisClient(new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })) : null;
  // The first requests wait (briefly) for the first connection, so they are not counted apart.
  const connected = redis
    ? new Promise<void>((resolve) => {
        redis.once('ready', () => resolve());
        redis.once('error', () => resolve());
        setTimeout(resolve, 2_000).unref();
      })
    : Promise.resolve();
  let lastWarning = 0;
  redis?.on('error', (error: unknown) => {
    // ioredis retries on its own; one line a minute is enough to say the limits are per process now.
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    options.logger.warn('rate-limit store unavailable: limits are counted per process until it is back', { error });
  });

  return {
    limiter({ name, points, durationSeconds }) {
      const keyPrefix = `${options.keyPrefix}${name}`;
      const memory = new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });
      const limiter: RateLimiterAbstract = redis
        ? new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration: durationSeconds, insuranceLimiter: memory })
        : memory;
      return {
        async consume(key, cost = 1) {
          await connected;
          try {
            await limiter.consume(key, cost);
            return ALLOWED;
          } catch (refusal) {
            if (!(refusal instanceof RateLimiterRes)) throw refusal;
            return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
          }
        },
        async reset(key) {
          await connected;
          await limiter.delete(key);
        },
      };
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
