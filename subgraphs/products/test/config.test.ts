import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from '@shop/config';
import { buildProductsConfig } from '../src/config.js';

const load = (env: Record<string, string>) => readConfig(env, buildProductsConfig);
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('buildProductsConfig', () => {
  it('runs alone in development: port 4002, embedded store with the demo catalog, a warned dev secret', () => {
    const { config, warnings } = load({});
    expect(config).toEqual({
      port: 4002,
      mongoUrl: undefined,
      mongoDb: 'shop_products',
      jwtSecret: 'dev-only-insecure-jwt-secret-change-me',
      seedDemo: true,
      logLevel: 'info',
    });
    expect(warnings.join('\n')).toContain('JWT_SECRET');
  });

  it('does not seed a real MongoDB unless SEED_DEMO=true', () => {
    expect(load({ MONGO_URL: 'mongodb://localhost:27017' }).config.seedDemo).toBe(false);
    expect(load({ MONGO_URL: 'mongodb+srv://cluster.example.net', SEED_DEMO: 'true' }).config.seedDemo).toBe(true);
  });

  it('in production requires MONGO_URL and JWT_SECRET, naming both at once', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringContaining('MONGO_URL'), expect.stringContaining('JWT_SECRET')]),
    );
  });

  it('lists every bad value', () => {
    const problems = problemsOf({ MONGO_URL: 'postgres://db/x', PORT: 'eighty', LOG_LEVEL: 'loud', JWT_SECRET: 'short', SEED_DEMO: 'maybe' });
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/MONGO_URL must use mongodb or mongodb\+srv/);
  });
});
