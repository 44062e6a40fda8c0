import type { EnvReader } from '@shop/config';
import { LOG_LEVELS, type LogLevel } from '@shop/subgraph-kit';

export interface InventoryConfig {
  port: number;
  /** Unset in development means "start an embedded PostgreSQL" (main.ts); required in production. */
  databaseUrl: string | undefined;
  jwtSecret: string;
  logLevel: LogLevel;
}

export const DEV_JWT_SECRET = 'dev-only-insecure-jwt-secret-change-me';

export function buildInventoryConfig(env: EnvReader): InventoryConfig {
  return {
    port: env.port('PORT', 4003),
    databaseUrl: env.url('DATABASE_URL', { requiredInProduction: true, protocols: ['postgres', 'postgresql'] }),
    jwtSecret: env.secret('JWT_SECRET', DEV_JWT_SECRET, { minLength: 32 }),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}
