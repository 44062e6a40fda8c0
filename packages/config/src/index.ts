/**
 * Typed, validated environment reading. A process parses its whole config once at start;
 * every bad or missing variable is collected so the user sees all problems in one go.
 */

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvReader {
  /** True when NODE_ENV=production: no dev secrets, no embedded defaults. */
  readonly production: boolean;
  /** An optional string; empty counts as unset. */
  optional(name: string): string | undefined;
  /** A string that must be set. */
  required(name: string): string | undefined;
  /** A string with a default. */
  string(name: string, fallback: string): string;
  /** Unset means "use the embedded default" in development; in production it must be set. */
  requiredInProduction(name: string): string | undefined;
  /** A URL (checked by `new URL`), optional unless `required` or production requires it. */
  url(name: string, opts?: { required?: boolean; requiredInProduction?: boolean; protocols?: string[] }): string | undefined;
  /** A TCP port 1..65535 (0 allowed for "any free port"). */
  port(name: string, fallback: number): number;
  /** A whole number within bounds. */
  int(name: string, fallback: number, bounds?: { min?: number; max?: number }): number;
  /** true/false/1/0/yes/no. */
  bool(name: string, fallback: boolean): boolean;
  /** Comma-separated, trimmed, empties dropped. */
  list(name: string): string[];
  /** A secret: required in production; in development falls back to `devDefault` with a warning. */
  secret(name: string, devDefault: string, opts?: { minLength?: number }): string;
  /** One of a fixed set of values. */
  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T;
  /**
   * A value checked by `problemOf` (null when it is fine, else what is wrong, e.g. "is not a PEM
   * key"); optional unless production requires it.
   */
  checked(name: string, problemOf: (value: string) => string | null, opts?: { requiredInProduction?: boolean }): string | undefined;
}

export interface LoadedConfig<T> {
  config: T;
  warnings: string[];
}

export function readConfig<T>(env: Env, build: (env: EnvReader) => T): LoadedConfig<T> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const production = env.NODE_ENV === 'production';
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const reader: EnvReader = {
    production,
    optional: raw,
    required(name) {
      const value = raw(name);
      if (value === undefined) problems.push(`${name} is required`);
      return value;
    },
    string(name, fallback) {
      return raw(name) ?? fallback;
    },
    requiredInProduction(name) {
      const value = raw(name);
      if (value === undefined && production) problems.push(`${name} is required when NODE_ENV=production`);
      return value;
    },
    url(name, opts = {}) {
      const value = raw(name);
      if (value === undefined) {
        if (opts.required) problems.push(`${name} is required`);
        else if (opts.requiredInProduction && production) problems.push(`${name} is required when NODE_ENV=production`);
        return undefined;
      }
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        problems.push(`${name} is not a valid URL`);
        return undefined;
      }
      if (opts.protocols && !opts.protocols.includes(parsed.protocol.replace(/:$/, ''))) {
        problems.push(`${name} must use ${opts.protocols.join(' or ')}, got ${parsed.protocol.replace(/:$/, '')}`);
        return undefined;
      }
      return value;
    },
    port(name, fallback) {
      const value = raw(name);
      if (value === undefined) return fallback;
      const n = Number(value);
      if (!/^\d+$/.test(value) || n > 65535) {
        problems.push(`${name} must be a port number 0..65535, got "${value}"`);
        return fallback;
      }
      return n;
    },
    int(name, fallback, bounds = {}) {
      const value = raw(name);
      if (value === undefined) return fallback;
      const n = Number(value);
      const min = bounds.min ?? Number.MIN_SAFE_INTEGER;
      const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
      if (!/^-?\d+$/.test(value) || n < min || n > max) {
        problems.push(`${name} must be a whole number in ${min}..${max}, got "${value}"`);
        return fallback;
      }
      return n;
    },
    bool(name, fallback) {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return fallback;
      if (['1', 'true', 'yes', 'on'].includes(value)) return true;
      if (['0', 'false', 'no', 'off'].includes(value)) return false;
      problems.push(`${name} must be true or false, got "${value}"`);
      return fallback;
    },
    list(name) {
      return (raw(name) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    },
    secret(name, devDefault, opts = {}) {
      const value = raw(name);
      if (value === undefined) {
        if (production) {
          problems.push(`${name} is required when NODE_ENV=production`);
          return '';
        }
        warnings.push(`${name} is not set: using the development default, never use it in production`);
        return devDefault;
      }
      if (opts.minLength !== undefined && value.length < opts.minLength) {
        problems.push(`${name} must be at least ${opts.minLength} characters`);
      }
      return value;
    },
    oneOf(name, values, fallback) {
      const value = raw(name);
      if (value === undefined) return fallback;
      if (!(values as readonly string[]).includes(value)) {
        problems.push(`${name} must be one of ${values.join(', ')}, got "${value}"`);
        return fallback;
      }
      return value as (typeof values)[number];
    },
    checked(name, problemOf, opts = {}) {
      const value = raw(name);
      if (value === undefined) {
        if (opts.requiredInProduction && production) problems.push(`${name} is required when NODE_ENV=production`);
        return undefined;
      }
      const problem = problemOf(value);
      if (problem !== null) {
        problems.push(`${name} ${problem}`);
        return undefined;
      }
      return value;
    },
  };

  const config = build(reader);
  if (problems.length > 0) throw new ConfigError(problems);
  return { config, warnings };
}

/**
 * For a process entry point: parse the config, print every problem and exit 1 when invalid,
 * print warnings otherwise.
 */
export function loadConfigOrExit<T>(service: string, env: Env, build: (env: EnvReader) => T): T {
  try {
    const { config, warnings } = readConfig(env, build);
    for (const warning of warnings) {
      process.stderr.write(`${JSON.stringify({ level: 'warn', service, msg: warning })}\n`);
    }
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${service}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** A connection URL without its password, safe for an error message or a log line; `name` is the variable it came from. */
export function redactUrl(url: string, name: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return `(unparseable ${name})`;
  }
}
