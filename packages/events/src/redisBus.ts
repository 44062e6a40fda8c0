import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { traceRedisClient } from '@shop/telemetry';
import { handleInTrace, matches } from './envelope.js';
import { createEventMetrics, type GroupBacklog } from './metrics.js';
import { errorMessage, retryPolicy, type BusOptions, type DeadLetter } from './retry.js';
import type { EventBus, EventEnvelope, SubscribeOptions, Subscription } from './types.js';

const STREAM = 'shop:events';
// Keep roughly this many events in the stream (approximate trimming is O(1) per XADD).
const MAX_LEN = 1_000_000;
// A delivered event not acknowledged for this long is claimed again by a live consumer.
const CLAIM_IDLE_MS = 5_000;
// The longest a consumer blocks on XREADGROUP before it looks at due retries again.
const BLOCK_MS = 1_000;

type Entry = [id: string, fields: string[] | null];

// Moves the retries that are due (score <= now) to the group's retry stream, atomically, so
// two replicas never both move one.
const PROMOTE_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
for _, member in ipairs(due) do
  local retry = cjson.decode(member)
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'event', retry.event, 'attempts', retry.attempts)
  redis.call('ZREM', KEYS[1], member)
end
return #due`;

// Replays a dead letter once even when two admins ask at the same time: only the XDEL that
// removed it re-adds the event.
const REPLAY = `
if redis.call('XDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'event', ARGV[2], 'attempts', '0')
  redis.call('HINCRBY', KEYS[3], ARGV[4], -1)
  return 1
end
return 0`;

/**
 * Redis Streams: one stream for all events, a consumer group per subscribing service. Each
 * replica reads with XREADGROUP and acknowledges once its handler succeeded. A failed event is
 * acknowledged too and parked in the group's retry set (a sorted set by due time) with its
 * attempt count; when due it goes to the group's retry stream, which the group reads beside the
 * main one. After the last try it goes to the dead-letter stream instead. Nothing sleeps: a
 * consumer keeps handling other events while one waits. Events left pending by a crashed
 * replica are claimed after `claimIdleMs` (at least once).
 */
