import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from '@shop/config';
import { buildShippingConfig, parseThreshold } from '../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    readConfig(env, buildShippingConfig);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('shipping config', () => {
  it('runs in development with nothing set: port 4008, embedded database, local router, in-process bus, 500 g, no free shipping', () => {
    const { config, warnings } = readConfig({}, buildShippingConfig);
    expect(config).toEqual({
      port: 4008,
      databaseUrl: undefined,
      routerUrl: 'http://localhost:4000/graphql',
      redisUrl: undefined,
      defaultWeightGrams: 500,
      freeShippingThreshold: null,
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
        PORT: '5008',
        DATABASE_URL: 'postgresql://u:p@db:5432/shop_shipping',
        ROUTER_URL: 'http://router:4000/graphql',
        REDIS_URL: 'redis://redis:6379',
        DEFAULT_WEIGHT_GRAMS: '750',
        FREE_SHIPPING_THRESHOLD: '50.00',
        JWKS_URL: 'https://users.internal/.well-known/jwks.json',
        LOG_LEVEL: 'warn',
      },
      buildShippingConfig,
    );
    expect(config).toEqual({
      port: 5008,
      databaseUrl: 'postgresql://u:p@db:5432/shop_shipping',
      routerUrl: 'http://router:4000/graphql',
      redisUrl: 'redis://redis:6379',
      defaultWeightGrams: 750,
      freeShippingThreshold: { minor: 5000, currency: 'EUR' },
      jwksUrl: 'https://users.internal/.well-known/jwks.json',
      serviceKeys: 'http://localhost:4000/.well-known/service-jwks.json',
      servicePrivateKey: undefined,
      logLevel: 'warn',
    });
    expect(warnings).toEqual([]);
  });

  it('reads a threshold as exact minor units, in EUR unless a currency follows', () => {
    expect(parseThreshold('50')).toEqual({ minor: 5000, currency: 'EUR' });
    expect(parseThreshold('49.99')).toEqual({ minor: 4999, currency: 'EUR' });
    expect(parseThreshold(' 75.5 EUR ')).toEqual({ minor: 7550, currency: 'EUR' });
    expect(parseThreshold('5000 JPY')).toEqual({ minor: 5000, currency: 'JPY' });
    for (const bad of ['fifty', '-5', '50.001', '1e3', '50 eur', '50.00 EUR EUR', '50 JPYY', '10.5 JPY']) {
      expect([bad, parseThreshold(bad)]).toEqual([bad, null]);
    }
  });

  it('lists every bad variable at once', () => {
    const found = problems({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/shipping',
      ROUTER_URL: 'ftp://router',
      REDIS_URL: 'http://redis:6379',
      DEFAULT_WEIGHT_GRAMS: '-1',
      FREE_SHIPPING_THRESHOLD: 'fifty euros',
      JWKS_URL: 'ftp://users/jwks.json',
      LOG_LEVEL: 'loud',
    }).join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'ROUTER_URL', 'REDIS_URL', 'DEFAULT_WEIGHT_GRAMS', 'FREE_SHIPPING_THRESHOLD', 'JWKS_URL', 'LOG_LEVEL']) {
      expect(found).toContain(name);
    }
    expect(found).toContain('"50.00"');
  });

  it('requires DATABASE_URL, ROUTER_URL, REDIS_URL and JWKS_URL in production', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'DATABASE_URL is required when NODE_ENV=production',
      'ROUTER_URL is required when NODE_ENV=production',
      'REDIS_URL is required when NODE_ENV=production',
      'JWKS_URL is required when NODE_ENV=production',
      'SERVICE_JWKS_URL is required when NODE_ENV=production',
      'SERVICE_PRIVATE_KEY is required when NODE_ENV=production',
    ]);
  });
});
