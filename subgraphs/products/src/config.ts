import type { EnvReader } from '@shop/config';
import { LOG_LEVELS, readServiceTrust, type LogLevel, type ServiceTrustConfig } from '@shop/subgraph-kit';

export interface ProductsConfig extends ServiceTrustConfig {
  port: number;
  /** MongoDB connection string; undefined selects the embedded in-process store (development only). */
  mongoUrl: string | undefined;
  mongoDb: string;
  /**
   * Where the embedded store keeps its journal (`<dataDir>/products`); undefined: in memory
   * only. `npm start` sets it under `.data/`. Unused with MongoDB.
   */
  dataDir?: string | undefined;
  /**
   * Redis for the product cache and the event bus (main.ts builds both from it); undefined means
   * in-process stand-ins (development only). Optional in the type so callers that build a config
   * by hand (tests) need not name it.
   */
  redisUrl?: string | undefined;
  /** How long a product stays in the cache; 1 h unless set. */
  productCacheTtlSeconds?: number;
  /** Load the demo catalog into an empty store on start. */
  seedDemo: boolean;
  logLevel: LogLevel;
  /** Where product pictures are uploaded to and read from. */
  images: ImageStorageConfig;
}

/**
 * S3 when S3_BUCKET is set (required in production); otherwise the subgraph's own signed store,
 * reached by browsers at PRODUCTS_PUBLIC_URL. S3 credentials come from the SDK's usual chain
 * (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the platform's identity).
 */
export type ImageStorageConfig =
  | { kind: 's3'; bucket: string; region: string; endpoint: string | undefined; publicEndpoint: string | undefined }
  | { kind: 'local'; publicUrl: string };

export const PRODUCTS_DEFAULT_PORT = 4002;

export function buildProductsConfig(env: EnvReader): ProductsConfig {
  const mongoUrl = env.url('MONGO_URL', { requiredInProduction: true, protocols: ['mongodb', 'mongodb+srv'] });
  const port = env.port('PORT', PRODUCTS_DEFAULT_PORT);
  return {
    port,
    mongoUrl,
    mongoDb: env.string('MONGO_DB', 'shop_products'),
    dataDir: env.optional('DATA_DIR'),
    redisUrl: env.url('REDIS_URL', { requiredInProduction: true, protocols: ['redis', 'rediss'] }),
    productCacheTtlSeconds: env.int('PRODUCT_CACHE_TTL_SECONDS', 3600, { min: 1, max: 86_400 }),
    ...readServiceTrust(env),
    // The embedded store is seeded when empty unless told not to (in memory: on every start);
    // a real MongoDB is only ever seeded on request.
    seedDemo: env.bool('SEED_DEMO', mongoUrl === undefined),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    images: imageStorage(env, port),
  };
}

function imageStorage(env: EnvReader, port: number): ImageStorageConfig {
  const bucket = env.requiredInProduction('S3_BUCKET');
  const http = { protocols: ['http', 'https'] };
  if (bucket === undefined) {
    return { kind: 'local', publicUrl: env.url('PRODUCTS_PUBLIC_URL', http) ?? `http://localhost:${port}` };
  }
  return {
    kind: 's3',
    bucket,
    region: env.string('S3_REGION', 'us-east-1'),
    endpoint: env.url('S3_ENDPOINT', http),
    publicEndpoint: env.url('S3_PUBLIC_ENDPOINT', http),
  };
}
