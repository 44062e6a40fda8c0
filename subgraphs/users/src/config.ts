import type { EnvReader } from '@shop/config';
import { LOG_LEVELS, readPrivateKey, readServiceJwksUrl, type KeySource, type LogLevel, type PrivateKeySetting } from '@shop/subgraph-kit';
import { DEFAULT_LOGIN_RATE_LIMIT, type LoginRateLimit } from './loginThrottle.js';

export interface AdminAccount {
  email: string;
  password: string;
}

/** What the environment says; `databaseUrl` is unset when an embedded PostgreSQL should be used. */
export interface UsersConfig {
  port: number;
  databaseUrl: string | undefined;
  /** Redis for the sign-in rate limits; unset means in-process counters (one replica only). */
  redisUrl: string | undefined;
  /**
   * The access-token signing key: JWT_PRIVATE_KEY (PEM, JWK, or a JWK Set whose first key signs
   * and whose other keys are published only) or JWT_PRIVATE_KEY_FILE. Unset in development: one
   * generated and kept under `.data/keys/`.
   */
  jwtPrivateKey: PrivateKeySetting | undefined;
  /** SERVICE_JWKS_URL: the public keys of the services that call users (see SERVICE_CALLERS in server.ts). */
  serviceKeys: KeySource;
  /** SERVICE_PRIVATE_KEY(_FILE): proves to products that a call comes from users; unset in development: a key under `.data/keys/`. */
  servicePrivateKey: PrivateKeySetting | undefined;
  /** The ADMIN account that must exist after start, when ADMIN_EMAIL and ADMIN_PASSWORD are set. */
  admin: AdminAccount | null;
  loginRateLimit: LoginRateLimit;
  /** The products subgraph, asked whether a wished-for product exists and what it is called. */
  productsUrl: string;
  logLevel: LogLevel;
}

export const DEFAULT_PORT = 4001;
/** Where a development signing key is kept between runs (relative to the working directory). */
export const DEV_KEY_PATH = '.data/keys/jwt-private-key.jwk';
export const DEFAULT_PRODUCTS_URL = 'http://localhost:4002/graphql';

export function buildUsersConfig(env: EnvReader): UsersConfig {
  const adminEmail = env.optional('ADMIN_EMAIL');
  const adminPassword = env.optional('ADMIN_PASSWORD');
  // Half an admin account is a mistake worth stopping for, not something to ignore silently.
  if (adminEmail !== undefined && adminPassword === undefined) env.required('ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminEmail === undefined) env.required('ADMIN_EMAIL');
  return {
    port: env.port('PORT', DEFAULT_PORT),
    databaseUrl: env.url('DATABASE_URL', { requiredInProduction: true, protocols: ['postgres', 'postgresql'] }),
    // Required in production: in-process counters would give each replica its own allowance.
    redisUrl: env.url('REDIS_URL', { requiredInProduction: true, protocols: ['redis', 'rediss'] }),
    jwtPrivateKey: readPrivateKey(env, 'JWT_PRIVATE_KEY'),
    servicePrivateKey: readPrivateKey(env, 'SERVICE_PRIVATE_KEY'),
    serviceKeys: readServiceJwksUrl(env),
    admin: adminEmail !== undefined && adminPassword !== undefined ? { email: adminEmail, password: adminPassword } : null,
    loginRateLimit: {
      maxFailuresPerEmail: env.int('LOGIN_MAX_FAILURES_PER_EMAIL', DEFAULT_LOGIN_RATE_LIMIT.maxFailuresPerEmail, { min: 1, max: 1_000 }),
      maxAttemptsPerIp: env.int('LOGIN_MAX_ATTEMPTS_PER_IP', DEFAULT_LOGIN_RATE_LIMIT.maxAttemptsPerIp, { min: 1, max: 1_000_000 }),
      windowSeconds: env.int('LOGIN_WINDOW_SECONDS', DEFAULT_LOGIN_RATE_LIMIT.windowSeconds, { min: 1, max: 86_400 }),
    },
    productsUrl: env.url('PRODUCTS_URL', { protocols: ['http', 'https'] }) ?? DEFAULT_PRODUCTS_URL,
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}
