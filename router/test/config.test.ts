import { describe, expect, it } from '@jest/globals';
import { type ConfigError, readConfig, type Env } from '@shop/config';
import { DEFAULT_JWKS_URL } from '@shop/subgraph-kit';
import { buildRouterConfig, DEFAULT_LIMITS } from '../src/index.js';

const load = (env: Env) => readConfig(env, (reader) => buildRouterConfig(reader, env));

describe('router configuration', () => {
  it('has working defaults in development: the users subgraph on this machine publishes the keys', () => {
    const { config, warnings } = load({});
    expect(config).toMatchObject({
      port: 4000,
      redisUrl: undefined,
      jwksUrl: DEFAULT_JWKS_URL,
      partnerApiKeys: [],
      limits: DEFAULT_LIMITS,
      rateLimitPerMinute: 600,
      trustProxy: false,
      corsOrigins: [],
      introspection: true,
      watchSupergraph: true,
      subgraphTimeoutMs: 5000,
      subgraphTimeouts: {},
      circuitBreaker: { failureThreshold: 5, openMs: 10_000 },
    });
    expect(warnings).toEqual([]);
  });

  it('reads every limit and switch from the environment', () => {
    const { config } = load({
      REDIS_URL: 'redis://cache:6379',
      JWKS_URL: 'http://users:4001/.well-known/jwks.json',
      PARTNER_API_KEYS: 'key-one-0123456789, key-two-0123456789',
      MAX_DEPTH: '10',
      MAX_ALIASES: '5',
      MAX_COST: '900',
      MAX_BATCH: '4',
      BODY_LIMIT_BYTES: '2048',
      RATE_LIMIT_PER_MINUTE: '0',
      TRUST_PROXY: 'true',
      CORS_ORIGINS: 'https://Shop.example.com/, http://localhost:5173',
      SUBGRAPH_USERS_URL: 'http://users:4001/graphql',
      SUBGRAPH_TIMEOUT_MS: '2500',
      SUBGRAPH_SEARCH_TIMEOUT_MS: '8000',
      SUBGRAPH_BREAKER_FAILURES: '3',
      SUBGRAPH_BREAKER_OPEN_MS: '30000',
    });
    expect(config).toMatchObject({
      redisUrl: 'redis://cache:6379',
      jwksUrl: 'http://users:4001/.well-known/jwks.json',
      partnerApiKeys: ['key-one-0123456789', 'key-two-0123456789'],
      limits: { maxDepth: 10, maxAliases: 5, maxCost: 900, maxBatch: 4, bodyLimitBytes: 2048 },
      rateLimitPerMinute: 0,
      trustProxy: true,
      corsOrigins: ['https://shop.example.com', 'http://localhost:5173'],
      subgraphUrls: { users: 'http://users:4001/graphql' },
      subgraphTimeoutMs: 2500,
      subgraphTimeouts: { search: 8000 },
      circuitBreaker: { failureThreshold: 3, openMs: 30_000 },
    });
  });

  it('lists every problem at once; production needs JWKS_URL and turns introspection off', () => {
    let problems: string[] = [];
    try {
      load({ NODE_ENV: 'production', MAX_DEPTH: 'deep', REDIS_URL: 'http://not-redis', TRUST_PROXY: 'maybe', CORS_ORIGINS: 'https://shop.example.com/checkout' });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/REDIS_URL/),
      expect.stringMatching(/JWKS_URL is required/),
      'SERVICE_PRIVATE_KEY is required when NODE_ENV=production',
      expect.stringMatching(/MAX_DEPTH/),
      expect.stringMatching(/TRUST_PROXY/),
      expect.stringMatching(/CORS_ORIGINS must be \* or origins .* got https:\/\/shop.example.com\/checkout/),
    ]);
    expect(load({ CORS_ORIGINS: ' * ' }).config.corsOrigins).toBe('*');
    expect(load({ NODE_ENV: 'production', JWKS_URL: 'https://users.internal/.well-known/jwks.json', SERVICE_PRIVATE_KEY_FILE: '/keys/router.jwk' }).config.introspection).toBe(false);
  });
});
