import type { KeyValueStore } from './types.js';

interface Entry {
  value: string;
  expiresAt: number | null;
}

/** The in-process stand-in: one Map, lazy expiry plus a periodic sweep, synchronous channels. */
export function createMemoryStore(options: { now?: () => number; sweepMs?: number } = {}): KeyValueStore {
  const now = options.now ?? Date.now;
  const data = new Map<string, Entry>();
  const channels = new Map<string, Set<(message: string) => void>>();
  const live = (key: string): Entry | undefined => {
    const entry = data.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= now()) {
      data.delete(key);
      return undefined;
    }
    return entry;
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
    },
    async setIfAbsent(key, value, opts = {}) {
      if (live(key)) return false;
      data.set(key, { value, expiresAt: expiry(opts.ttlSeconds) });
      return true;
    },
    async del(...keys) {
      let removed = 0;
      for (const key of keys) if (live(key) && data.delete(key)) removed += 1;
      return removed;
    },
    async incr(key, opts = {}) {
      const entry = live(key);
      const current = entry ? Number(entry.value) : 0;
      if (!Number.isInteger(current)) throw new Error(`value at ${key} is not an integer`);
      const next = current + (opts.by ?? 1);
      data.set(key, { value: String(next), expiresAt: entry ? entry.expiresAt : expiry(opts.ttlSeconds) });
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
    async ping() {},
    async close() {
      clearInterval(sweep);
      data.clear();
      channels.clear();
    },
  };
}
