import { SERVICE_KEYS_PATH, type JSONWebKeySet, type JWK, type Logger } from '@shop/subgraph-kit';
import type { SubgraphEndpoint } from './supergraph.js';

export interface ServiceKeyDirectory {
  /** Every service's public keys: the router's own and each subgraph's, as published at SERVICE_KEYS_PATH. */
  keySet(): Promise<JSONWebKeySet>;
}

/**
 * The router publishes, at `/.well-known/service-jwks.json`, the public keys of every service
 * (SERVICE_JWKS_URL of the subgraphs): its own, and those each subgraph of the supergraph
 * publishes on its own port. A key is kept only when its `kid` is led by the name of the subgraph
 * it was fetched from, so a subgraph can vouch for its own identity and no other. The set is
 * cached for `maxAgeMs` and fetched again at most once at a time; a subgraph that does not
 * answer keeps the keys it had.
 */
export function createServiceKeyDirectory(options: {
  subgraphs: () => readonly SubgraphEndpoint[];
  own: readonly JWK[];
  logger: Logger;
  maxAgeMs?: number;
  now?: () => number;
}): ServiceKeyDirectory {
  const now = options.now ?? Date.now;
  const maxAge = options.maxAgeMs ?? 5_000;
  const known = new Map<string, JWK[]>();
  let fetched = 0;
  let refreshing: Promise<void> | null = null;

  const fetchOne = async ({ name, url }: SubgraphEndpoint) => {
    try {
      const response = await fetch(new URL(SERVICE_KEYS_PATH, url), { signal: AbortSignal.timeout(2000) });
      // A subgraph that calls nobody has no key of its own.
      if (response.status === 404) return void known.set(name, []);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { keys?: unknown };
      const keys = Array.isArray(body.keys) ? (body.keys as JWK[]) : [];
      known.set(
        name,
        keys.filter((key) => typeof key.kid === 'string' && key.kid.startsWith(`${name}/`) && !('d' in key)),
      );
    } catch (error) {
      options.logger.warn('a subgraph did not give its service keys; keeping the ones it gave before', { subgraph: name, error: (error as Error).message });
    }
  };

  return {
    async keySet() {
      if (now() - fetched > maxAge) {
        refreshing ??= Promise.all(options.subgraphs().map(fetchOne)).then(() => {
          fetched = now();
          refreshing = null;
        });
        await refreshing;
      }
      return { keys: [...options.own, ...[...known.values()].flat()] };
    },
  };
}
