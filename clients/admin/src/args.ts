/** A command line that cannot be run as typed: the CLI prints the usage and exits 1. */
export class UsageError extends Error {}

/**
 * `--name value` / `--name=value` options and positionals. Hand-rolled rather than `util.parseArgs`
 * so that a negative number is a positional (`stock set <id> -5` reaches the API's validation).
 */
export function parse<K extends string>(args: readonly string[], options: readonly K[], positionalCount: number) {
  const values: Partial<Record<K, string>> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!(options as readonly string[]).includes(name)) throw new UsageError(`unknown option ${arg}`);
    const value = inline ?? args[(i += 1)];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    values[name as K] = value;
  }
  if (positionals.length !== positionalCount) {
    throw new UsageError(`expected ${positionalCount} argument(s), got ${positionals.length}`);
  }
  return { values, positionals };
}

export function required(flag: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

export function integer(name: string, value: string): number {
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${name} must be an integer, got "${value}"`);
  return Number(value);
}
