import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig, type Env } from '@shop/config';
import { buildUsersConfig } from '../src/config.js';

const KEY = '{"kty":"OKP","crv":"Ed25519","x":"pD2ROYZFi88G55dU0kV0Gx9m2ehbuamXINVU_MNmh58","d":"KXV1rFhBlcyd8Zc5JzP5xLq_CwTG1XGT_WegVJfwe04"}';

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
  it('runs in development with nothing set (main.ts then generates a signing key under .data/)', () => {
    const { config, warnings } = readConfig({}, buildUsersConfig);
    expect(config).toEqual({
      port: 4001,
      databaseUrl: undefined,
      redisUrl: undefined,
      jwtPrivateKey: undefined,
      serviceKeys: 'http://localhost:4000/.well-known/service-jwks.json',
      admin: null,
      loginRateLimit: { maxFailuresPerEmail: 5, maxAttemptsPerIp: 20, windowSeconds: 900 },
      productsUrl: 'http://localhost:4002/graphql',
      logLevel: 'info',
    });
    expect(warnings).toEqual([]);
  });

  it('reads every variable', () => {
    const { config, warnings } = readConfig(
      {
        PORT: '5001',
        DATABASE_URL: 'postgres://u:p@db:5432/users',
        REDIS_URL: 'rediss://cache:6380/2',
        JWT_PRIVATE_KEY: KEY,
        SERVICE_JWKS_URL: 'http://router:4000/.well-known/service-jwks.json',
        ADMIN_EMAIL: 'admin@shop.test',
        ADMIN_PASSWORD: 'admin-password-1',
        LOGIN_MAX_FAILURES_PER_EMAIL: '3',
        LOGIN_MAX_ATTEMPTS_PER_IP: '50',
        LOGIN_WINDOW_SECONDS: '600',
        PRODUCTS_URL: 'http://products:4002/graphql',
        LOG_LEVEL: 'warn',
      },
      buildUsersConfig,
    );
    expect(config).toEqual({
      port: 5001,
      databaseUrl: 'postgres://u:p@db:5432/users',
      redisUrl: 'rediss://cache:6380/2',
      jwtPrivateKey: { text: KEY },
      serviceKeys: 'http://router:4000/.well-known/service-jwks.json',
      admin: { email: 'admin@shop.test', password: 'admin-password-1' },
      loginRateLimit: { maxFailuresPerEmail: 3, maxAttemptsPerIp: 50, windowSeconds: 600 },
      productsUrl: 'http://products:4002/graphql',
      logLevel: 'warn',
    });
    expect(warnings).toEqual([]);
  });

  it('lists every problem at once: bad PORT, and in production a missing JWT_PRIVATE_KEY, DATABASE_URL and REDIS_URL', () => {
    expect(problemsOf({ NODE_ENV: 'production', PORT: 'http' })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT must be a port number/),
        'JWT_PRIVATE_KEY is required when NODE_ENV=production',
        'SERVICE_JWKS_URL is required when NODE_ENV=production',
        'SERVICE_PRIVATE_KEY is required when NODE_ENV=production',
        'DATABASE_URL is required when NODE_ENV=production',
        'REDIS_URL is required when NODE_ENV=production',
      ]),
    );
    expect(problemsOf({ NODE_ENV: 'production', PORT: 'http' })).toHaveLength(6);
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

  it('takes the signing key from a file instead (JWT_PRIVATE_KEY_FILE), which satisfies production', () => {
    const env = { NODE_ENV: 'production', JWT_PRIVATE_KEY_FILE: '/keys/jwt.jwk', SERVICE_JWKS_URL: 'http://router:4000/.well-known/service-jwks.json' };
    expect(problemsOf(env)).not.toContain('JWT_PRIVATE_KEY is required when NODE_ENV=production');
    expect(readConfig({ JWT_PRIVATE_KEY_FILE: '/keys/jwt.jwk' }, buildUsersConfig).config.jwtPrivateKey).toEqual({ file: '/keys/jwt.jwk' });
  });

  it('wants both ADMIN_EMAIL and ADMIN_PASSWORD or neither', () => {
    expect(problemsOf({ ADMIN_EMAIL: 'admin@shop.test' })).toEqual(['ADMIN_PASSWORD is required']);
    expect(problemsOf({ ADMIN_PASSWORD: 'admin-password-1' })).toEqual(['ADMIN_EMAIL is required']);
  });

  it('refuses a JWT_PRIVATE_KEY that is no usable private key, a non-PostgreSQL DATABASE_URL and an unknown LOG_LEVEL', () => {
    expect(problemsOf({ JWT_PRIVATE_KEY: 'a-shared-secret-as-before', DATABASE_URL: 'mysql://db/users', LOG_LEVEL: 'verbose' })).toEqual([
      'DATABASE_URL must use postgres or postgresql, got mysql',
      'JWT_PRIVATE_KEY is neither a PEM private key nor JSON (a JWK or a JWK Set)',
      expect.stringMatching(/^LOG_LEVEL must be one of debug, info, warn, error, silent/),
    ]);
    const { x } = JSON.parse(KEY) as { x: string };
    expect(problemsOf({ JWT_PRIVATE_KEY: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x }) })).toEqual([
      'JWT_PRIVATE_KEY the first key must be a private key (it signs)',
    ]);
    expect(problemsOf({ JWT_PRIVATE_KEY: '{"kty":"oct","k":"c2VjcmV0","d":"x"}' })).toEqual([expect.stringMatching(/^JWT_PRIVATE_KEY key 1 is not a usable JWK/)]);
  });
});
