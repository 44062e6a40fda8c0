import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from '@shop/config';
import {
  buildInventoryConfig,
  DEFAULT_RESERVATION_SWEEP_MS,
  DEFAULT_RESERVATION_TTL_SECONDS,
} from '../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    readConfig(env, buildInventoryConfig);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('inventory config', () => {
  it('runs in development with nothing set: port 4003, embedded database, in-process bus, dev secret with a warning', () => {
    const { config, warnings } = readConfig({}, buildInventoryConfig);
    expect(config).toEqual({
      port: 4003,
      databaseUrl: undefined,
      jwksUrl: 'http://localhost:4001/.well-known/jwks.json',
      serviceKeys: 'http://localhost:4000/.well-known/service-jwks.json',
      servicePrivateKey: undefined,
      logLevel: 'info',
      redisUrl: undefined,
      reservationTtlSeconds: 900,
      reservationSweepMs: 5000,
    });
    expect([DEFAULT_RESERVATION_TTL_SECONDS, DEFAULT_RESERVATION_SWEEP_MS]).toEqual([900, 5000]);
    expect(warnings).toEqual([]);
  });

  it('takes every setting from the environment', () => {
    const env = {
      PORT: '5003',
      DATABASE_URL: 'postgresql://shop:pw@db:5432/inventory',
      JWKS_URL: 'https://users.internal/.well-known/jwks.json',
      LOG_LEVEL: 'warn',
      REDIS_URL: 'redis://cache:6379',
      RESERVATION_TTL_SECONDS: '600',
      RESERVATION_SWEEP_MS: '250',
    };
    expect(readConfig(env, buildInventoryConfig)).toEqual({
      config: {
        port: 5003,
        databaseUrl: env.DATABASE_URL,
        jwksUrl: env.JWKS_URL,
        serviceKeys: 'http://localhost:4000/.well-known/service-jwks.json',
        servicePrivateKey: undefined,
        logLevel: 'warn',
        redisUrl: env.REDIS_URL,
        reservationTtlSeconds: 600,
        reservationSweepMs: 250,
      },
      warnings: [],
    });
  });

  it('in production, names a missing DATABASE_URL, JWKS_URL, service keys and REDIS_URL at once', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([
      expect.stringContaining('DATABASE_URL'),
      'JWKS_URL is required when NODE_ENV=production',
      'SERVICE_JWKS_URL is required when NODE_ENV=production',
      'SERVICE_PRIVATE_KEY is required when NODE_ENV=production',
      expect.stringContaining('REDIS_URL'),
    ]);
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/inventory',
      JWKS_URL: 'ftp://users/jwks.json',
      LOG_LEVEL: 'loud',
      REDIS_URL: 'http://cache',
      RESERVATION_TTL_SECONDS: '0',
      RESERVATION_SWEEP_MS: 'often',
    });
    expect(problems).toHaveLength(7);
    for (const name of ['PORT', 'DATABASE_URL', 'JWKS_URL', 'LOG_LEVEL', 'REDIS_URL', 'RESERVATION_TTL_SECONDS', 'RESERVATION_SWEEP_MS']) {
      expect(problems.some((p) => p.startsWith(name))).toBe(true);
    }
  });
});
