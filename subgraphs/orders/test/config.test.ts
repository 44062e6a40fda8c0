import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from '@shop/config';
import { buildOrdersConfig } from '../src/config.js';

describe('orders config', () => {
  it('runs in development with nothing set: port 4004, embedded database, local products, a warned dev secret', () => {
    const { config, warnings } = readConfig({}, buildOrdersConfig);
    expect(config).toEqual({
      port: 4004,
      databaseUrl: undefined,
      productsUrl: 'http://localhost:4002/graphql',
      jwtSecret: 'dev-only-insecure-jwt-secret-change-me',
      logLevel: 'info',
    });
    expect(warnings).toEqual([expect.stringContaining('JWT_SECRET')]);
  });

  it('reads every variable', () => {
    const { config, warnings } = readConfig(
      {
        PORT: '5004',
        DATABASE_URL: 'postgresql://u:p@db:5432/orders',
        PRODUCTS_URL: 'https://products.internal/graphql',
        JWT_SECRET: 's'.repeat(32),
        LOG_LEVEL: 'warn',
      },
      buildOrdersConfig,
    );
    expect(config).toEqual({
      port: 5004,
      databaseUrl: 'postgresql://u:p@db:5432/orders',
      productsUrl: 'https://products.internal/graphql',
      jwtSecret: 's'.repeat(32),
      logLevel: 'warn',
    });
    expect(warnings).toEqual([]);
  });

  it('lists every bad variable at once', () => {
    const read = () =>
      readConfig(
        { PORT: 'eighty', DATABASE_URL: 'mysql://db/orders', PRODUCTS_URL: 'not a url', JWT_SECRET: 'short', LOG_LEVEL: 'loud' },
        buildOrdersConfig,
      );
    expect(read).toThrow(ConfigError);
    try {
      read();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'PRODUCTS_URL', 'JWT_SECRET', 'LOG_LEVEL']) expect(problems).toContain(name);
    }
  });

  it('requires DATABASE_URL and JWT_SECRET in production', () => {
    try {
      readConfig({ NODE_ENV: 'production' }, buildOrdersConfig);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'DATABASE_URL is required when NODE_ENV=production',
        'JWT_SECRET is required when NODE_ENV=production',
      ]);
    }
  });
});
