import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createRedisStore, type KeyValueStore } from '@shop/kv';
import { cutSubscriberConnection } from '@shop/testing';
import { channelIterator, createLogger } from '../src/index.js';

// A channel's messages are pub/sub, which keeps nothing: one published while a subscriber's
// connection to Redis is down (Redis restarting, a network blip) is gone. With `current` the
// publisher keeps the message in the store first, and the iterator reads it again on resuming.
const url = () => process.env.SHOP_TEST_REDIS_URL!;
const logger = createLogger({ service: 'test', level: 'silent' });
const stores: KeyValueStore[] = [];

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

function storesFor(connectionName: string) {
  const keyPrefix = `channel-test:${randomUUID()}:`;
  const subscriber = createRedisStore(url(), { keyPrefix, connectionName });
  // Another replica, publishing.
  const publisher = createRedisStore(url(), { keyPrefix });
  stores.push(subscriber, publisher);
  const publish = async (message: string) => {
    await publisher.set('kept', message);
    await publisher.publish('warnings', message);
  };
  return { subscriber, publisher, publish };
}

describe('channel iterators with what the channel stands for', () => {
  it('deliver a message published while their connection was down once it is back, and no message twice', async () => {
    const connectionName = `channel-${randomUUID().slice(0, 8)}`;
    const { subscriber, publisher, publish } = storesFor(connectionName);
    // Settles once a read of what the channel stands for has answered (the resume reads it).
    let answered: () => void = () => undefined;
    const nextRead = () => new Promise<void>((resolve) => (answered = resolve));
    const current = async () => {
      const message = await subscriber.get('kept');
      answered();
      return message;
    };
    const events = await channelIterator<{ n: number }>(subscriber, 'warnings', { current, logger });
    try {
      // Kept, its publication lost: what a subscriber sees when its connection was down at the time.
      await publisher.set('kept', JSON.stringify({ n: 1 }));
      const first = events.next();
      await cutSubscriberConnection(url(), connectionName);
      expect((await first).value).toEqual({ n: 1 });

      // Resuming again reads the same message: it was delivered, so it is not delivered again.
      let read = nextRead();
      await cutSubscriberConnection(url(), connectionName);
      await read;
      await publish(JSON.stringify({ n: 2 }));
      expect((await events.next()).value).toEqual({ n: 2 });

      // Nor is one that came live.
      read = nextRead();
      await cutSubscriberConnection(url(), connectionName);
      await read;
      await publish(JSON.stringify({ n: 3 }));
      expect((await events.next()).value).toEqual({ n: 3 });
    } finally {
      await events.return?.();
    }
  });

  it('give a subscriber that comes after the message what it stands for at once', async () => {
    const { subscriber, publish } = storesFor(`channel-${randomUUID().slice(0, 8)}`);
    await publish(JSON.stringify({ n: 1 }));
    const events = await channelIterator<{ n: number }>(subscriber, 'warnings', { current: () => subscriber.get('kept'), logger });
    try {
      expect((await events.next()).value).toEqual({ n: 1 });
      await publish(JSON.stringify({ n: 2 }));
      expect((await events.next()).value).toEqual({ n: 2 });
    } finally {
      await events.return?.();
    }
  });
});
