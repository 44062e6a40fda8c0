import { resolve } from 'node:path';
import type { EnvReader, Env } from '@shop/config';
import { DEFAULT_JWKS_URL, LOG_LEVELS, readPrivateKey, type LogLevel, type PrivateKeySetting } from '@shop/subgraph-kit';
import { normalOrigin, type CorsOrigins } from './cors.js';
import type { TrustProxy } from './request.js';


/** What a request may cost before planning; every value comes from an env var (README). */
export interface OperationLimits {
  /** Deepest field nesting (MAX_DEPTH). */
  maxDepth: number;
  /** Aliased fields in one operation (MAX_ALIASES). */
  maxAliases: number;
  /** Estimated fields to resolve: each field counts 1, times the `first`/`last` of enclosing lists (MAX_COST). */
  maxCost: number;
  /** Operations in one HTTP batch (MAX_BATCH). */
  maxBatch: number;
  /** Request body size in bytes (BODY_LIMIT_BYTES); larger bodies get 413. */
  bodyLimitBytes: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 15,
  maxAliases: 30,
  maxCost: 5000,
  maxBatch: 10,
  bodyLimitBytes: 1024 * 1024,
};

export interface RouterConfig {
  port: number;
  supergraphPath: string;
  /** Reload the supergraph when the file at `supergraphPath` changes (SUPERGRAPH_WATCH). */
  watchSupergraph: boolean;
  /** SUBGRAPH_<NAME>_URL overrides, keyed by subgraph name (lower case). */
  subgraphUrls: Record<string, string>;
  introspection: boolean;
  logLevel: LogLevel;
  /** APQ cache, rate-limit counters; unset: in-process (one replica only). */
  redisUrl: string | undefined;
  /** The users subgraph's JWK Set (JWKS_URL): access tokens are verified against it and it is published again. */
  jwksUrl: string;
  /**
   * SERVICE_PRIVATE_KEY(_FILE): the router's own key, which signs its token to each subgraph
   * (subgraphs serve nobody else); unset in development: a key under `.data/keys/`.
   */
  servicePrivateKey: PrivateKeySetting | undefined;
  /** Keys (`x-api-key`) whose requests may run only operations of the partner manifest. */
  partnerApiKeys: string[];
  partnerManifestPath: string;
  limits: OperationLimits;
  /** Where /metrics is served (METRICS_PORT), apart from the public port. */
  metricsPort: number;
  /** Requests per minute per client IP, and per partner API key; 0 turns rate limiting off. */
  rateLimitPerMinute: number;
  /** Each partner key's bucket of cost points (PARTNER_COST_BUDGET) and its refill per second (PARTNER_COST_RESTORE_RATE). */
  partnerCost: { budget: number; restoreRate: number };
  /** Trust `x-forwarded-for` for the client address (only behind a proxy that sets it). */
  trustProxy: TrustProxy;
  /** Web origins whose pages may call /graphql from a browser (CORS_ORIGINS: a list, or `*`). */
  corsOrigins: CorsOrigins;
  /** Deadline of one subgraph fetch (SUBGRAPH_TIMEOUT_MS). */
  subgraphTimeoutMs: number;
  /** SUBGRAPH_<NAME>_TIMEOUT_MS overrides, keyed by subgraph name (lower case). */
  subgraphTimeouts: Record<string, number>;
  /** SUBGRAPH_BREAKER_FAILURES consecutive failures open a subgraph's circuit for SUBGRAPH_BREAKER_OPEN_MS. */
  circuitBreaker: { failureThreshold: number; openMs: number };
}

/**
 * A partner key's cost bucket: 2,000 points refilled at 100 a second (Shopify's standard plan
 * today), so the largest manifest operation (StockBySkus, 100 SKUs) fits with room to spare.
 */
export const DEFAULT_PARTNER_COST = { budget: 2000, restoreRate: 100 };

/** How long one subgraph fetch may take (connect, headers, body) before its fields are SUBGRAPH_UNAVAILABLE. */
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 5000;
const TIMEOUT_BOUNDS = { min: 10, max: 600_000 };

