import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Logger } from '@shop/subgraph-kit';
import type { Clock } from './clock.js';
import { IDEMPOTENT_REPLAYED_HEADER } from './idempotency.js';

/**
 * Per-partner cost quotas (DESIGN.md section 12), in Shopify's shape so partners' existing
 * tooling reads them: each API key has a bucket of `maximumAvailable` cost points that refills
 * at `restoreRate` points a second. A request takes its estimated cost up front, gets back what
 * it did not use once its data is known, and over budget is told when enough will have
 * refilled (`Retry-After`): a busy partner is slowed, not failed.
 *
 * Written here rather than taken from rate-limiter-flexible: its limiters count fixed windows of
 * whole requests; this bucket refills continuously, takes a variable cost and refunds, and its
 * state is what every response reports.
 */

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** `extensions.cost` of a partner response. */
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export type TakeResult = { allowed: true; status: ThrottleStatus } | { allowed: false; retryAfterSeconds: number; status: ThrottleStatus };

export interface CostBuckets {
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  /** Takes `cost` points from `apiKey`'s bucket if it holds that many. */
  take(apiKey: string, cost: number): Promise<TakeResult>;
  /** Gives back points a request reserved but did not use. */
  refund(apiKey: string, points: number): Promise<ThrottleStatus>;
  close(): Promise<void>;
}

export interface CostBucketOptions {
  maximumAvailable: number;
  restoreRate: number;
  clock: Clock;
  /** Buckets in Redis, shared by every router replica; in this process without it. */
  redisUrl?: string | undefined;
  logger: Logger;
}

// Refill since the last visit, then take (a positive cost, only if it fits) or give back (a
// negative one, never past the maximum). One atomic step per request, whichever replica runs it.
const TAKE_SCRIPT = `
local maximum = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'available', 'at')
local available = tonumber(state[1]) or maximum
local at = tonumber(state[2]) or now
available = math.min(maximum, available + math.max(0, now - at) * rate / 1000)
local taken = 0
if cost <= available then
  available = math.min(maximum, available - cost)
  taken = 1
end
redis.call('HSET', KEYS[1], 'available', tostring(available), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((maximum - available) / rate * 1000) + 60000)
return { taken, tostring(available) }
`;

export function createCostBuckets(options: CostBucketOptions): CostBuckets {
  const { maximumAvailable, restoreRate, clock } = options;
  const memory = new Map<string, { available: number; at: number }>();
  const redis = options.redisUrl ? new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true }) : null;
  let lastWarning = 0;

  const inMemory = (key: string, cost: number): [boolean, number] => {
    const now = clock.now();
    const state = memory.get(key) ?? { available: maximumAvailable, at: now };
    let available = Math.min(maximumAvailable, state.available + (Math.max(0, now - state.at) * restoreRate) / 1000);
    const taken = cost <= available;
    if (taken) available = Math.min(maximumAvailable, available - cost);
    memory.set(key, { available, at: now });
    return [taken, available];
  };

  const apply = async (apiKey: string, cost: number): Promise<[boolean, number]> => {
    // The key is a credential: only its digest is stored.
    const key = `router:partner-cost:${createHash('sha256').update(apiKey).digest('base64url')}`;
    if (!redis) return inMemory(key, cost);
    try {
      if (redis.status === 'wait') await redis.connect();
      const [taken, available] = (await redis.eval(TAKE_SCRIPT, 1, key, maximumAvailable, restoreRate, clock.now(), cost)) as [number, string];
      return [taken === 1, Number(available)];
    } catch (error) {
      // A Redis outage neither stops partners nor lifts their quota: counted per process meanwhile.
      if (clock.now() - lastWarning > 60_000) {
        lastWarning = clock.now();
        options.logger.warn('partner cost store unavailable: quotas are counted per process until it is back', { error });
      }
      return inMemory(key, cost);
    }
  };

  const status = (available: number): ThrottleStatus => ({ maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate });

  return {
    maximumAvailable,
    restoreRate,
    async take(apiKey, cost) {
      const [taken, available] = await apply(apiKey, cost);
      if (taken) return { allowed: true, status: status(available) };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - available) / restoreRate)), status: status(available) };
    },
    async refund(apiKey, points) {
      return status((await apply(apiKey, -points))[1]);
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * What an answered operation really cost, counted like the estimate but over the data that came
 * back: one point per field present, its selections counted once per list item returned. A page
 * shorter than asked costs less; never more than the estimate (a list without a size is
 * estimated at one item, and the estimate is what the partner agreed to pay).
 */
export function actualQueryCost(document: DocumentNode, operationName: string | null, data: unknown, requested: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let selectionSet: SelectionSetNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && (operationName === null || definition.name?.value === operationName)) {
      selectionSet ??= definition.selectionSet;
    }
  }
  if (!selectionSet || data === null || typeof data !== 'object') return 0;

  // A response key is counted once per object, however many fragments select it.
  const costOf = (set: SelectionSetNode, value: Record<string, unknown>, seen: ReadonlySet<string>, counted = new Set<string>()): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const field = value[key];
        // Absent: a field of another type in the same list, under a fragment that did not apply.
        if (field === undefined || counted.has(key)) continue;
        counted.add(key);
        cost += 1;
        if (selection.selectionSet) cost += nested(selection.selectionSet, field, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += costOf(selection.selectionSet, value, seen, counted);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) cost += costOf(fragment.selectionSet, value, new Set([...seen, fragment.name.value]), counted);
      }
    }
    return cost;
  };
  const nested = (set: SelectionSetNode, value: unknown, seen: ReadonlySet<string>): number => {
    if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + nested(set, item, seen), 0);
    return value !== null && typeof value === 'object' ? costOf(set, value as Record<string, unknown>, seen) : 0;
  };
  return Math.min(requested, costOf(selectionSet, data as Record<string, unknown>, new Set()));
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Admission =
  | { admitted: true }
  /** Over budget now: enough will have refilled after `retryAfterSeconds`. */
  | { admitted: false; retryAfterSeconds: number; cost: QueryCost }
  /** Costs more than a full bucket: no wait would help (Shopify's MAX_COST_EXCEEDED). */
  | { admitted: false; maximum: number; cost: QueryCost };

