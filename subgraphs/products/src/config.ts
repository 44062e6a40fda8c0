import type { EnvReader } from '@shop/config';
import { LOG_LEVELS, type LogLevel } from '@shop/subgraph-kit';

export interface ProductsConfig {
  port: number;
  /** MongoDB connection string; undefined selects the embedded in-process store (development only). */
  mongoUrl: string | undefined;
  mongoDb: string;
  jwtSecret: string;
  /** Load the demo catalog into an empty store on start. */
  seedDemo: boolean;
  logLevel: LogLevel;
}

export const PRODUCTS_DEFAULT_PORT = 4002;

export function buildProductsConfig(env: EnvReader): ProductsConfig {
  const mongoUrl = env.url('MONGO_URL', { requiredInProduction: true, protocols: ['mongodb', 'mongodb+srv'] });
  return {
    port: env.port('PORT', PRODUCTS_DEFAULT_PORT),
    mongoUrl,
    mongoDb: env.string('MONGO_DB', 'shop_products'),
    jwtSecret: env.secret('JWT_SECRET', 'dev-only-insecure-jwt-secret-change-me', { minLength: 32 }),
    // The embedded store starts empty on every start, so it is seeded unless told not to;
    // a real MongoDB is only ever seeded on request.
    seedDemo: env.bool('SEED_DEMO', mongoUrl === undefined),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}
