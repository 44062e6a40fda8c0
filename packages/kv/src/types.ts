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
  /** Subscribes to a channel; resolves once subscribed, to an unsubscribe function. */
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
  /** Throws unless the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
