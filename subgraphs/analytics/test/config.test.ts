import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from '@shop/config';
import { buildAnalyticsConfig } from '../src/config.js';

const problems = (env: Record<string, string>): string[] => {
  try {
    readConfig(env, buildAnalyticsConfig);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('buildAnalyticsConfig', () => {
  it('defaults to port 4010, EUR, the embedded store and bus, and a dev secret with a warning', () => {
    const { config, warnings } = readConfig({}, buildAnalyticsConfig);
    expect(config).toMatchObject({ port: 4010, storeCurrency: 'EUR', databaseUrl: undefined, redisUrl: undefined, logLevel: 'info' });
    expect(warnings.join('\n')).toContain('JWT_SECRET');
  });

  it('reads every variable', () => {
    const { config } = readConfig(
      {
        PORT: '5010',
        DATABASE_URL: 'postgres://db/analytics',
        REDIS_URL: 'redis://cache:6379',
        STORE_CURRENCY: 'USD',
        JWT_SECRET: 'x'.repeat(32),
        LOG_LEVEL: 'warn',
      },
      buildAnalyticsConfig,
    );
    expect(config).toEqual({
      port: 5010,
      databaseUrl: 'postgres://db/analytics',
      redisUrl: 'redis://cache:6379',
      storeCurrency: 'USD',
      jwtSecret: 'x'.repeat(32),
      logLevel: 'warn',
    });
  });

  it('requires the database, the bus and the secret in production, naming each', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'DATABASE_URL is required when NODE_ENV=production',
      'REDIS_URL is required when NODE_ENV=production',
      'JWT_SECRET is required when NODE_ENV=production',
    ]);
  });

  it('lists every bad variable', () => {
    expect(problems({ PORT: 'x', DATABASE_URL: 'mysql://db', JWT_SECRET: 'short', LOG_LEVEL: 'loud' })).toHaveLength(4);
  });

  it('refuses a store currency that is no ISO 4217 code', () => {
    expect(problems({ STORE_CURRENCY: 'euro' })).toEqual(['STORE_CURRENCY must be an ISO 4217 code in capitals such as EUR, got "euro"']);
  });
});
