import { Redis } from 'ioredis';
import { pingRedis, redisServerInstalled, startRedisServer, type RedisServer } from '@shop/kv';
import { freePort } from './ports.js';

export type TestRedis = Pick<RedisServer, 'url' | 'port' | 'stop'>;

export const redisAvailable = redisServerInstalled;
export const ping = pingRedis;

/** Starts a real `redis-server` on a free loopback port, without persistence. */
export async function startTestRedis(): Promise<TestRedis> {
  if (!redisAvailable()) {
    throw new Error('redis-server is not installed: `apt-get install -y redis-server` (.ci/run does this)');
  }
  return startRedisServer({ port: await freePort() });
}

/**
 * Cuts the subscriber (pub/sub) connection of the store whose connections are named
 * `connectionName` (`createRedisStore`'s option), as a Redis restart or a network blip would,
 * leaving every other client of the server alone. Fails unless there is exactly one.
 */
export async function cutSubscriberConnection(redisUrl: string, connectionName: string): Promise<void> {
  const admin = new Redis(redisUrl);
  try {
    const lines = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).split('\n');
    const ids = lines.filter((line) => line.includes(` name=${connectionName} `)).map((line) => /^id=(\d+)/.exec(line)?.[1]);
    if (ids.length !== 1 || !ids[0]) throw new Error(`expected one subscriber connection named ${connectionName}, found ${ids.length}`);
    await admin.call('CLIENT', 'KILL', 'ID', ids[0]);
  } finally {
    await admin.quit();
  }
}
