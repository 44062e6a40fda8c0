import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from '@shop/config';
import { buildOrdersConfig } from '../src/config.js';

describe('orders config', () => {
  it('runs in development with nothing set: port 4004, embedded database, local services, in-process bus, a warned dev secret', () => {
    const { config, warnings } = readConfig({}, buildOrdersConfig);
    expect(config).toEqual({
      port: 4004,
      databaseUrl: undefined,
      productsUrl: 'http://localhost:4002/graphql',
      routerUrl: 'http://localhost:4000/graphql',
      inventoryUrl: 'http://localhost:4003/graphql',
      redisUrl: undefined,
      serviceTimeoutMs: undefined,
      jwksUrl: 'http://localhost:4001/.well-known/jwks.json',
      serviceKeys: 'http://localhost:4000/.well-known/service-jwks.json',
      servicePrivateKey: undefined,
      logLevel: 'info',
    });
    expect(warnings).toEqual([]);
  });

  it('reads every variable', () => {
    const { config, warnings } = readConfig(
      {
        PORT: '5004',
        DATABASE_URL: 'postgresql://u:p@db:5432/orders',
        PRODUCTS_URL: 'https://products.internal/graphql',
        ROUTER_URL: 'https://router.internal/graphql',
        INVENTORY_URL: 'http://inventory:4003/graphql',
        REDIS_URL: 'redis://cache:6379',
        SERVICE_TIMEOUT_MS: '30000',
        JWKS_URL: 'https://users.internal/.well-known/jwks.json',
        LOG_LEVEL: 'warn',
      },
      buildOrdersConfig,
    );
    expect(config).toEqual({
      port: 5004,
      databaseUrl: 'postgresql://u:p@db:5432/orders',
      productsUrl: 'https://products.internal/graphql',
      routerUrl: 'https://router.internal/graphql',
      inventoryUrl: 'http://inventory:4003/graphql',
      redisUrl: 'redis://cache:6379',
      serviceTimeoutMs: 30000,
      jwksUrl: 'https://users.internal/.well-known/jwks.json',
      serviceKeys: 'http://localhost:4000/.well-known/service-jwks.json',
      servicePrivateKey: undefined,
      logLevel: 'warn',
    });
    expect(warnings).toEqual([]);
  });

  it('lists every bad variable at once', () => {
    const read = () =>
      readConfig(
        {
          PORT: 'eighty',
          DATABASE_URL: 'mysql://db/orders',
          PRODUCTS_URL: 'not a url',
          ROUTER_URL: 'ftp://router/graphql',
          INVENTORY_URL: 'inventory',
          REDIS_URL: 'http://cache',
          SERVICE_TIMEOUT_MS: '5',
          JWKS_URL: 'ftp://users/jwks.json',
          LOG_LEVEL: 'loud',
        },
        buildOrdersConfig,
      );
    expect(read).toThrow(ConfigError);
    try {
      read();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'PRODUCTS_URL', 'ROUTER_URL', 'INVENTORY_URL', 'REDIS_URL', 'SERVICE_TIMEOUT_MS', 'JWKS_URL', 'LOG_LEVEL']) {
        expect(problems).toContain(name);
      }
    }
  });

  it('requires DATABASE_URL, JWKS_URL and REDIS_URL in production', () => {
    try {
      readConfig({ NODE_ENV: 'production' }, buildOrdersConfig);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'DATABASE_URL is required when NODE_ENV=production',
        'REDIS_URL is required when NODE_ENV=production',
        'JWKS_URL is required when NODE_ENV=production',
        'SERVICE_JWKS_URL is required when NODE_ENV=production',
        'SERVICE_PRIVATE_KEY is required when NODE_ENV=production',
      ]);
    }
  });
});
