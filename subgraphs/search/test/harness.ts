import { readConfig } from '@shop/config';
import { createEvent, createMemoryBus, type EventBus } from '@shop/events';
import { createLogger, type Logger } from '@shop/subgraph-kit';
import { eventually as readUntil, graphql, type GraphQLResponse, callAsRouter, serviceTrustEnv } from '@shop/testing';
import { buildSearchConfig } from '../src/config.js';
import type { SearchRepository } from '../src/repository.js';
import { createSearchSubgraph, type SearchSubgraph } from '../src/server.js';

export interface RunningSearch {
  url: string;
  bus: EventBus;
  subgraph: SearchSubgraph;
  stop(): Promise<void>;
}

/**
 * The subgraph on a free loopback port with the in-process bus (or the one given), configured
 * from an explicit environment, never the shell's (so an ELASTICSEARCH_URL there does not change
 * what these tests run against).
 */
export async function startSearch(options: { env?: Record<string, string>; bus?: EventBus; repository?: SearchRepository; logger?: Logger } = {}): Promise<RunningSearch> {
  const { config } = readConfig({ LOG_LEVEL: 'silent', ...(await serviceTrustEnv('search')), ...options.env }, buildSearchConfig);
  const logger = options.logger ?? createLogger({ service: 'search', level: 'silent' });
  const bus = options.bus ?? createMemoryBus();
  const subgraph = await createSearchSubgraph(config, { logger, bus, ...(options.repository ? { repository: options.repository } : {}) });
  const { url } = await subgraph.listen(0, '127.0.0.1');
  callAsRouter(url, 'search');
  return {
    url,
    bus,
    subgraph,
    async stop() {
      await subgraph.stop();
      if (!options.bus) await bus.close();
    },
  };
}

export function publish(bus: EventBus, source: string, type: string, key: string, data: unknown): Promise<void> {
  return bus.publish([createEvent(source, type, key, data)]);
}

/** Retries `check` until it passes or `withinMs` is over, then fails with its last error. */
export async function eventually<T>(check: () => Promise<T>, withinMs = 10_000): Promise<T> {
  const last = await readUntil(
    () => check().then((value) => ({ value }), (error: unknown) => ({ error })),
    (outcome) => !('error' in outcome),
    withinMs,
  );
  if ('error' in last) throw last.error;
  return last.value;
}

export const SEARCH = `
  query Search($query: String, $filter: SearchFilter, $sort: SearchSort, $first: Int, $after: String) {
    searchProducts(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {
      totalCount
      nodes { id }
      pageInfo { hasNextPage endCursor }
      facets { field values { value count } }
      priceRange { min { amount currencyCode } max { amount currencyCode } }
    }
  }`;

export interface SearchData {
  searchProducts: {
    totalCount: number;
    nodes: { id: string }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    facets: { field: string; values: { value: string; count: number }[] }[];
    priceRange: { min: { amount: string; currencyCode: string }; max: { amount: string; currencyCode: string } } | null;
  };
}

export function searchProducts(url: string, variables: Record<string, unknown>): Promise<GraphQLResponse<SearchData>> {
  return graphql<SearchData>(url, SEARCH, variables);
}
