import { Client, errors, type estypes } from '@elastic/elasticsearch';
import { redactUrl } from '@shop/config';
import type { SearchRepository } from '../repository.js';
import {
  INDEX_SCHEMA_VERSION,
  bulkOperations,
  countListedRequest,
  indexDefinition,
  parseSearchResponse,
  searchRequest,
  unlistRequest,
} from './requests.js';

export interface ElasticsearchRepositoryOptions {
  url: string;
  index: string;
  /** Per request; the client's default is 30 s. */
  requestTimeoutMs?: number;
  /** Retries of a request on connection errors; the client's default is 3. */
  maxRetries?: number;
}

/**
 * Connects, creates the index with the mapping of `requests.ts` when it does not exist (and
 * refuses one made for another mapping), and serves the repository on the official client.
 */
export async function createElasticsearchRepository(options: ElasticsearchRepositoryOptions): Promise<SearchRepository> {
  const client = new Client({
    node: options.url,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 3,
  });
  const { index } = options;
  try {
    await ensureIndex(client, index, options.url);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }

  return {
    kind: 'elasticsearch',
    async apply(operations) {
      if (operations.length === 0) return;
      const response = await client.bulk({ index, operations: bulkOperations(operations) });
      if (response.errors) {
        const failed = response.items.map((item) => Object.values(item)[0]).find((result) => result?.error);
        throw new Error(`Elasticsearch refused an index write: ${failed?.error?.type ?? 'error'}: ${failed?.error?.reason ?? 'unknown'}`);
      }
    },
    async search(request) {
      return parseSearchResponse(await client.search(searchRequest(index, request)), request);
    },
    async unlistOlderThan(version) {
      const response = await client.updateByQuery(unlistRequest(index, version));
      return response.updated ?? 0;
    },
    async countListed() {
      return (await client.count(countListedRequest(index))).count;
    },
    async refresh() {
      await client.indices.refresh({ index });
    },
    async ping() {
      await client.ping();
    },
    async close() {
      await client.close();
    },
  };
}

async function ensureIndex(client: Client, index: string, url: string): Promise<void> {
  let exists: boolean;
  try {
    exists = await client.indices.exists({ index });
  } catch (error) {
    throw new Error(
      `Could not reach Elasticsearch at ${redactUrl(url, 'ELASTICSEARCH_URL')}: ${describe(error)}. ` +
        'Start Elasticsearch, or unset ELASTICSEARCH_URL to use the embedded index (development only).',
      { cause: error },
    );
  }
  if (!exists) {
    try {
      await client.indices.create({ index, ...indexDefinition() });
      return;
    } catch (error) {
      // Another replica created it first: fine, check it like any existing index.
      if (!(error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception')) throw error;
    }
  }
  const mappings = await client.indices.getMapping({ index });
  const found = Object.values(mappings)[0]?.mappings as estypes.MappingTypeMapping | undefined;
  const version = found?._meta?.schemaVersion;
  if (version !== INDEX_SCHEMA_VERSION) {
    throw new Error(
      `Elasticsearch index "${index}" has mapping version ${JSON.stringify(version ?? null)}, this search subgraph needs ` +
        `${INDEX_SCHEMA_VERSION}: set ELASTICSEARCH_INDEX to a new name and run \`npm run reindex\` to fill it.`,
    );
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.ConnectionError) return `connection failed (${error.message})`;
  if (error instanceof errors.TimeoutError) return 'request timed out';
  return error instanceof Error ? error.message : String(error);
}
