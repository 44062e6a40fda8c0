import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from '@shop/config';
import { buildNotificationsConfig } from '../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    readConfig(env, buildNotificationsConfig);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const KEY = '{"kty":"OKP","crv":"Ed25519","x":"pD2ROYZFi88G55dU0kV0Gx9m2ehbuamXINVU_MNmh58","d":"KXV1rFhBlcyd8Zc5JzP5xLq_CwTG1XGT_WegVJfwe04"}';

describe('notifications config', () => {
  it('runs in development with nothing set: port 4009, embedded database, no SMTP, a development service key (main.ts)', () => {
    const { config, warnings } = readConfig({}, buildNotificationsConfig);
    expect(config).toEqual({
      port: 4009,
      databaseUrl: undefined,
      smtpUrl: undefined,
      mailFrom: 'Shop <no-reply@shop.local>',
      mailMaxAttempts: 5,
      mailRetryBaseMs: 30_000,
      usersUrl: 'http://localhost:4001/graphql',
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
        PORT: '5009',
        DATABASE_URL: 'postgresql://u:p@db:5432/shop_notifications',
        SMTP_URL: 'smtps://user:pass@mail.example.com:465',
        MAIL_FROM: 'Shop <shop@example.com>',
        MAIL_MAX_ATTEMPTS: '3',
        MAIL_RETRY_BASE_MS: '1000',
        USERS_URL: 'http://users:4001/graphql',
        REDIS_URL: 'redis://redis:6379',
        JWKS_URL: 'https://users.internal/.well-known/jwks.json',
        SERVICE_PRIVATE_KEY: KEY,
        LOG_LEVEL: 'debug',
      },
      buildNotificationsConfig,
    );
    expect(config).toEqual({
      port: 5009,
      databaseUrl: 'postgresql://u:p@db:5432/shop_notifications',
      smtpUrl: 'smtps://user:pass@mail.example.com:465',
      mailFrom: 'Shop <shop@example.com>',
      mailMaxAttempts: 3,
      mailRetryBaseMs: 1000,
      usersUrl: 'http://users:4001/graphql',
      redisUrl: 'redis://redis:6379',
      jwksUrl: 'https://users.internal/.well-known/jwks.json',
      serviceKeys: 'http://localhost:4000/.well-known/service-jwks.json',
      servicePrivateKey: { text: KEY },
      logLevel: 'debug',
    });
    expect(warnings).toEqual([]);
  });

  it('lists every bad variable at once', () => {
    const listed = problems({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/notifications',
      SMTP_URL: 'http://mail',
      MAIL_MAX_ATTEMPTS: '0',
      USERS_URL: 'not a url',
      REDIS_URL: 'http://redis',
      JWKS_URL: 'ftp://users/jwks.json',
      SERVICE_PRIVATE_KEY: 'a-shared-secret',
      LOG_LEVEL: 'loud',
    }).join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'SMTP_URL', 'MAIL_MAX_ATTEMPTS', 'USERS_URL', 'REDIS_URL', 'JWKS_URL', 'SERVICE_PRIVATE_KEY', 'LOG_LEVEL']) expect(listed).toContain(name);
  });

  it('requires the database, SMTP, Redis, the JWKS URL and its own service key in production', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'DATABASE_URL is required when NODE_ENV=production',
      'SMTP_URL is required when NODE_ENV=production',
      'REDIS_URL is required when NODE_ENV=production',
      'JWKS_URL is required when NODE_ENV=production',
      'SERVICE_JWKS_URL is required when NODE_ENV=production',
      'SERVICE_PRIVATE_KEY is required when NODE_ENV=production',
    ]);
  });
});
