import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig, type EnvReader } from '@shop/config';

const build = (env: EnvReader) => ({
  port: env.port('PORT', 4001),
  databaseUrl: env.url('DATABASE_URL', { requiredInProduction: true, protocols: ['postgres', 'postgresql'] }),
  webhookSecret: env.secret('WEBHOOK_SECRET', 'dev-default-secret', { minLength: 32 }),
  verbose: env.bool('VERBOSE', false),
});

describe('readConfig', () => {
  it('uses defaults in development and warns about the dev secret', () => {
    const { config, warnings } = readConfig({}, build);
    expect(config).toEqual({ port: 4001, databaseUrl: undefined, webhookSecret: 'dev-default-secret', verbose: false });
    expect(warnings).toEqual([expect.stringContaining('WEBHOOK_SECRET is not set')]);
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      readConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x/y', VERBOSE: 'maybe', WEBHOOK_SECRET: 'short' }, build);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT must be a port number 0..65535, got "eighty"',
      'DATABASE_URL must use postgres or postgresql, got mysql',
      'WEBHOOK_SECRET must be at least 32 characters',
      'VERBOSE must be true or false, got "maybe"',
    ]);
  });

  it('has no dev secrets and no embedded defaults in production', () => {
    expect(() => readConfig({ NODE_ENV: 'production' }, build)).toThrow(
      /DATABASE_URL is required when NODE_ENV=production[\s\S]*WEBHOOK_SECRET is required when NODE_ENV=production/,
    );
    const { config, warnings } = readConfig(
      { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/shop', WEBHOOK_SECRET: 'x'.repeat(40), PORT: '0' },
      build,
    );
    expect(config.databaseUrl).toBe('postgres://db/shop');
    expect(config.port).toBe(0);
    expect(warnings).toEqual([]);
  });
});

describe('checked values', () => {
  const key = (env: EnvReader) => env.checked('SIGNING_KEY', (value) => (value.startsWith('-----BEGIN') ? null : 'is not a PEM key'), { requiredInProduction: true });

  it('passes a good value through, names what is wrong with a bad one, and is required only in production', () => {
    expect(readConfig({ SIGNING_KEY: '-----BEGIN PRIVATE KEY-----' }, key).config).toBe('-----BEGIN PRIVATE KEY-----');
    expect(readConfig({}, key).config).toBeUndefined();
    expect(() => readConfig({ SIGNING_KEY: 'hunter2' }, key)).toThrow(/SIGNING_KEY is not a PEM key/);
    expect(() => readConfig({ NODE_ENV: 'production' }, key)).toThrow(/SIGNING_KEY is required when NODE_ENV=production/);
  });
});
