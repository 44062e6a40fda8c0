import { openJournal } from './journal.js';
import { compareStreamIds, type KeyValueStore } from './types.js';

interface Entry {
  value: string;
  expiresAt: number | null;
}

/** A journal line: a key's new value and absolute expiry, or its deletion. */
type Change = { k: string; v: string; e: number | null } | { k: string; d: 1 };

/**
 * The in-process stand-in: one Map, lazy expiry plus a periodic sweep, synchronous channels.
 * With `persistPath` every write is journaled and resolves once it is on disk (see journal.ts
 * for the durability promise), and the data is there again after a restart; channels are not
 * kept (as with Redis pub/sub).
 */
export function createMemoryStore(options: { now?: () => number; sweepMs?: number; persistPath?: string } = {}): KeyValueStore {
  const now = options.now ?? Date.now;
  const data = new Map<string, Entry>();
  const channels = new Map<string, Set<(message: string) => void>>();
  // Logs live in memory only, also with persistPath: entries from before this store was made
  // count as dropped, so a reader who asks for them is told (rather than silently missing them).
  const createdAt = now();
  const streams = new Map<string, { entries: Array<{ id: string; message: string }>; last: [number, number] }>();
  const streamOf = (name: string) => {
    let log = streams.get(name);
    if (!log) streams.set(name, (log = { entries: [], last: [createdAt, 0] }));
    return log;
  };
  const live = (key: string): Entry | undefined => {
    const entry = data.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= now()) {
      data.delete(key);
      return undefined;
    }
    return entry;
  };
  const journal = options.persistPath
    ? openJournal<Change>({
        path: options.persistPath,
        apply: (change) => {
          if ('d' in change) data.delete(change.k);
          else data.set(change.k, { value: change.v, expiresAt: change.e });
        },
        *snapshot() {
          for (const [k, entry] of data) if (live(k)) yield { k, v: entry.value, e: entry.expiresAt };
        },
      })
    : null;
  // Resolves once the change is durable (at once without a journal).
  const written = async (key: string): Promise<void> => {
    if (!journal) return;
    const entry = data.get(key);
    journal.append(entry ? { k: key, v: entry.value, e: entry.expiresAt } : { k: key, d: 1 });
    await journal.sync();
  };
  const sweep = setInterval(() => {
    for (const key of data.keys()) live(key);
  }, options.sweepMs ?? 60_000);
  sweep.unref();
  const expiry = (ttlSeconds?: number) => (ttlSeconds === undefined ? null : now() + ttlSeconds * 1000);

  return {
    kind: 'memory',
    async get(key) {
      return live(key)?.value ?? null;
    },
    async getMany(keys) {
      return keys.map((key) => live(key)?.value ?? null);
    },
    async set(key, value, opts = {}) {
      data.set(key, { value, expiresAt: expiry(opts.ttlSeconds) });
      await written(key);
    },
    async setIfAbsent(key, value, opts = {}) {
      if (live(key)) return false;
      data.set(key, { value, expiresAt: expiry(opts.ttlSeconds) });
      await written(key);
      return true;
    },
    async del(...keys) {
      const removed = keys.filter((key) => live(key) && data.delete(key));
      await Promise.all(removed.map(written));
      return removed.length;
    },
    async incr(key, opts = {}) {
      const entry = live(key);
      const current = entry ? Number(entry.value) : 0;
      if (!Number.isInteger(current)) throw new Error(`value at ${key} is not an integer`);
      const next = current + (opts.by ?? 1);
      data.set(key, { value: String(next), expiresAt: entry ? entry.expiresAt : expiry(opts.ttlSeconds) });
      await written(key);
      return next;
    },
    async ttl(key) {
      const entry = live(key);
      if (!entry || entry.expiresAt === null) return null;
      return Math.max(0, Math.ceil((entry.expiresAt - now()) / 1000));
    },
    async expire(key, ttlSeconds) {
      const entry = live(key);
      if (!entry) return false;
      entry.expiresAt = now() + ttlSeconds * 1000;
      await written(key);
      return true;
    },
    async publish(channel, message) {
      for (const listener of [...(channels.get(channel) ?? [])]) {
        // Deliver asynchronously, as Redis would: a publisher never runs subscriber code inline.
        queueMicrotask(() => listener(message));
      }
    },
    async subscribe(channel, listener) {
      const set = channels.get(channel) ?? new Set();
      set.add(listener);
      channels.set(channel, set);
      return async () => {
        set.delete(listener);
        if (set.size === 0) channels.delete(channel);
      };
    },
    async append(stream, message, opts) {
      if (opts.once) {
        const seen = live(opts.once.key);
        if (seen) return seen.value;
      }
      const log = streamOf(stream);
      const ms = Math.max(now(), log.last[0]);
      log.last = [ms, ms === log.last[0] ? log.last[1] + 1 : 0];
      const id = `${log.last[0]}-${log.last[1]}`;
      log.entries.push({ id, message });
      const oldest = now() - opts.retainMs;
      let dropped = 0;
      while (dropped < log.entries.length && Number(log.entries[dropped]!.id.split('-')[0]) < oldest) dropped += 1;
      log.entries.splice(0, dropped);
      if (opts.once) {
        data.set(opts.once.key, { value: id, expiresAt: expiry(opts.once.ttlSeconds) });
        await written(opts.once.key);
      }
      return id;
    },
    async readAfter(stream, afterId, count) {
      const log = streamOf(stream);
      const entries = log.entries.filter((entry) => compareStreamIds(entry.id, afterId) > 0).slice(0, count);
      // As with Redis: complete when the reader got up to the oldest entry kept (the newest id if none is).
      const firstKept = log.entries[0]?.id ?? `${log.last[0]}-${log.last[1]}`;
      return { entries, complete: compareStreamIds(afterId, firstKept) >= 0 };
    },
    async lastId(stream) {
      return streams.get(stream)?.entries.at(-1)?.id ?? '0-0';
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      await journal?.close();
      data.clear();
      channels.clear();
      streams.clear();
    },
  };
}