export interface PartnerQuota {
  /** Before running: takes the operation's estimated cost from the partner's bucket. */
  admit(apiKey: string, requested: number): Promise<Admission>;
  /**
   * After: gives back what the answer did not use of the `taken` points (default: `requested`,
   * what `admit` took) and reports the cost in its `extensions.cost`. A replayed idempotent
   * answer ran nothing, so it costs nothing.
   */
  settle(apiKey: string, requested: number, answer: Answer, document: DocumentNode, operationName: string | null, taken?: number): Promise<Answer>;
}

export function createPartnerQuota(buckets: CostBuckets): PartnerQuota {
  return {
    async admit(apiKey, requested) {
      if (requested > buckets.maximumAvailable) {
        const throttleStatus = { maximumAvailable: buckets.maximumAvailable, currentlyAvailable: buckets.maximumAvailable, restoreRate: buckets.restoreRate };
        return { admitted: false, maximum: buckets.maximumAvailable, cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus } };
      }
      const taken = await buckets.take(apiKey, requested);
      if (taken.allowed) return { admitted: true };
      return { admitted: false, retryAfterSeconds: taken.retryAfterSeconds, cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: taken.status } };
    },
    async settle(apiKey, requested, answer, document, operationName, taken = requested) {
      let parsed: Record<string, unknown> | null = null;
      if (/json/.test(answer.headers['content-type'] ?? '')) {
        try {
          parsed = JSON.parse(answer.body) as Record<string, unknown>;
        } catch {
          parsed = null;
        }
      }
      // An answer without data (refused, failed) used nothing: all of the estimate comes back;
      // so does a replayed one, which the router answered from its record without running it.
      const replayed = answer.headers[IDEMPOTENT_REPLAYED_HEADER] === 'true';
      const actual = parsed && !replayed ? actualQueryCost(document, operationName, parsed.data ?? null, requested) : 0;
      const throttleStatus = await buckets.refund(apiKey, taken - actual);
      if (!parsed) return answer;
      return withCost(answer, parsed, { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus });
    },
  };
}

/** The answer with `extensions.cost` beside whatever extensions it had. */
export function withCost(answer: Answer, parsed: Record<string, unknown>, cost: QueryCost): Answer {
  const extensions = parsed.extensions !== null && typeof parsed.extensions === 'object' ? parsed.extensions : {};
  return { ...answer, body: JSON.stringify({ ...parsed, extensions: { ...extensions, cost } }) };
}
