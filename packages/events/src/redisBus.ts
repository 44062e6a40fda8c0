import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { matches, retryDelayMs } from './envelope.js';
import type { EventBus, EventEnvelope, SubscribeOptions, Subscription } from './types.js';

const STREAM = 'shop:events';
// Keep roughly this many events in the stream (approximate trimming is O(1) per XADD).
const MAX_LEN = 1_000_000;
// A delivered event not acknowledged for this long is claimed again by a live consumer.
const CLAIM_IDLE_MS = 5_000;

/**
 * Redis Streams: one stream for all events, a consumer group per subscribing service. Each
 * replica reads with XREADGROUP, acknowledges after its handler succeeded, and periodically
 * claims events left pending by a crashed replica or a failed handler (at least once).
 */
export function createRedisBus(
  url: string,
  options: { stream?: string; claimIdleMs?: number; onError?: (error: unknown, event?: EventEnvelope) => void } = {},
): EventBus {
  const stream = options.stream ?? STREAM;
  const claimIdleMs = options.claimIdleMs ?? CLAIM_IDLE_MS;
  const client = new Redis(url, { maxRetriesPerRequest: 3 });
  client.on('error', () => undefined);
  const subscriptions = new Set<Subscription>();

  return {
    kind: 'redis',
    async publish(events) {
      if (events.length === 0) return;
      const pipeline = client.pipeline();
      for (const event of events) {
        pipeline.xadd(stream, 'MAXLEN', '~', String(MAX_LEN), '*', 'type', event.type, 'event', JSON.stringify(event));
      }
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0];
    },

    async subscribe(subscribeOptions: SubscribeOptions): Promise<Subscription> {
      const { group, types, handler } = subscribeOptions;
      const consumer = subscribeOptions.consumer ?? randomUUID();
      try {
        await client.xgroup('CREATE', stream, group, subscribeOptions.startAt === 'new' ? '$' : '0', 'MKSTREAM');
      } catch (error) {
        if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
      }
      // A blocking read holds its connection, so each subscription gets its own.
      const reader = client.duplicate();
      reader.on('error', () => undefined);
      const attempts = new Map<string, number>();
      let stopped = false;

      const handle = async (id: string, fields: string[]) => {
        const raw = fields[fields.indexOf('event') + 1];
        let event: EventEnvelope | undefined;
        try {
          event = raw ? (JSON.parse(raw) as EventEnvelope) : undefined;
        } catch {
          event = undefined;
        }
        if (!event || !matches(types, event.type)) {
          await client.xack(stream, group, id);
          return;
        }
        try {
          await handler(event);
          attempts.delete(id);
          await client.xack(stream, group, id);
        } catch (error) {
          options.onError?.(error, event);
          const attempt = (attempts.get(id) ?? 0) + 1;
          attempts.set(id, attempt);
          // Left pending: the claim loop hands it out again after the idle time.
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
        }
      };

      const loop = (async () => {
        let lastClaim = 0;
        while (!stopped) {
          try {
            if (Date.now() - lastClaim > claimIdleMs / 2) {
              lastClaim = Date.now();
              const claimed = (await reader.xautoclaim(stream, group, consumer, claimIdleMs, '0', 'COUNT', 100)) as [
                string,
                Array<[string, string[]]>,
              ];
              for (const [id, fields] of claimed[1] ?? []) if (fields) await handle(id, fields);
            }
            const batch = (await reader.xreadgroup(
              'GROUP', group, consumer, 'COUNT', 100, 'BLOCK', Math.min(1000, claimIdleMs), 'STREAMS', stream, '>',
            )) as Array<[string, Array<[string, string[]]>]> | null;
            for (const [, entries] of batch ?? []) {
              for (const [id, fields] of entries) {
                if (stopped) break;
                await handle(id, fields);
              }
            }
          } catch (error) {
            if (stopped) break;
            options.onError?.(error);
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
      })();

      const subscription: Subscription = {
        async stop() {
          stopped = true;
          reader.disconnect();
          await loop;
          subscriptions.delete(subscription);
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async close() {
      await Promise.all([...subscriptions].map((s) => s.stop()));
      await client.quit().catch(() => undefined);
    },
  };
}
