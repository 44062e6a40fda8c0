// Starts the real servers the suite shares: one PostgreSQL (each test file creates its own
// databases on it) and one Redis. Workers inherit the URLs through the environment.
import { startTestPostgres, startTestRedis, redisAvailable } from '../packages/testing/dist/index.js';

export default async function globalSetup() {
  process.env.LOG_LEVEL ??= 'silent';
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const started = Date.now();
  // Dozens of suites need Redis: without it stop now with the fix, not with 44 failures later.
  if (!redisAvailable()) {
    throw new Error('redis-server is not installed: apt-get install -y redis-server (npm test installs it itself when run as root)');
  }
  const postgres = await startTestPostgres();
  process.env.SHOP_TEST_PG_URL = postgres.url('postgres');
  globalThis.__SHOP_PG__ = postgres;
  const redis = await startTestRedis();
  process.env.SHOP_TEST_REDIS_URL = redis.url;
  globalThis.__SHOP_REDIS__ = redis;
  process.stdout.write(`\nreal servers up in ${Date.now() - started} ms: PostgreSQL :${postgres.port}, Redis ${redis.url}\n`);
}
