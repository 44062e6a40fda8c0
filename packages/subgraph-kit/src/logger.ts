export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** One JSON object per line on stdout: easy to grep here, easy to ship anywhere. */
export function createLogger(options: { service: string; level?: LogLevel; write?: (line: string) => void }): Logger {
  const min = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const make = (bound: LogFields): Logger => {
    const log = (level: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: LogFields) => {
      if (RANK[level] < min) return;
      const entry = { time: new Date().toISOString(), level, service: options.service, msg, ...bound, ...fields };
      write(`${JSON.stringify(entry, errorReplacer)}\n`);
    };
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make({});
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  return value;
}
