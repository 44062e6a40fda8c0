import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { freePort } from '@shop/postgres';
import { createLogger, createRateLimits, type RateLimits } from '@shop/subgraph-kit';
import { FAKE_DATE_ONLY } from '@shop/testing';

const logger = createLogger({ service: 'test', level: 'silent' });
const opened: RateLimits[] = [];
const open = (redisUrl?: string) => {
  const limits = createRateLimits({ redisUrl, keyPrefix: `test-${randomUUID()}:`, logger });
  opened.push(limits);
  return limits;
};

afterEach(async () => {
  jest.useRealTimers();
  await Promise.all(opened.splice(0).map((limits) => limits.close()));
});

describe.each([
  ['in process', () => undefined],
  ['in Redis', () => process.env.SHOP_TEST_REDIS_URL!],
])('rate limits counted %s', (_where, redisUrl) => {
  it('allow N per key and window, then say how long to wait; a batch counts as its size', async () => {
    const limiter = open(redisUrl()).limiter({ name: 'requests', points: 3, durationSeconds: 60 });
    for (let i = 0; i < 3; i++) expect(await limiter.consume('ip:a')).toEqual({ allowed: true });
    const refused = await limiter.consume('ip:a');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThan(55);
    expect(await limiter.consume('ip:b', 3)).toEqual({ allowed: true });
    expect((await limiter.consume('ip:b')).allowed).toBe(false);
    await limiter.reset('ip:a');
    expect(await limiter.consume('ip:a')).toEqual({ allowed: true });
  });
});

describe('rate limits', () => {
  it('start a key\'s window with its first use and allow it again once the window has passed', async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    jest.useFakeTimers({ doNotFake: [...FAKE_DATE_ONLY.doNotFake], now });
    const limiter = open().limiter({ name: 'requests', points: 1, durationSeconds: 60 });
    expect(await limiter.consume('ip:a')).toEqual({ allowed: true });
    jest.setSystemTime((now += 15_000));
    expect(await limiter.consume('ip:a')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    jest.setSystemTime(now + 45_000);
    expect(await limiter.consume('ip:a')).toEqual({ allowed: true });
  });

  it('are shared by every process on one Redis', async () => {
    const redisUrl = process.env.SHOP_TEST_REDIS_URL!;
    const keyPrefix = `shared-${randomUUID()}:`;
    const [first, second] = [createRateLimits({ redisUrl, keyPrefix, logger }), createRateLimits({ redisUrl, keyPrefix, logger })];
    opened.push(first, second);
    expect(await first.limiter({ name: 'login', points: 1, durationSeconds: 60 }).consume('k')).toEqual({ allowed: true });
    expect((await second.limiter({ name: 'login', points: 1, durationSeconds: 60 }).consume('k')).allowed).toBe(false);
  });

  it('keep limiting in process while Redis is unreachable', async () => {
    const limiter = open(`redis://127.0.0.1:${await freePort()}`).limiter({ name: 'requests', points: 2, durationSeconds: 60 });
    expect(await limiter.consume('ip:a')).toEqual({ allowed: true });
    expect(await limiter.consume('ip:a')).toEqual({ allowed: true });
    expect((await limiter.consume('ip:a')).allowed).toBe(false);
  });
});
