import { parseAmount } from '@shop/money';

/** A product's current price in integer minor units. */
export interface CatalogPrice {
  minor: number;
  currency: string;
}

/**
 * Where the cart gets prices and learns whether a product exists: always the catalog, never
 * the client or the store. `null` for a product the catalog does not know.
 */
export interface Catalog {
  pricesFor(productIds: readonly string[]): Promise<Map<string, CatalogPrice | null>>;
}

export class CatalogUnavailableError extends Error {
  override name = 'CatalogUnavailableError';
}

const PRICES_QUERY = 'query($r:[_Any!]!){ _entities(representations:$r){ ... on Product { id price { amount currencyCode } } } }';

// Codes with which a products subgraph may say "no such product" for one representation.
const UNKNOWN_PRODUCT_CODES = new Set(['NOT_FOUND', 'BAD_USER_INPUT']);

interface EntitiesResponse {
  data?: { _entities?: Array<{ id?: unknown; price?: { amount?: unknown; currencyCode?: unknown } | null } | null> } | null;
  errors?: Array<{ message?: string; path?: Array<string | number>; extensions?: { code?: unknown } }>;
}

/**
 * The products subgraph as a catalog: ONE `_entities` request per call, straight to the
 * subgraph (prices are public, so no caller credentials are sent). A product it cannot price
 * is never guessed: an odd answer fails the whole call.
 */
export function createProductsCatalog(options: { url: string; timeoutMs?: number }): Catalog {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    async pricesFor(productIds) {
      const ids = [...new Set(productIds)];
      const prices = new Map<string, CatalogPrice | null>();
      if (ids.length === 0) return prices;
      let body: EntitiesResponse;
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ query: PRICES_QUERY, variables: { r: ids.map((id) => ({ __typename: 'Product', id })) } }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = (await response.json()) as EntitiesResponse;
        if (!response.ok && !body.data) throw new Error(`HTTP ${response.status}`);
      } catch (error) {
        throw new CatalogUnavailableError(`Products subgraph at ${options.url} did not answer: ${(error as Error).message}`);
      }
      const entities = body.data?._entities;
      if (!Array.isArray(entities) || entities.length !== ids.length) {
        throw new CatalogUnavailableError(`Products subgraph gave no prices: ${JSON.stringify(body.errors ?? body)}`);
      }
      const unknownIndexes = new Set<number>();
      for (const error of body.errors ?? []) {
        const index = error.path?.[0] === '_entities' ? error.path[1] : undefined;
        if (typeof index === 'number' && UNKNOWN_PRODUCT_CODES.has(String(error.extensions?.code))) {
          unknownIndexes.add(index);
        } else {
          throw new CatalogUnavailableError(`Products subgraph failed: ${error.message ?? 'unknown error'}`);
        }
      }
      ids.forEach((id, i) => {
        const entity = entities[i];
        if (!entity || unknownIndexes.has(i)) {
          prices.set(id, null);
          return;
        }
        const { amount, currencyCode } = entity.price ?? {};
        if (entity.id !== id || typeof amount !== 'string' || typeof currencyCode !== 'string') {
          throw new CatalogUnavailableError(`Products subgraph returned no usable price for product ${JSON.stringify(id)}`);
        }
        prices.set(id, { minor: parseAmount(amount, currencyCode), currency: currencyCode });
      });
      return prices;
    },
  };
}
