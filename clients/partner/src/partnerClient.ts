import { readFileSync } from 'node:fs';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generatePersistedQueryIdsFromManifest, type PersistedQueryManifestForGeneratingPersistedQueryIds } from '@apollo/persisted-query-lists';
import { parse, type DocumentNode } from 'graphql';

// Both sit beside src/ and dist/, so the same URLs work from the sources (tests) and the build.
const MANIFEST_URL = new URL('../persisted-query-manifest.json', import.meta.url);
const OPERATIONS_URL = new URL('../operations/', import.meta.url);

export type PartnerOperationName = 'Categories' | 'ProductBySku' | 'ProductListing' | 'StockBySkus';

export interface PartnerClientOptions {
  /** The router's `/graphql`. */
  url: string;
  /** One of the router's `PARTNER_API_KEYS`. */
  apiKey: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

/**
 * A partner's Apollo Client: Apollo's persisted query list link turns each operation into its
 * manifest id, so only ids and variables go over the wire (a key that sends query text is
 * refused); the normalized cache stores the entities, since the manifest asks for `__typename`.
 */
export function createPartnerClient(options: PartnerClientOptions): ApolloClient {
  const persistedQueries = new PersistedQueryLink(
    generatePersistedQueryIdsFromManifest({ loadManifest: () => readManifest() }),
  );
  const http = new HttpLink({ uri: options.url, headers: { 'x-api-key': options.apiKey }, ...(options.fetch ? { fetch: options.fetch } : {}) });
  return new ApolloClient({ link: persistedQueries.concat(http), cache: new InMemoryCache() });
}

/** A partner operation as a document, from `operations/<name>.graphql` (each file is self-contained). */
export function partnerOperation(name: PartnerOperationName): DocumentNode {
  return parse(readFileSync(new URL(`${name}.graphql`, OPERATIONS_URL), 'utf8'));
}

function readManifest(): PersistedQueryManifestForGeneratingPersistedQueryIds {
  return JSON.parse(readFileSync(MANIFEST_URL, 'utf8')) as PersistedQueryManifestForGeneratingPersistedQueryIds;
}
