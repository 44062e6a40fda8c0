import type { EnvReader } from '@shop/config';
import { LOG_LEVELS, readServiceTrust, type LogLevel, type ServiceTrustConfig } from '@shop/subgraph-kit';

export interface SearchConfig extends ServiceTrustConfig {
  port: number;
  /** Elasticsearch node URL; undefined selects the embedded in-process repository (development only). */
  elasticsearchUrl: string | undefined;
  /** Index (or alias) name; Elasticsearch itself refuses a malformed one at start. */
  elasticsearchIndex: string;
  /** The products subgraph's GraphQL endpoint, read by a rebuild of the index. */
  productsUrl: string;
  /**
   * Where a rebuild reads the catalog: the products subgraph, or the router's supergraph
   * endpoint, which also serves each product's stock (then the rebuild sets the stock flags).
   */
  reindexSourceUrl: string;
  /** Redis for the event bus; undefined selects the in-process bus (development only). */
  redisUrl: string | undefined;
  logLevel: LogLevel;
}

export const SEARCH_DEFAULT_PORT = 4007;
export const DEFAULT_PRODUCTS_URL = 'http://localhost:4002/graphql';

/** The only reader of the environment; use with `readConfig` / `loadConfigOrExit` from @shop/config. */
export function buildSearchConfig(env: EnvReader): SearchConfig {
  const productsUrl = env.url('PRODUCTS_URL', { protocols: ['http', 'https'] }) ?? DEFAULT_PRODUCTS_URL;
  return {
    port: env.port('PORT', SEARCH_DEFAULT_PORT),
    elasticsearchUrl: env.url('ELASTICSEARCH_URL', { requiredInProduction: true, protocols: ['http', 'https'] }),
    elasticsearchIndex: env.string('ELASTICSEARCH_INDEX', 'products'),
    productsUrl,
    reindexSourceUrl: env.url('REINDEX_SOURCE_URL', { protocols: ['http', 'https'] }) ?? productsUrl,
    redisUrl: env.url('REDIS_URL', { requiredInProduction: true, protocols: ['redis', 'rediss'] }),
    ...readServiceTrust(env),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}
