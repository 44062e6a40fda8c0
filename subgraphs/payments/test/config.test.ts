import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from '@shop/config';
import { buildPaymentsConfig } from '../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    readConfig(env, buildPaymentsConfig);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('payments config', () => {
  it('runs in development with nothing set: port 4005, embedded database, simulated provider, a warned dev secret', () => {
    const { config, warnings } = readConfig({}, buildPaymentsConfig);
    expect(config).toEqual({
      port: 4005,
      databaseUrl: undefined,
      routerUrl: 'http://localhost:4000/graphql',
      simulatedPayments: false,
      stripeSecretKey: undefined,
      stripeWebhookSecret: undefined,
      stripeApiBase: undefined,
      redisUrl: undefined,
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
        PORT: '5005',
        DATABASE_URL: 'postgresql://u:p@db:5432/shop_payments',
        ROUTER_URL: 'https://router.internal/graphql',
        STRIPE_SECRET_KEY: 'sk_test_123',
        STRIPE_WEBHOOK_SECRET: 'whsec_123',
        STRIPE_API_BASE: 'http://stripe-mock:12111',
        REDIS_URL: 'redis://redis:6379',
        JWKS_URL: 'https://users.internal/.well-known/jwks.json',
        LOG_LEVEL: 'debug',
      },
      buildPaymentsConfig,
    );
    expect(config).toEqual({
      port: 5005,
      databaseUrl: 'postgresql://u:p@db:5432/shop_payments',
      routerUrl: 'https://router.internal/graphql',
      simulatedPayments: false,
      stripeSecretKey: 'sk_test_123',
      stripeWebhookSecret: 'whsec_123',
      stripeApiBase: 'http://stripe-mock:12111',
      redisUrl: 'redis://redis:6379',
      jwksUrl: 'https://users.internal/.well-known/jwks.json',
      serviceKeys: 'http://localhost:4000/.well-known/service-jwks.json',
      servicePrivateKey: undefined,
      logLevel: 'debug',
    });
    expect(warnings).toEqual([]);
  });

  it('wants both Stripe secrets or neither', () => {
    expect(problems({ STRIPE_SECRET_KEY: 'sk_test_123' })).toEqual(['STRIPE_WEBHOOK_SECRET is required']);
    expect(problems({ STRIPE_WEBHOOK_SECRET: 'whsec_123' })).toEqual(['STRIPE_SECRET_KEY is required']);
  });

  it('lists every bad variable at once', () => {
    const listed = problems({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/payments',
      ROUTER_URL: 'not a url',
      STRIPE_API_BASE: 'ftp://stripe',
      REDIS_URL: 'http://redis',
      JWKS_URL: 'ftp://users/jwks.json',
      LOG_LEVEL: 'loud',
    }).join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'ROUTER_URL', 'STRIPE_API_BASE', 'REDIS_URL', 'JWKS_URL', 'LOG_LEVEL']) expect(listed).toContain(name);
  });

  it('requires the database, Stripe, Redis and the JWKS URL in production', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'STRIPE_SECRET_KEY is required when NODE_ENV=production',
      'STRIPE_WEBHOOK_SECRET is required when NODE_ENV=production',
      'DATABASE_URL is required when NODE_ENV=production',
      'REDIS_URL is required when NODE_ENV=production',
      'JWKS_URL is required when NODE_ENV=production',
      'SERVICE_JWKS_URL is required when NODE_ENV=production',
      'SERVICE_PRIVATE_KEY is required when NODE_ENV=production',
    ]);
  });

  it('runs production without Stripe keys only on the explicit PAYMENTS_SIMULATED=true opt-in', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/shop_payments',
      REDIS_URL: 'redis://redis:6379',
      JWKS_URL: 'http://users:4001/.well-known/jwks.json',
      SERVICE_JWKS_URL: 'http://router:4000/.well-known/service-jwks.json',
      SERVICE_PRIVATE_KEY_FILE: '/keys/payments.jwk',
    };
    expect(problems(production)).toEqual([
      'STRIPE_SECRET_KEY is required when NODE_ENV=production',
      'STRIPE_WEBHOOK_SECRET is required when NODE_ENV=production',
    ]);
    const { config } = readConfig({ ...production, PAYMENTS_SIMULATED: 'true' }, buildPaymentsConfig);
    expect(config).toMatchObject({ simulatedPayments: true, stripeSecretKey: undefined, stripeWebhookSecret: undefined });
  });
});
