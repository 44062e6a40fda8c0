import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '@shop/kv';
import type { Logger } from '@shop/subgraph-kit';
import type { Clock } from './clock.js';
import type { SubgraphClients } from './engine/SubgraphClients.js';
import type { KeptAnswers } from './engine/SupergraphEngine.js';

const CHANNEL = 'mutations';
/**
 * How long a mutation's answer waits for its announcement to reach Redis (normally well under a
 * millisecond). Past it the client is answered anyway: a Redis that is slow or gone delays no
 * mutation by more, and the announcement goes out when it can.
 */
const ANNOUNCE_WAIT_MS = 1000;
/** Between attempts to listen while the store cannot be reached: doubling from the first, up to the last. */
const LISTEN_RETRY_MS = [1000, 30_000] as const;

/**
 * The answers a router replica keeps (in `clients`), as mutations have them forgotten on every
 * replica: the replicas tell each other of each mutation on the `mutations` channel of the
 * router's store (Redis: every replica sharing it; in-process: this router alone), and each one
 * that hears of one forgets what it kept. Pub/sub keeps nothing, so a replica whose subscription
 * was lost and is back forgets as well: it may have missed some; so does one that could not
 * subscribe at its start (Redis not up yet) once it can, trying again meanwhile. Queries pay
 * nothing for it; a mutation, one publish.
 */
export function replicaKeptAnswers(options: { kv: KeyValueStore; clients: SubgraphClients; clock: Clock; logger: Logger }): KeptAnswers & { stop(): Promise<void> } {
  const { kv, clients, clock, logger } = options;
  const forget = () => clients.forgetKept();
  // A replica forgets before it announces: its own announcements tell it nothing.
  const replica = randomUUID();
  const hear = (from: string) => {
    if (from !== replica) forget();
  };
  let unsubscribe: (() => Promise<void>) | null = null;
  let stopped = false;
  let cancelRetry = () => {};
  const listen = async (attempt: number): Promise<void> => {
    try {
      const off = await kv.subscribe(CHANNEL, hear, { onResume: forget });
      if (stopped) return await off();
      unsubscribe = off;
      if (attempt === 0) return;
      forget();
      logger.info('hearing of mutations through other router replicas again');
    } catch (error) {
      if (stopped) return;
      if (attempt === 0) {
        logger.error('mutations through other router replicas cannot be heard of until the store can be reached: what this one keeps may lag them by up to a max-age', { error });
      }
      const delay = Math.min(LISTEN_RETRY_MS[0] * 2 ** attempt, LISTEN_RETRY_MS[1]);
      cancelRetry = clock.after(delay, () => void listen(attempt + 1));
    }
  };
  const listening = listen(0);
  return {
    forget,
    async announce() {
      const sent = kv.publish(CHANNEL, replica).catch((error: unknown) => {
        logger.warn('a mutation could not be announced to the other router replicas: they keep what they kept until its max-age', { error });
      });
      let cancel = () => {};
      await Promise.race([sent, new Promise<void>((resolve) => (cancel = clock.after(ANNOUNCE_WAIT_MS, resolve)))]);
      cancel();
    },
    async stop() {
      stopped = true;
      cancelRetry();
      await listening;
      await unsubscribe?.();
    },
  };
}
