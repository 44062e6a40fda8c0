import type { EnvReader } from '@shop/config';
import { LOG_LEVELS, type LogLevel } from '@shop/subgraph-kit';

export interface AdminAccount {
  email: string;
  password: string;
}

/** What the environment says; `databaseUrl` is unset when an embedded PostgreSQL should be used. */
export interface UsersEnvConfig {
  port: number;
  databaseUrl: string | undefined;
  jwtSecret: string;
  /** The ADMIN account that must exist after start, when ADMIN_EMAIL and ADMIN_PASSWORD are set. */
  admin: AdminAccount | null;
  logLevel: LogLevel;
}

/** What `createUsersSubgraph` runs with: the database is resolved to a URL by then. */
export interface UsersConfig extends Omit<UsersEnvConfig, 'databaseUrl'> {
  databaseUrl: string;
}

export const DEFAULT_PORT = 4001;
const DEV_JWT_SECRET = 'dev-only-insecure-jwt-secret-change-me';

export function buildUsersConfig(env: EnvReader): UsersEnvConfig {
  const adminEmail = env.optional('ADMIN_EMAIL');
  const adminPassword = env.optional('ADMIN_PASSWORD');
  // Half an admin account is a mistake worth stopping for, not something to ignore silently.
  if (adminEmail !== undefined && adminPassword === undefined) env.required('ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminEmail === undefined) env.required('ADMIN_EMAIL');
  return {
    port: env.port('PORT', DEFAULT_PORT),
    databaseUrl: env.url('DATABASE_URL', { requiredInProduction: true, protocols: ['postgres', 'postgresql'] }),
    jwtSecret: env.secret('JWT_SECRET', DEV_JWT_SECRET, { minLength: 32 }),
    admin: adminEmail !== undefined && adminPassword !== undefined ? { email: adminEmail, password: adminPassword } : null,
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}
