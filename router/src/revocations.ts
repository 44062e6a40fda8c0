import { PRIVACY_EVENTS, type UserDeleted } from '@shop/contracts';
import type { EventBus, Subscription } from '@shop/events';
import type { KeyValueStore } from '@shop/kv';
import type { Logger } from '@shop/subgraph-kit';
import { LRUCache } from 'lru-cache';

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

/**
 * The deny-list, when there is an event bus to learn deletions from (none: undefined). One that
 * cannot start is logged, not fatal: the router then serves on, as it would without a bus.
 */
export function startDenyList(options: { kv: KeyValueStore; bus: EventBus | undefined; logger: Logger }): Promise<Revocations | null> | undefined {
  const { bus, logger } = options;
  if (!bus) return undefined;
  return startRevocations({ ...options, bus }).catch((error: unknown) => {
    logger.error('the deny-list of deleted accounts did not start: their access tokens work until they expire', { error });
    return null;
  });
}
