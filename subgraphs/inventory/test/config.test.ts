import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from '@shop/config';
import { buildInventoryConfig, DEV_JWT_SECRET } from '../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    readConfig(env, buildInventoryConfig);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('inventory config', () => {
  it('runs in development with nothing set: port 4003, embedded database, dev secret with a warning', () => {
    const { config, warnings } = readConfig({}, buildInventoryConfig);
    expect(config).toEqual({ port: 4003, databaseUrl: undefined, jwtSecret: DEV_JWT_SECRET, logLevel: 'info' });
    expect(warnings).toEqual([expect.stringContaining('JWT_SECRET')]);
  });

  it('takes every setting from the environment', () => {
    const env = {
      PORT: '5003',
      DATABASE_URL: 'postgresql://shop:pw@db:5432/inventory',
      JWT_SECRET: 's'.repeat(32),
      LOG_LEVEL: 'warn',
    };
    expect(readConfig(env, buildInventoryConfig)).toEqual({
      config: { port: 5003, databaseUrl: env.DATABASE_URL, jwtSecret: env.JWT_SECRET, logLevel: 'warn' },
      warnings: [],
    });
  });

  it('in production, names both a missing DATABASE_URL and a missing JWT_SECRET at once', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([
      expect.stringContaining('DATABASE_URL'),
      expect.stringContaining('JWT_SECRET'),
    ]);
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/inventory',
      JWT_SECRET: 'short',
      LOG_LEVEL: 'loud',
    });
    expect(problems).toHaveLength(4);
    for (const name of ['PORT', 'DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL']) {
      expect(problems.some((p) => p.startsWith(name))).toBe(true);
    }
  });
});
