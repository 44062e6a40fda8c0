import { EventQueue } from './EventQueue.js';
import type { Logger } from './logger.js';

/**
 * The pub/sub half of a key-value store (`@shop/kv`'s KeyValueStore has this shape): Redis
 * channels in production, so every replica sees every event; in-process channels otherwise.
 */
export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  /** `onResume`: the subscription is live again after a lost connection (what was sent meanwhile is gone). */
  subscribe(channel: string, listener: (message: string) => void, options?: { onResume?: () => void }): Promise<() => Promise<void>>;
}

export interface ChannelIteratorOptions<T> {
  /** Turns a message into an event; return null (or throw) to skip a malformed one. */
  parse?: (message: string) => T | null;
  /** Only events for which this is true are delivered (e.g. ownership, an id filter). */
  filter?: (event: T) => boolean;
  /** Unread events beyond this are dropped oldest first (default 1000). */
  maxBuffered?: number;
  logger?: Logger;
  /**
   * The message the channel still stands for (kept in the store by its publisher, written
   * before it publishes), or null. Pub/sub keeps nothing, so it is read once subscribed (a
   * subscriber that comes later gets it at once) and again whenever the subscription resumes
   * after a lost connection (a message published meanwhile is gone). A message this iterator
   * already delivered, by either way, is not delivered again.
   */
  current?: () => Promise<string | null>;
}

// With `current`: how many delivered messages an iterator remembers, so none is delivered twice.
const REMEMBERED = 100;

/**
 * Subscribes to a channel and returns its events as an async iterator, for a GraphQL
 * `subscribe` resolver. Resolves once the channel subscription is in place (and, with
 * `current`, what the channel stands for is read), so nothing published after that is missed. Ending the iteration (client gone, `complete`) unsubscribes.
 */
export async function channelIterator<T = unknown>(
  pubsub: PubSub,
  channel: string,
  options: ChannelIteratorOptions<T> = {},
): Promise<AsyncIterableIterator<T>> {
  const parse = options.parse ?? ((message: string) => JSON.parse(message) as T);
  const { current } = options;
  const delivered = new Set<string>();
  let unsubscribe: (() => Promise<void>) | null = null;
  const queue = new EventQueue<T>({ maxBuffered: options.maxBuffered, onClose: () => unsubscribe?.() });
  const receive = (message: string) => {
    if (current) {
      if (delivered.has(message)) return;
      delivered.add(message);
      if (delivered.size > REMEMBERED) delivered.delete(delivered.values().next().value!);
    }
    let event: T | null;
    try {
      event = parse(message);
    } catch (error) {
      options.logger?.warn('malformed channel message skipped', { channel, error });
      return;
    }
    if (event !== null && (!options.filter || options.filter(event))) queue.push(event);
  };
  const readCurrent = current
    ? async () => {
        try {
          const message = await current();
          if (message !== null) receive(message);
        } catch (error) {
          options.logger?.warn('reading what a channel stands for failed; live messages still flow', { channel, error });
        }
      }
    : null;
  unsubscribe = await pubsub.subscribe(channel, receive, readCurrent ? { onResume: () => void readCurrent() } : {});
  // Read after subscribing: a message published in between comes both ways, and is delivered once.
  if (readCurrent) await readCurrent();
  return queue;
}

/** Publishes an event as JSON; a failure is logged, never thrown: the change itself is committed. */
export async function publishEvent(pubsub: PubSub, channel: string, event: unknown, logger?: Logger): Promise<void> {
  try {
    await pubsub.publish(channel, JSON.stringify(event));
  } catch (error) {
    logger?.error('publishing an event failed', { channel, error });
  }
}