export function buildRouterConfig(env: EnvReader, raw: Env): RouterConfig {
  const subgraphUrls: Record<string, string> = {};
  const subgraphTimeouts: Record<string, number> = {};
  for (const key of Object.keys(raw)) {
    const url = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    const timeout = /^SUBGRAPH_([A-Z0-9_]+)_TIMEOUT_MS$/.exec(key);
    if (url) {
      const value = env.url(key, { protocols: ['http', 'https'] });
      if (value) subgraphUrls[url[1]!.toLowerCase()] = value;
    } else if (timeout) {
      subgraphTimeouts[timeout[1]!.toLowerCase()] = env.int(key, DEFAULT_SUBGRAPH_TIMEOUT_MS, TIMEOUT_BOUNDS);
    }
  }
  return {
    port: env.port('PORT', 4000),
    supergraphPath: resolve(env.string('SUPERGRAPH_PATH', 'schema/supergraph.graphql')),
    watchSupergraph: env.bool('SUPERGRAPH_WATCH', true),
    subgraphUrls,
    introspection: env.bool('INTROSPECTION', !env.production),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    redisUrl: env.url('REDIS_URL', { protocols: ['redis', 'rediss'] }),
    jwksUrl: env.url('JWKS_URL', { requiredInProduction: true, protocols: ['http', 'https'] }) ?? DEFAULT_JWKS_URL,
    servicePrivateKey: readPrivateKey(env, 'SERVICE_PRIVATE_KEY'),
    partnerApiKeys: env.list('PARTNER_API_KEYS'),
    partnerManifestPath: resolve(env.string('PARTNER_MANIFEST_PATH', 'clients/partner/persisted-query-manifest.json')),
    limits: {
      maxDepth: env.int('MAX_DEPTH', DEFAULT_LIMITS.maxDepth, { min: 1, max: 1000 }),
      maxAliases: env.int('MAX_ALIASES', DEFAULT_LIMITS.maxAliases, { min: 0, max: 100_000 }),
      maxCost: env.int('MAX_COST', DEFAULT_LIMITS.maxCost, { min: 1, max: 100_000_000 }),
      maxBatch: env.int('MAX_BATCH', DEFAULT_LIMITS.maxBatch, { min: 1, max: 1000 }),
      bodyLimitBytes: env.int('BODY_LIMIT_BYTES', DEFAULT_LIMITS.bodyLimitBytes, { min: 1024, max: 100 * 1024 * 1024 }),
    },
    metricsPort: env.port('METRICS_PORT', 9464),
    rateLimitPerMinute: env.int('RATE_LIMIT_PER_MINUTE', 600, { min: 0, max: 10_000_000 }),
    partnerCost: {
      budget: env.int('PARTNER_COST_BUDGET', DEFAULT_PARTNER_COST.budget, { min: 1, max: 100_000_000 }),
      restoreRate: env.int('PARTNER_COST_RESTORE_RATE', DEFAULT_PARTNER_COST.restoreRate, { min: 1, max: 100_000_000 }),
    },
    trustProxy: trustProxyOf(env.checked('TRUST_PROXY', (value) => (TRUST_PROXY_VALUE.test(value) ? null : 'must be false, true, loopback or a number of proxies 0..10'))),
    corsOrigins: corsOriginsOf(env.checked('CORS_ORIGINS', corsOriginsProblem)),
    subgraphTimeoutMs: env.int('SUBGRAPH_TIMEOUT_MS', DEFAULT_SUBGRAPH_TIMEOUT_MS, TIMEOUT_BOUNDS),
    subgraphTimeouts,
    circuitBreaker: {
      failureThreshold: env.int('SUBGRAPH_BREAKER_FAILURES', 5, { min: 1, max: 10_000 }),
      openMs: env.int('SUBGRAPH_BREAKER_OPEN_MS', 10_000, { min: 100, max: 3_600_000 }),
    },
  };
}

const TRUST_PROXY_VALUE = /^(false|true|loopback|[0-9]|10)$/;

function trustProxyOf(value: string | undefined): TrustProxy {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (value === 'loopback') return 'loopback';
  return Number(value);
}

const listed = (value: string) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');

function corsOriginsProblem(value: string): string | null {
  if (value.trim() === '*') return null;
  const wrong = listed(value).filter((entry) => normalOrigin(entry) === null);
  return wrong.length === 0 ? null : `must be * or origins such as https://shop.example.com (scheme, host and port, no path), got ${wrong.join(', ')}`;
}

function corsOriginsOf(value: string | undefined): CorsOrigins {
  if (value === undefined) return [];
  return value.trim() === '*' ? '*' : listed(value).map((entry) => normalOrigin(entry)!);
}
