import { pino, stdSerializers, stdTimeFunctions, type DestinationStream } from 'pino';
import { traceFields } from '@shop/telemetry';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogFields = Record<string, unknown>;

/** What the code logs through; pino underneath. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

// Credentials never reach a log line, wherever they sit in the fields (up to two levels down).
const SECRETS = ['authorization', 'cookie', 'set-cookie', 'password', 'token', 'accessToken', 'refreshToken'];
const REDACT = SECRETS.flatMap((key) => [`["${key}"]`, `*["${key}"]`, `*.*["${key}"]`]);
// The fields pino writes itself: a field by one of these names is kept beside them, renamed.
const RESERVED = new Set(['level', 'time', 'msg', 'service']);

/**
 * One JSON object per line on stdout (pino): `level` as a name, ISO `time`, `service`, the
 * fields, `msg`; inside a trace also `trace_id` and `span_id`, so a line leads to its trace.
 * Errors anywhere in the fields keep their name, message and stack; circular fields are
 * written as "[Circular]"; secrets are redacted.
 */
export function createLogger(options: { service: string; level?: LogLevel; write?: (line: string) => void }): Logger {
  const destination: DestinationStream | undefined = options.write ? { write: options.write } : undefined;
  const base = pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: stdTimeFunctions.isoTime,
      // Errors under any field keep their name, message and stack (JSON would give `{}`).
      formatters: { level: (label) => ({ level: label }), log: serializeErrors },
      redact: { paths: REDACT, censor: '[redacted]' },
      // A fresh object each time: pino merges the line's fields into what the mixin returns.
      mixin: () => traceFields() ?? {},
    },
    destination,
  );
  const wrap = (log: pino.Logger): Logger => {
    const at = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: LogFields) => {
      if (fields) log[level](safeFields(fields), msg);
      else log[level](msg);
    };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => wrap(log.child(safeFields(fields))) };
  };
  return wrap(base);
}

function serializeErrors(fields: Record<string, unknown>): Record<string, unknown> {
  if (!Object.values(fields).some((value) => value instanceof Error)) return fields;
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, value instanceof Error ? stdSerializers.err(value) : value]));
}

function safeFields(fields: LogFields): LogFields {
  if (!Object.keys(fields).some((key) => RESERVED.has(key))) return fields;
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [RESERVED.has(key) ? `field_${key}` : key, value]));
}

/** The logger Apollo Server takes, on ours; its `info` lines are written at `infoAs` (the router keeps them at debug). */
export function apolloLogger(logger: Logger, options: { infoAs?: 'info' | 'debug' } = {}) {
  const info = options.infoAs ?? 'info';
  return {
    debug: (message?: unknown) => logger.debug(String(message)),
    info: (message?: unknown) => logger[info](String(message)),
    warn: (message?: unknown) => logger.warn(String(message)),
    error: (message?: unknown) => logger.error(String(message)),
  };
}