export function createRedisBus(
  url: string,
  options: BusOptions & { stream?: string; claimIdleMs?: number; blockMs?: number } = {},
): EventBus {
  const stream = options.stream ?? STREAM;
  const claimIdleMs = options.claimIdleMs ?? CLAIM_IDLE_MS;
  const blockMs = options.blockMs ?? BLOCK_MS;
  const retry = retryPolicy(options);
  const now = options.now ?? Date.now;
  const keys = {
    retryStream: (group: string) => `${stream}:retry:${group}`,
    retrying: (group: string) => `${stream}:retrying:${group}`,
    dead: `${stream}:dead`,
    deadCounts: `${stream}:dead:count`,
  };
  const client = traceRedisClient(new Redis(url, { maxRetriesPerRequest: 3 }));
  client.on('error', () => undefined);
  const subscriptions = new Set<Subscription>();
  const metrics = createEventMetrics(() => backlog());

  const createGroup = async (key: string, group: string, from: string) => {
    try {
      await client.xgroup('CREATE', key, group, from, 'MKSTREAM');
    } catch (error) {
      if (!errorMessage(error).includes('BUSYGROUP')) throw error;
    }
  };

  const backlog = async (): Promise<GroupBacklog[]> => {
    const groups = (await client.xinfo('GROUPS', stream).catch(() => [])) as unknown[][];
    const deadCounts = await client.hgetall(keys.deadCounts);
    return Promise.all(
      groups.map(async (row) => {
        const info = fieldsOf(row);
        const group = String(info.name);
        const [retryGroups, retrying] = await Promise.all([
          client.xinfo('GROUPS', keys.retryStream(group)).catch(() => []) as Promise<unknown[][]>,
          client.zcard(keys.retrying(group)),
        ]);
        const retryInfo = retryGroups.map(fieldsOf).find((g) => g.name === group);
        return {
          group,
          lag: Number(info.lag ?? 0) + Number(retryInfo?.lag ?? 0),
          pending: Number(info.pending ?? 0) + Number(retryInfo?.pending ?? 0),
          retrying,
          deadLetters: Number(deadCounts[group] ?? 0),
        };
      }),
    );
  };

  return {
    kind: 'redis',
    metrics: metrics.registry,
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
      const policy = subscribeOptions.retry ? { ...retry, ...subscribeOptions.retry } : retry;
      const consumer = subscribeOptions.consumer ?? randomUUID();
      const retryStream = keys.retryStream(group);
      await createGroup(stream, group, subscribeOptions.startAt === 'new' ? '$' : '0');
      await createGroup(retryStream, group, '0');
      // A blocking read holds its connection, so each subscription gets its own.
      const reader = client.duplicate();
      reader.on('error', () => undefined);
      let stopped = false;

      const failed = async (key: string, id: string, raw: string, event: EventEnvelope, attempts: number, error: unknown) => {
        options.onError?.(error, event);
        const transaction = client.multi();
        if (attempts >= policy.maxAttempts) {
          const letter = { group, event, attempts, error: errorMessage(error), failedAt: new Date(now()).toISOString() };
          transaction
            .xadd(keys.dead, '*', 'group', group, 'event', raw, 'attempts', String(attempts), 'error', letter.error, 'failedAt', letter.failedAt)
            .hincrby(keys.deadCounts, group, 1);
          const results = await transaction.xack(key, group, id).exec();
          metrics.deadLettered(group, event.type);
          options.onDeadLetter?.({ id: String(results?.[0]?.[1] ?? ''), ...letter });
          return;
        }
        const dueAt = now() + policy.delayMs(attempts);
        // The entry id keeps two failures of one event (say, a replayed one) distinct members.
        transaction.zadd(keys.retrying(group), dueAt, JSON.stringify({ id, event: raw, attempts }));
        await transaction.xack(key, group, id).exec();
        metrics.retried(group, event.type);
      };

      const handle = async (key: string, id: string, fields: string[]) => {
        const field = (name: string) => {
          const index = fields.findIndex((value, i) => i % 2 === 0 && value === name);
          return index < 0 ? undefined : fields[index + 1];
        };
        const raw = field('event');
        let event: EventEnvelope | undefined;
        try {
          event = raw ? (JSON.parse(raw) as EventEnvelope) : undefined;
        } catch {
          event = undefined;
        }
        if (!raw || !event || !matches(types, event.type)) {
          await client.xack(key, group, id);
          return;
        }
        try {
          await handleInTrace(group, event, handler);
        } catch (error) {
          await failed(key, id, raw, event, Number(field('attempts') ?? 0) + 1, error);
          return;
        }
        await client.xack(key, group, id);
        metrics.handled(group, event.type);
      };

      // Due retries move to the retry stream; the next read blocks no longer than until the
      // earliest of the rest is due.
      const promoteDue = async (): Promise<number> => {
        await client.eval(PROMOTE_DUE, 2, keys.retrying(group), retryStream, String(now()), String(MAX_LEN));
        const [, score] = await client.zrange(keys.retrying(group), 0, 0, 'WITHSCORES');
        return score === undefined ? blockMs : Math.max(1, Math.min(blockMs, Number(score) - now()));
      };

      const loop = (async () => {
        let lastClaim = 0;
        while (!stopped) {
          try {
            const block = await promoteDue();
            if (Date.now() - lastClaim > claimIdleMs / 2) {
              lastClaim = Date.now();
              for (const key of [stream, retryStream]) {
                const claimed = (await reader.xautoclaim(key, group, consumer, claimIdleMs, '0', 'COUNT', 100)) as [string, Entry[]];
                for (const [id, fields] of claimed[1] ?? []) if (fields && !stopped) await handle(key, id, fields);
              }
            }
            const batch = (await reader.xreadgroup(
              'GROUP', group, consumer, 'COUNT', 100, 'BLOCK', Math.min(block, claimIdleMs), 'STREAMS', stream, retryStream, '>', '>',
            )) as Array<[string, Entry[]]> | null;
            for (const [key, entries] of batch ?? []) {
              for (const [id, fields] of entries) {
                if (stopped) break;
                if (fields) await handle(key, id, fields);
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

    async deadLetters({ group, limit = 100 } = {}) {
      const letters: DeadLetter[] = [];
      let from = '-';
      while (letters.length < limit) {
        const entries = (await client.xrange(keys.dead, from, '+', 'COUNT', 500)) as Entry[];
        for (const [id, fields] of entries) {
          const letter = fields && deadLetterOf(id, fields);
          if (letter && (group === undefined || letter.group === group)) letters.push(letter);
          if (letters.length === limit) break;
        }
        if (entries.length < 500) break;
        from = `(${entries[entries.length - 1]![0]}`;
      }
      return letters;
    },

    async replayDeadLetter(id) {
      const [entry] = (await client.xrange(keys.dead, id, id).catch(() => [])) as Entry[];
      const letter = entry?.[1] ? deadLetterOf(entry[0], entry[1]) : null;
      if (!letter) return null;
      await createGroup(keys.retryStream(letter.group), letter.group, '0');
      const replayed = await client.eval(
        REPLAY, 3, keys.dead, keys.retryStream(letter.group), keys.deadCounts,
        id, JSON.stringify(letter.event), String(MAX_LEN), letter.group,
      );
      if (Number(replayed) !== 1) return null;
      metrics.replayed(letter.group);
      return letter;
    },

    async close() {
      await Promise.all([...subscriptions].map((s) => s.stop()));
      await client.quit().catch(() => undefined);
    },
  };
}

function deadLetterOf(id: string, fields: string[]): DeadLetter | null {
  const value = fieldsOf(fields);
  try {
    return {
      id,
      group: String(value.group),
      event: JSON.parse(String(value.event)) as EventEnvelope,
      attempts: Number(value.attempts),
      error: String(value.error ?? ''),
      failedAt: String(value.failedAt ?? ''),
    };
  } catch {
    return null;
  }
}

/** A flat Redis reply `[name, value, name, value, ...]` as an object. */
function fieldsOf(flat: readonly unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[String(flat[i])] = flat[i + 1];
  return record;
}
