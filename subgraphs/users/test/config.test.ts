import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig, type Env } from '@shop/config';
import { buildUsersConfig } from '../src/config.js';

const SECRET = 'a-production-secret-of-at-least-32-chars';

function problemsOf(env: Env): string[] {
  try {
    readConfig(env, buildUsersConfig);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('users configuration', () => {
  it('runs in development with nothing set, warning about the development JWT secret', () => {
    const { config, warnings } = readConfig({}, buildUsersConfig);
    expect(config).toEqual({
      port: 4001,
      databaseUrl: undefined,
      redisUrl: undefined,
      jwtSecret: 'dev-only-insecure-jwt-secret-change-me',
      admin: null,
      loginRateLimit: { maxFailuresPerEmail: 5, maxAttemptsPerIp: 20, windowSeconds: 900 },
      logLevel: 'info',
    });
    expect(warnings).toEqual([expect.stringMatching(/^JWT_SECRET is not set/)]);
  });

  it('reads every variable', () => {
    const { config, warnings } = readConfig(
      {
        PORT: '5001',
        DATABASE_URL: 'postgres://u:p@db:5432/users',
        REDIS_URL: 'rediss://cache:6380/2',
        JWT_SECRET: SECRET,
        ADMIN_EMAIL: 'admin@shop.test',
        ADMIN_PASSWORD: 'admin-password-1',
        LOGIN_MAX_FAILURES_PER_EMAIL: '3',
        LOGIN_MAX_ATTEMPTS_PER_IP: '50',
        LOGIN_WINDOW_SECONDS: '600',
        LOG_LEVEL: 'warn',
      },
      buildUsersConfig,
    );
    expect(config).toEqual({
      port: 5001,
      databaseUrl: 'postgres://u:p@db:5432/users',
      redisUrl: 'rediss://cache:6380/2',
      jwtSecret: SECRET,
      admin: { email: 'admin@shop.test', password: 'admin-password-1' },
      loginRateLimit: { maxFailuresPerEmail: 3, maxAttemptsPerIp: 50, windowSeconds: 600 },
      logLevel: 'warn',
    });
    expect(warnings).toEqual([]);
  });

  it('lists every problem at once: bad PORT, and in production a missing JWT_SECRET, DATABASE_URL and REDIS_URL', () => {
    expect(problemsOf({ NODE_ENV: 'production', PORT: 'http' })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT must be a port number/),
        'JWT_SECRET is required when NODE_ENV=production',
        'DATABASE_URL is required when NODE_ENV=production',
        'REDIS_URL is required when NODE_ENV=production',
      ]),
    );
    expect(problemsOf({ NODE_ENV: 'production', PORT: 'http' })).toHaveLength(4);
  });

  it('refuses a non-Redis REDIS_URL and rate limits that are not positive whole numbers', () => {
    expect(
      problemsOf({
        REDIS_URL: 'http://cache:6379',
        LOGIN_MAX_FAILURES_PER_EMAIL: '0',
        LOGIN_MAX_ATTEMPTS_PER_IP: 'many',
        LOGIN_WINDOW_SECONDS: '-5',
      }),
    ).toEqual([
      'REDIS_URL must use redis or rediss, got http',
      expect.stringMatching(/^LOGIN_MAX_FAILURES_PER_EMAIL must be a whole number in 1\.\./),
      expect.stringMatching(/^LOGIN_MAX_ATTEMPTS_PER_IP must be a whole number in 1\.\./),
      expect.stringMatching(/^LOGIN_WINDOW_SECONDS must be a whole number in 1\.\./),
    ]);
  });

  it('wants both ADMIN_EMAIL and ADMIN_PASSWORD or neither', () => {
    expect(problemsOf({ ADMIN_EMAIL: 'admin@shop.test' })).toEqual(['ADMIN_PASSWORD is required']);
    expect(problemsOf({ ADMIN_PASSWORD: 'admin-password-1' })).toEqual(['ADMIN_EMAIL is required']);
  });

  it('refuses a short JWT_SECRET, a non-PostgreSQL DATABASE_URL and an unknown LOG_LEVEL', () => {
    expect(problemsOf({ JWT_SECRET: 'short', DATABASE_URL: 'mysql://db/users', LOG_LEVEL: 'verbose' })).toEqual([
      'DATABASE_URL must use postgres or postgresql, got mysql',
      'JWT_SECRET must be at least 32 characters',
      expect.stringMatching(/^LOG_LEVEL must be one of debug, info, warn, error, silent/),
    ]);
  });
});
