import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from '@shop/config';
import { buildCartConfig } from '../src/config.js';

describe('cart config', () => {
  it('runs in development with nothing set: port 4006, in-process carts for 7 days, local products, a warned dev secret', () => {
    const { config, warnings } = readConfig({}, buildCartConfig);
    expect(config).toEqual({
      port: 4006,
      redisUrl: undefined,
      productsUrl: 'http://localhost:4002/graphql',
      ordersUrl: 'http://localhost:4004/graphql',
      usersUrl: 'http://localhost:4001/graphql',
      inventoryUrl: 'http://localhost:4003/graphql',
      cartTtlSeconds: 604_800,
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
        PORT: '5006',
        REDIS_URL: 'rediss://:pw@cache.internal:6380/2',
        PRODUCTS_URL: 'https://products.internal/graphql',
        ORDERS_URL: 'https://orders.internal/graphql',
        USERS_URL: 'https://users.internal/graphql',
        INVENTORY_URL: 'https://inventory.internal/graphql',
        CART_TTL_SECONDS: '86400',
        JWKS_URL: 'https://users.internal/.well-known/jwks.json',
        LOG_LEVEL: 'warn',
      },
      buildCartConfig,
    );
    expect(config).toEqual({
      port: 5006,
      redisUrl: 'rediss://:pw@cache.internal:6380/2',
      productsUrl: 'https://products.internal/graphql',
      ordersUrl: 'https://orders.internal/graphql',
      usersUrl: 'https://users.internal/graphql',
      inventoryUrl: 'https://inventory.internal/graphql',
      cartTtlSeconds: 86_400,
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
          REDIS_URL: 'http://cache:6379',
          PRODUCTS_URL: 'not a url',
          CART_TTL_SECONDS: '7 days',
          JWKS_URL: 'ftp://users/jwks.json',
          LOG_LEVEL: 'loud',
        },
        buildCartConfig,
      );
    expect(read).toThrow(ConfigError);
    try {
      read();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'REDIS_URL', 'PRODUCTS_URL', 'CART_TTL_SECONDS', 'JWKS_URL', 'LOG_LEVEL']) expect(problems).toContain(name);
    }
  });

  it('requires REDIS_URL and JWKS_URL in production', () => {
    try {
      readConfig({ NODE_ENV: 'production' }, buildCartConfig);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'REDIS_URL is required when NODE_ENV=production',
        'JWKS_URL is required when NODE_ENV=production',
        'SERVICE_JWKS_URL is required when NODE_ENV=production',
        'SERVICE_PRIVATE_KEY is required when NODE_ENV=production',
      ]);
    }
  });
});
