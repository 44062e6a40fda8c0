import type { EnvReader } from '@shop/config';
import { LOG_LEVELS, readServiceTrust, type LogLevel, type ServiceTrustConfig } from '@shop/subgraph-kit';

export const DEFAULT_PORT = 4009;
export const DEFAULT_USERS_URL = 'http://localhost:4001/graphql';
export const DEFAULT_MAIL_FROM = 'Shop <no-reply@shop.local>';

export interface NotificationsConfig extends ServiceTrustConfig {
  port: number;
  /** Unset in development means "start an embedded PostgreSQL" (main.ts resolves it). */
  databaseUrl: string | undefined;
  /** Where mail goes (`smtp://` or `smtps://`, passed to nodemailer); unset (development only) means messages are stored, never sent. */
  smtpUrl: string | undefined;
  /** The `From` header of every message. */
  mailFrom: string;
  /** How many times a message is tried before it is FAILED. */
  mailMaxAttempts: number;
  /** The wait after the first failed attempt; it doubles with every further one (capped at one hour). */
  mailRetryBaseMs: number;
  /** The users subgraph's GraphQL endpoint, whose `_entities` names recipients (email, name, locale, opt-in). */
  usersUrl: string;
  /** Redis Streams for domain events; unset (development only) means the in-process bus. */
  redisUrl: string | undefined;
  logLevel: LogLevel;
}

/** The only reader of the environment; use with `readConfig` / `loadConfigOrExit` from @shop/config. */
export function buildNotificationsConfig(env: EnvReader): NotificationsConfig {
  return {
    port: env.port('PORT', DEFAULT_PORT),
    databaseUrl: env.url('DATABASE_URL', { requiredInProduction: true, protocols: ['postgres', 'postgresql'] }),
    smtpUrl: env.url('SMTP_URL', { requiredInProduction: true, protocols: ['smtp', 'smtps'] }),
    mailFrom: env.string('MAIL_FROM', DEFAULT_MAIL_FROM),
    mailMaxAttempts: env.int('MAIL_MAX_ATTEMPTS', 5, { min: 1, max: 100 }),
    mailRetryBaseMs: env.int('MAIL_RETRY_BASE_MS', 30_000, { min: 1, max: 3_600_000 }),
    usersUrl: env.url('USERS_URL', { protocols: ['http', 'https'] }) ?? DEFAULT_USERS_URL,
    // Required in production: the in-process bus would never see the other subgraphs' events.
    redisUrl: env.url('REDIS_URL', { requiredInProduction: true, protocols: ['redis', 'rediss'] }),
    ...readServiceTrust(env),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}
