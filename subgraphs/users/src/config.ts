import type { EnvReader } from '@shop/config';
import { LOG_LEVELS, type LogLevel } from '@shop/subgraph-kit';
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
  jwtSecret: string;
  /** The ADMIN account that must exist after start, when ADMIN_EMAIL and ADMIN_PASSWORD are set. */
  admin: AdminAccount | null;
  loginRateLimit: LoginRateLimit;
  logLevel: LogLevel;
}

export const DEFAULT_PORT = 4001;
const DEV_JWT_SECRET = 'dev-only-insecure-jwt-secret-change-me';

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
    jwtSecret: env.secret('JWT_SECRET', DEV_JWT_SECRET, { minLength: 32 }),
    admin: adminEmail !== undefined && adminPassword !== undefined ? { email: adminEmail, password: adminPassword } : null,
    loginRateLimit: {
      maxFailuresPerEmail: env.int('LOGIN_MAX_FAILURES_PER_EMAIL', DEFAULT_LOGIN_RATE_LIMIT.maxFailuresPerEmail, { min: 1, max: 1_000 }),
      maxAttemptsPerIp: env.int('LOGIN_MAX_ATTEMPTS_PER_IP', DEFAULT_LOGIN_RATE_LIMIT.maxAttemptsPerIp, { min: 1, max: 1_000_000 }),
      windowSeconds: env.int('LOGIN_WINDOW_SECONDS', DEFAULT_LOGIN_RATE_LIMIT.windowSeconds, { min: 1, max: 86_400 }),
    },
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}
