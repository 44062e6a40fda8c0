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
  it('defaults to port 4010, EUR, the embedded store and bus, and the users subgraph on this machine for keys', () => {
    const { config, warnings } = readConfig({}, buildAnalyticsConfig);
    expect(config).toMatchObject({ port: 4010, storeCurrency: 'EUR', databaseUrl: undefined, redisUrl: undefined, logLevel: 'info' });
    expect(config.jwksUrl).toBe('http://localhost:4001/.well-known/jwks.json');
    expect(warnings).toEqual([]);
  });

  it('reads every variable', () => {
    const { config } = readConfig(
      {
        PORT: '5010',
        DATABASE_URL: 'postgres://db/analytics',
        REDIS_URL: 'redis://cache:6379',
        STORE_CURRENCY: 'USD',
        JWKS_URL: 'https://users.internal/.well-known/jwks.json',
        LOG_LEVEL: 'warn',
      },
      buildAnalyticsConfig,
    );
    expect(config).toEqual({
      port: 5010,
      databaseUrl: 'postgres://db/analytics',
      redisUrl: 'redis://cache:6379',
      storeCurrency: 'USD',
      jwksUrl: 'https://users.internal/.well-known/jwks.json',
      serviceKeys: 'http://localhost:4000/.well-known/service-jwks.json',
      servicePrivateKey: undefined,
      logLevel: 'warn',
    });
  });

  it('requires the database, the bus and the secret in production, naming each', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'DATABASE_URL is required when NODE_ENV=production',
      'REDIS_URL is required when NODE_ENV=production',
      'JWKS_URL is required when NODE_ENV=production',
      'SERVICE_JWKS_URL is required when NODE_ENV=production',
      'SERVICE_PRIVATE_KEY is required when NODE_ENV=production',
    ]);
  });

  it('lists every bad variable', () => {
    expect(problems({ PORT: 'x', DATABASE_URL: 'mysql://db', JWKS_URL: 'ftp://users/jwks.json', LOG_LEVEL: 'loud' })).toHaveLength(4);
  });

  it('refuses a store currency that is no ISO 4217 code, three capitals or not, beside the other problems', () => {
    expect(problems({ STORE_CURRENCY: 'euro' })).toEqual(['STORE_CURRENCY must be an ISO 4217 code in capitals such as EUR, got "euro"']);
    expect(problems({ STORE_CURRENCY: 'ABC', PORT: 'x' })).toEqual([
      'STORE_CURRENCY must be an ISO 4217 code in capitals such as EUR, got "ABC"',
      'PORT must be a port number 0..65535, got "x"',
    ]);
  });
});
