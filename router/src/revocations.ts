import { PRIVACY_EVENTS, type UserDeleted } from '@shop/contracts';
import type { EventBus, Subscription } from '@shop/events';
import type { KeyValueStore } from '@shop/kv';
import type { Logger } from '@shop/subgraph-kit';
import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.js';

/** Longer than any access token lives: after that, no token issued before the deletion is left. */
const REVOKED_TTL_SECONDS = 24 * 60 * 60;
const CHANNEL = 'revocations';
const key = (userId: string) => `revoked-user:${userId}`;

/**
 * The deny-list of deleted accounts, whose access tokens the router refuses. Fed by `user.deleted`
 * (one replica of the group takes each event), kept in the router's store (Redis: every replica
 * reads it) and announced on a channel so that every replica drops the account at once, even for
 * tokens it had already verified and cached.
 */
export interface Revocations {
  /** Known to this replica: checked on every request, without a round trip. */
  revokedHere(userId: string): boolean;
  /** Asked of the store when a token is verified for the first time. */
  isRevoked(userId: string): Promise<boolean>;
  /**
   * Goes up each time the announcements resume after the connection to the store was lost: one
   * sent meanwhile is gone, so a token verified before may belong to an account deleted since
   * and must be asked about again.
   */
  epoch(): number;
  stop(): Promise<void>;
}

export async function startRevocations(options: { kv: KeyValueStore; bus: EventBus; logger: Logger }): Promise<Revocations> {
  const { kv, bus, logger } = options;
  // Bounded, and forgotten when no token of the account can be alive any more.
  const local = new LRUCache<string, true>({ max: 100_000, ttl: REVOKED_TTL_SECONDS * 1000 });
  const revoke = (userId: string) => local.set(userId, true);
  let epoch = 0;
  const unsubscribe = await kv.subscribe(CHANNEL, revoke, { onResume: () => (epoch += 1) });
  let consumer: Subscription;
  try {
    consumer = await bus.subscribe({
      group: 'router.revocations',
      types: [PRIVACY_EVENTS.userDeleted],
      async handler(event) {
        const { userId } = event.data as UserDeleted;
        revoke(userId);
        await kv.set(key(userId), '1', { ttlSeconds: REVOKED_TTL_SECONDS });
        await kv.publish(CHANNEL, userId);
        logger.info('access tokens of a deleted account revoked', { userId });
      },
    });
  } catch (error) {
    await unsubscribe();
    throw error;
  }
  return {
    revokedHere: (userId) => local.has(userId),
    epoch: () => epoch,
    async isRevoked(userId) {
      if (local.has(userId)) return true;
      if ((await kv.get(key(userId))) === null) return false;
      revoke(userId);
      return true;
    },
    async stop() {
      await consumer.stop();
      await unsubscribe();
    },
  };
}

/** Between attempts to start the deny-list while the store cannot be reached: doubling from the first, up to the last. */
const START_RETRY_MS = [1000, 30_000] as const;

/**
 * The deny-list, when there is an event bus to learn deletions from (none: undefined). One that
 * cannot start (Redis not reachable yet, as in a rollout that starts the router first) is tried
 * again on `clock`, doubling from 1 s to 30 s; meanwhile every token seen for the first time is
 * checked against the store alone, which holds every deletion other replicas recorded, and once
 * it starts every verification made before is made again.
 */
export function startDenyList(options: { kv: KeyValueStore; bus: EventBus | undefined; logger: Logger; clock: Clock }): Promise<Revocations> | undefined {
  const { kv, bus, logger, clock } = options;
  if (!bus) return undefined;
  let started: Revocations | null = null;
  let failures = 0;
  let stopped = false;
  let cancelRetry = () => {};
  const attempt = async (): Promise<void> => {
    try {
      const revocations = await startRevocations({ kv, bus, logger });
      if (stopped) return await revocations.stop();
      started = revocations;
      if (failures > 0) logger.info('the deny-list of deleted accounts started after all');
    } catch (error) {
      if (stopped) return;
      if (failures === 0) logger.error('the deny-list of deleted accounts did not start: trying again; meanwhile tokens are checked against the store alone', { error });
      cancelRetry = clock.after(Math.min(START_RETRY_MS[0] * 2 ** failures, START_RETRY_MS[1]), () => void attempt());
      failures += 1;
    }
  };
  const first = attempt();
  const denyList: Revocations = {
    revokedHere: (userId) => started?.revokedHere(userId) ?? false,
    isRevoked: async (userId) => (started ? started.isRevoked(userId) : (await kv.get(key(userId))) !== null),
    // Started late: what was verified before it heard of anything is verified again.
    epoch: () => (started ? started.epoch() + (failures > 0 ? 1 : 0) : 0),
    async stop() {
      stopped = true;
      cancelRetry();
      await first;
      await started?.stop();
    },
  };
  return first.then(() => denyList);
}
