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
