/**
 * The key-value store behind caches, rate limits, carts and pub/sub. Redis in production; an
 * in-process stand-in with the same semantics (TTL, atomic counters, channels) otherwise.
 * Both adapters pass the same contract suite.
 */
export interface KeyValueStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** Many keys in one round trip; one result per key, in order. */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  /** Sets a value; with `ttlSeconds` it expires after that long. */
  set(key: string, value: string, options?: { ttlSeconds?: number }): Promise<void>;
  /** Sets only when the key does not exist; true when it was set. */
  setIfAbsent(key: string, value: string, options?: { ttlSeconds?: number }): Promise<boolean>;
  /** Deletes keys; resolves to how many existed. */
  del(...keys: string[]): Promise<number>;
  /**
   * Atomically adds `by` (default 1) and returns the new value. When the key did not exist and
   * `ttlSeconds` is given, the counter expires after that long (a fixed rate-limit window).
   */
  incr(key: string, options?: { by?: number; ttlSeconds?: number }): Promise<number>;
  /** Seconds until the key expires; null when it has no expiry or does not exist. */
  ttl(key: string): Promise<number | null>;
  expire(key: string, ttlSeconds: number): Promise<boolean>;
  /** Publishes to a channel; every subscriber (in any process, for Redis) receives it. */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Subscribes to a channel; resolves once subscribed, to an unsubscribe function. Messages are
   * fire-and-forget (Redis pub/sub): those published while the connection to Redis was lost are
   * gone. `onResume` runs once the subscription is live again after such a loss, so a listener
   * that only wakes on messages can look for itself what it missed.
   */
  subscribe(channel: string, listener: (message: string) => void, options?: { onResume?: () => void }): Promise<() => Promise<void>>;
  /**
   * Appends to an append-only log (a Redis Stream) and drops its entries older than
   * `retainMs`; resolves to the new entry's id, `<ms>-<seq>`, greater than every id before it.
   * With `once`, atomically: an append under a key already used (within its TTL) adds nothing
   * and resolves to the id that first append got, so a redelivered event is logged once.
   */
  append(stream: string, message: string, options: { retainMs: number; once?: { key: string; ttlSeconds: number } }): Promise<string>;
  /**
   * Up to `count` entries after `afterId`, oldest first. `complete` is false when entries after
   * `afterId` were already dropped (retention), so the caller cannot have them all.
   */
  readAfter(stream: string, afterId: string, count: number): Promise<{ entries: Array<{ id: string; message: string }>; complete: boolean }>;
  /** The id of the newest entry (`0-0` for an empty log). */
  lastId(stream: string): Promise<string>;
  /** Throws unless the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Orders two stream ids (`<ms>-<seq>`) numerically: negative, zero or positive. */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}
