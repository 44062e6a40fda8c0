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
  it('runs alone in development: port 4002, embedded store with the demo catalog, keys from the users subgraph on 4001', () => {
    const { config, warnings } = load({});
    expect(config).toEqual({
      port: 4002,
      mongoUrl: undefined,
      mongoDb: 'shop_products',
      redisUrl: undefined,
      productCacheTtlSeconds: 3600,
      jwksUrl: 'http://localhost:4001/.well-known/jwks.json',
      serviceKeys: 'http://localhost:4000/.well-known/service-jwks.json',
      servicePrivateKey: undefined,
      seedDemo: true,
      logLevel: 'info',
      images: { kind: 'local', publicUrl: 'http://localhost:4002' },
    });
    expect(warnings).toEqual([]);
  });

  it('keeps pictures in S3 when S3_BUCKET is set, signing uploads for the endpoint browsers reach', () => {
    const { config } = load({ S3_BUCKET: 'shop-images', S3_ENDPOINT: 'http://minio:9000', S3_PUBLIC_ENDPOINT: 'http://localhost:9000' });
    expect(config.images).toEqual({ kind: 's3', bucket: 'shop-images', region: 'us-east-1', endpoint: 'http://minio:9000', publicEndpoint: 'http://localhost:9000' });
    expect(load({ PORT: '4102', PRODUCTS_PUBLIC_URL: 'https://shop.example/media' }).config.images).toEqual({ kind: 'local', publicUrl: 'https://shop.example/media' });
    expect(problemsOf({ S3_BUCKET: 'b', S3_ENDPOINT: 'minio:9000' })).toEqual([expect.stringContaining('S3_ENDPOINT')]);
  });

  it('does not seed a real MongoDB unless SEED_DEMO=true', () => {
    expect(load({ MONGO_URL: 'mongodb://localhost:27017' }).config.seedDemo).toBe(false);
    expect(load({ MONGO_URL: 'mongodb+srv://cluster.example.net', SEED_DEMO: 'true' }).config.seedDemo).toBe(true);
  });

  it('in production requires MONGO_URL, REDIS_URL, JWKS_URL and S3_BUCKET, naming all at once', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('MONGO_URL'),
        expect.stringContaining('REDIS_URL'),
        expect.stringContaining('JWKS_URL'),
        expect.stringContaining('S3_BUCKET'),
      ]),
    );
  });

  it('reads the Redis URL and the product cache TTL', () => {
    const { config } = load({ REDIS_URL: 'redis://cache:6379', PRODUCT_CACHE_TTL_SECONDS: '600' });
    expect(config.redisUrl).toBe('redis://cache:6379');
    expect(config.productCacheTtlSeconds).toBe(600);
    expect(problemsOf({ REDIS_URL: 'http://cache', PRODUCT_CACHE_TTL_SECONDS: '0' })).toEqual([
      expect.stringMatching(/REDIS_URL must use redis or rediss/),
      expect.stringMatching(/PRODUCT_CACHE_TTL_SECONDS/),
    ]);
  });

  it('lists every bad value', () => {
    const problems = problemsOf({ MONGO_URL: 'postgres://db/x', PORT: 'eighty', LOG_LEVEL: 'loud', JWKS_URL: 'ftp://users/jwks.json', SEED_DEMO: 'maybe' });
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/MONGO_URL must use mongodb or mongodb\+srv/);
  });
});
