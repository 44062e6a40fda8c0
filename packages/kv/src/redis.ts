import { Redis } from 'ioredis';
import { traceRedisClient } from '@shop/telemetry';
import { compareStreamIds, type KeyValueStore } from './types.js';

// Sets the TTL only when INCRBY created the key, atomically, so a window never loses its expiry.
const INCR_WITH_TTL = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if value == tonumber(ARGV[1]) and tonumber(ARGV[2]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return value`;

// XADD unless KEYS[2] names an earlier append (then its id), in one step, so no crash or race
// between "seen?" and "append" logs an event twice or not at all.
const APPEND_ONCE = `
local seen = redis.call('GET', KEYS[2])
if seen then return seen end
local id = redis.call('XADD', KEYS[1], 'MINID', ARGV[1], '*', 'm', ARGV[2])
redis.call('SET', KEYS[2], id, 'PX', ARGV[3])
return id`;

/**
 * The Redis adapter (ioredis). Commands share one connection; subscriptions get a second one
 * (a subscribed Redis connection can do nothing else), opened on first use.
 */
export function createRedisStore(url: string, options: { keyPrefix?: string; connectionName?: string } = {}): KeyValueStore {
  const prefix = options.keyPrefix ?? '';
  // The name both connections carry in Redis' CLIENT LIST.
  const named = options.connectionName ? { connectionName: options.connectionName } : {};
  const client = traceRedisClient(new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false, enableAutoPipelining: true, ...named }));
  client.on('error', () => undefined);
  let subscriber: Redis | null = null;
  const listeners = new Map<string, Set<(message: string) => void>>();
  const resumers = new Set<() => void>();
  const k = (key: string) => prefix + key;

  const subscriberConnection = (): Redis => {
    if (subscriber) return subscriber;
    const connection = client.duplicate();
    subscriber = connection;
    connection.on('error', () => undefined);
    connection.on('message', (channel: string, message: string) => {
      for (const listener of listeners.get(channel) ?? []) listener(message);
    });
    // Back after a lost connection: ioredis subscribes again to every channel right after 'ready'.
    // A PING sent after those SUBSCRIBEs answers once they are done: from then on nothing
    // published is missed, so that is when listeners look for what they missed meanwhile.
    let connected = false;
    connection.on('ready', () => {
      if (!connected) {
        connected = true;
        return;
      }
      process.nextTick(() => {
        connection.ping().then(
          () => {
            for (const resume of [...resumers]) resume();
          },
          () => undefined,
        );
      });
    });
    return connection;
  };

  return {
    kind: 'redis',
    get: (key) => client.get(k(key)),
    async getMany(keys) {
      if (keys.length === 0) return [];
      return client.mget(keys.map(k));
    },
    async set(key, value, opts = {}) {
      if (opts.ttlSeconds !== undefined) await client.set(k(key), value, 'PX', Math.round(opts.ttlSeconds * 1000));
      else await client.set(k(key), value);
    },
    async setIfAbsent(key, value, opts = {}) {
      const result =
        opts.ttlSeconds !== undefined
          ? await client.set(k(key), value, 'PX', Math.round(opts.ttlSeconds * 1000), 'NX')
          : await client.set(k(key), value, 'NX');
      return result === 'OK';
    },
    async del(...keys) {
      if (keys.length === 0) return 0;
      return client.del(...keys.map(k));
    },
    async incr(key, opts = {}) {
      const result = await client.eval(INCR_WITH_TTL, 1, k(key), String(opts.by ?? 1), String(Math.round((opts.ttlSeconds ?? 0) * 1000)));
      return Number(result);
    },
    async ttl(key) {
      const ms = await client.pttl(k(key));
      return ms < 0 ? null : Math.ceil(ms / 1000);
    },
    async expire(key, ttlSeconds) {
      return (await client.pexpire(k(key), Math.round(ttlSeconds * 1000))) === 1;
    },
    async publish(channel, message) {
      await client.publish(k(channel), message);
    },
    async subscribe(channel, listener, subscribeOptions = {}) {
      const name = k(channel);
      const set = listeners.get(name) ?? new Set();
      const first = set.size === 0;
      set.add(listener);
      listeners.set(name, set);
      const { onResume } = subscribeOptions;
      if (onResume) resumers.add(onResume);
      const forget = () => {
        if (onResume) resumers.delete(onResume);
        set.delete(listener);
        if (set.size === 0 && listeners.get(name) === set) listeners.delete(name);
      };
      try {
        if (first) await subscriberConnection().subscribe(name);
      } catch (error) {
        // Nothing left behind (Redis not reachable yet): subscribing again sends SUBSCRIBE again.
        forget();
        throw error;
      }
      return async () => {
        forget();
        if (set.size === 0 && !listeners.has(name)) await subscriber?.unsubscribe(name);
      };
    },
    async append(stream, message, opts) {
      const oldest = Math.max(0, Date.now() - Math.round(opts.retainMs));
      // Exact trimming (not `~`): readers are told precisely which ids are gone.
      if (opts.once) {
        return (await client.eval(APPEND_ONCE, 2, k(stream), k(opts.once.key), String(oldest), message, String(Math.round(opts.once.ttlSeconds * 1000)))) as string;
      }
      return (await client.xadd(k(stream), 'MINID', String(oldest), '*', 'm', message)) as string;
    },
    async readAfter(stream, afterId, count) {
      const [range, info] = (await client
        .multi()
        .xrange(k(stream), `(${afterId}`, '+', 'COUNT', count)
        .xinfo('STREAM', k(stream))
        .exec()) as [[Error | null, Array<[string, string[]]>], [Error | null, unknown[]]];
      if (range[0]) throw range[0];
      const entries = range[1].map(([id, values]) => ({ id, message: values[values.indexOf('m') + 1] ?? '' }));
      // No stream: nothing was dropped. Trimming drops from the front, so a reader misses nothing
      // when nothing was dropped or it read up to the oldest entry kept (up to the newest id if none is).
      if (info[0]) return { entries, complete: true };
      const fields = info[1];
      const field = (name: string) => fields[fields.indexOf(name) + 1];
      const dropped = Number(field('entries-added')) > Number(field('length'));
      const firstKept = Number(field('length')) > 0 ? String(field('recorded-first-entry-id')) : String(field('last-generated-id'));
      return { entries, complete: !dropped || compareStreamIds(afterId, firstKept) >= 0 };
    },
    async lastId(stream) {
      const newest = (await client.xrevrange(k(stream), '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
      return newest[0]?.[0] ?? '0-0';
    },
    async ping() {
      await client.ping();
    },
    async close() {
      // QUIT needs a live connection; a client still (re)connecting would keep retrying.
      const end = (connection: Redis | null) =>
        connection?.status === 'ready' ? connection.quit().catch(() => connection.disconnect()) : connection?.disconnect();
      await Promise.all([end(client), end(subscriber)]);
    },
  };
}
