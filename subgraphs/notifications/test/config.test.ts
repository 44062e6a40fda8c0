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

describe('notifications config', () => {
  it('runs in development with nothing set: port 4009, embedded database, no SMTP, a warned dev secret', () => {
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
      jwtSecret: 'dev-only-insecure-jwt-secret-change-me',
      logLevel: 'info',
    });
    expect(warnings).toEqual([expect.stringContaining('JWT_SECRET')]);
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
        JWT_SECRET: 's'.repeat(32),
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
      jwtSecret: 's'.repeat(32),
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
      JWT_SECRET: 'short',
      LOG_LEVEL: 'loud',
    }).join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'SMTP_URL', 'MAIL_MAX_ATTEMPTS', 'USERS_URL', 'REDIS_URL', 'JWT_SECRET', 'LOG_LEVEL']) expect(listed).toContain(name);
  });

  it('requires the database, SMTP, Redis and the JWT secret in production', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'DATABASE_URL is required when NODE_ENV=production',
      'SMTP_URL is required when NODE_ENV=production',
      'REDIS_URL is required when NODE_ENV=production',
      'JWT_SECRET is required when NODE_ENV=production',
    ]);
  });
});
