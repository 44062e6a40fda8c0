import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from '@shop/config';
import { buildSearchConfig } from '../src/config.js';

const load = (env: Record<string, string>) => readConfig(env, buildSearchConfig);
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('buildSearchConfig', () => {
  it('runs alone in development: port 4007, embedded repository and bus, products on 4002, keys from the users subgraph on 4001', () => {
    const { config, warnings } = load({});
    expect(config).toEqual({
      port: 4007,
      elasticsearchUrl: undefined,
      elasticsearchIndex: 'products',
      productsUrl: 'http://localhost:4002/graphql',
      reindexSourceUrl: 'http://localhost:4002/graphql',
      redisUrl: undefined,
      jwksUrl: 'http://localhost:4001/.well-known/jwks.json',
      serviceKeys: 'http://localhost:4000/.well-known/service-jwks.json',
      servicePrivateKey: undefined,
      logLevel: 'info',
    });
    expect(warnings).toEqual([]);
  });

  it('reads every variable', () => {
    const { config } = load({
      PORT: '5007',
      ELASTICSEARCH_URL: 'https://elastic:pw@search.internal:9200',
      ELASTICSEARCH_INDEX: 'products_v2',
      PRODUCTS_URL: 'http://products:4002/graphql',
      REINDEX_SOURCE_URL: 'http://router:4000/graphql',
      REDIS_URL: 'redis://redis:6379',
      JWKS_URL: 'https://users.internal/.well-known/jwks.json',
      LOG_LEVEL: 'warn',
    });
    expect(config).toEqual({
      port: 5007,
      elasticsearchUrl: 'https://elastic:pw@search.internal:9200',
      elasticsearchIndex: 'products_v2',
      productsUrl: 'http://products:4002/graphql',
      reindexSourceUrl: 'http://router:4000/graphql',
      redisUrl: 'redis://redis:6379',
      jwksUrl: 'https://users.internal/.well-known/jwks.json',
      serviceKeys: 'http://localhost:4000/.well-known/service-jwks.json',
      servicePrivateKey: undefined,
      logLevel: 'warn',
    });
  });

  it('rebuilds from PRODUCTS_URL unless REINDEX_SOURCE_URL names another source (the router)', () => {
    expect(load({ PRODUCTS_URL: 'http://products:4002/graphql' }).config.reindexSourceUrl).toBe('http://products:4002/graphql');
    expect(problemsOf({ REINDEX_SOURCE_URL: 'ftp://router' }).join('\n')).toMatch(/REINDEX_SOURCE_URL/);
  });

  it('in production requires ELASTICSEARCH_URL, REDIS_URL and JWKS_URL, naming all at once', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'ELASTICSEARCH_URL is required when NODE_ENV=production',
      'REDIS_URL is required when NODE_ENV=production',
      'JWKS_URL is required when NODE_ENV=production',
      'SERVICE_JWKS_URL is required when NODE_ENV=production',
      'SERVICE_PRIVATE_KEY is required when NODE_ENV=production',
    ]);
  });

  it('lists every bad value', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      ELASTICSEARCH_URL: 'mongodb://db',
      PRODUCTS_URL: 'not a url',
      REDIS_URL: 'http://cache:6379',
      JWKS_URL: 'ftp://users/jwks.json',
      LOG_LEVEL: 'loud',
    });
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/ELASTICSEARCH_URL must use http or https/);
  });
});
