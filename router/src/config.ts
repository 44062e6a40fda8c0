import { resolve } from 'node:path';
import type { EnvReader, Env } from '@shop/config';
import { LOG_LEVELS, type LogLevel } from '@shop/subgraph-kit';

export interface RouterConfig {
  port: number;
  supergraphPath: string;
  /** SUBGRAPH_<NAME>_URL overrides, keyed by subgraph name (lower case). */
  subgraphUrls: Record<string, string>;
  introspection: boolean;
  logLevel: LogLevel;
}

export function buildRouterConfig(env: EnvReader, raw: Env): RouterConfig {
  const subgraphUrls: Record<string, string> = {};
  for (const key of Object.keys(raw)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (!match) continue;
    const url = env.url(key, { protocols: ['http', 'https'] });
    if (url) subgraphUrls[match[1]!.toLowerCase()] = url;
  }
  return {
    port: env.port('PORT', 4000),
    supergraphPath: resolve(env.string('SUPERGRAPH_PATH', 'schema/supergraph.graphql')),
    subgraphUrls,
    introspection: env.bool('INTROSPECTION', !env.production),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}
