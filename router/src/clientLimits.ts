import { createRateLimits, type Logger, type RateLimiter } from '@shop/subgraph-kit';
import type { Clock } from './clock.js';
import { DEFAULT_PARTNER_COST } from './config.js';
import { createCostBuckets, createPartnerQuota, type PartnerQuota } from './partnerQuota.js';

/**
 * What a client may ask of the router: requests per minute per client address or partner key
 * (`perMinute`; 0 or unset: not limited), and each partner key's cost points. In Redis when
 * `redisUrl` is set, so every replica counts the same; in this process otherwise.
 */
export function createClientLimits(options: {
  redisUrl: string | undefined;
  perMinute: number | undefined;
  partnerCost: { budget: number; restoreRate: number } | undefined;
  clock: Clock;
  logger: Logger;
}): { rateLimiter: RateLimiter; partnerQuota: PartnerQuota; close(): Promise<void> } {
  const { redisUrl, logger } = options;
  const rateLimits = createRateLimits({ redisUrl, keyPrefix: 'router:', logger });
  const costBuckets = createCostBuckets({
    maximumAvailable: options.partnerCost?.budget ?? DEFAULT_PARTNER_COST.budget,
    restoreRate: options.partnerCost?.restoreRate ?? DEFAULT_PARTNER_COST.restoreRate,
    clock: options.clock,
    redisUrl,
    logger,
  });
  const perMinute = options.perMinute ?? 0;
  return {
    rateLimiter:
      perMinute > 0 ? rateLimits.limiter({ name: 'ratelimit', points: perMinute, durationSeconds: 60 }) : { consume: async () => ({ allowed: true }), reset: async () => undefined },
    partnerQuota: createPartnerQuota(costBuckets),
    async close() {
      await rateLimits.close();
      await costBuckets.close();
    },
  };
}
