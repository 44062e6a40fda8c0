import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AppError } from '@shop/errors';
import type { KeyValueStore } from '@shop/kv';
import { LRUCache } from 'lru-cache';

/** Apollo's persisted query manifest (`apollo-persisted-query-manifest`, version 1). */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: Array<{ id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }>;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Reads and checks a manifest: its format, and that every id is the SHA-256 of its body. */
export async function readPersistedQueryManifest(path: string): Promise<Map<string, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the persisted query manifest at ${path}: ${(error as Error).message}`, { cause: error });
  }
  return manifestOperations(parsed, path);
}

export function manifestOperations(manifest: unknown, where = 'manifest'): Map<string, string> {
  const m = manifest as Partial<PersistedQueryManifest> | null;
  if (m?.format !== 'apollo-persisted-query-manifest' || m.version !== 1 || !Array.isArray(m.operations)) {
    throw new Error(`${where} is not an apollo-persisted-query-manifest, version 1`);
  }
  const byId = new Map<string, string>();
  for (const operation of m.operations) {
    if (typeof operation?.body !== 'string' || sha256Hex(operation.body) !== operation.id) {
      throw new Error(`${where}: operation ${JSON.stringify(operation?.name)} has an id that is not the SHA-256 of its body`);
    }
    byId.set(operation.id, operation.body);
  }
  return byId;
}

/** One GraphQL request as clients send it (POST body or GET parameters). */
export interface GraphQLRequestBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

export type PersistedQueryResult =
  | {
      ok: true;
      query: string | undefined;
      changed: boolean;
      /**
       * Present when the request offers a new APQ document: stores it. Called only once the
       * document has parsed and passed the limits and validation, so no junk is ever kept.
       */
      register?: () => Promise<void>;
    }
  | { ok: false; status: number; error: AppError; headers?: Record<string, string> };

export interface PersistedQueries {
  /**
   * Resolves the query text a request runs. Partner requests (`partner: true`) may run only
   * manifest operations by id. Everyone else may send full queries, or use APQ: a hash alone
   * (a hit, or PERSISTED_QUERY_NOT_FOUND), or hash and query once to register it (`register`,
   * which the caller runs after checking the document; one over `maxQueryBytes` is never kept).
   */
  resolve(body: GraphQLRequestBody, partner: boolean): Promise<PersistedQueryResult>;
}

// Apollo clients retry with the full query on this exact message and code.
const NOT_FOUND_MESSAGE = 'PersistedQueryNotFound';
// APQ documents are a cache, not a registry: a day without use and the client sends it again.
const APQ_TTL_SECONDS = 24 * 3600;
const DEFAULT_MAX_QUERY_BYTES = 32 * 1024;

export function createPersistedQueries(options: {
  kv: KeyValueStore;
  /** The partner manifest: id -> body. */
  manifest: ReadonlyMap<string, string>;
  /** Hash -> query kept in process too (least recently used dropped), so a hot query costs no store round trip. */
  localEntries?: number;
  /** The largest APQ document kept (bytes of UTF-8); a larger one still runs but is not stored. */
  maxQueryBytes?: number;
  /**
   * The store is a cache: while it fails (Redis restarting), a hash alone is a miss (the client
   * sends the query again) and a registration still runs, unstored. Told here, not to the client.
   */
  onStoreError?: (error: unknown) => void;
}): PersistedQueries {
  const storeFailed = (error: unknown) => {
    options.onStoreError?.(error);
    return null;
  };
  const local = new LRUCache<string, string>({ max: options.localEntries ?? 5000, ttl: APQ_TTL_SECONDS * 1000 });
  const maxQueryBytes = options.maxQueryBytes ?? DEFAULT_MAX_QUERY_BYTES;

  return {
    async resolve(body, partner) {
      const persisted = persistedQueryOf(body.extensions);
      if (persisted === 'invalid') {
        return failure(400, 'BAD_REQUEST', 'extensions.persistedQuery must be { version: 1, sha256Hash: "<64 hex digits>" }');
      }
      if (partner) {
        const query = persisted && options.manifest.get(persisted.sha256Hash);
        if (!query) {
          return failure(400, 'PERSISTED_QUERY_NOT_IN_LIST', 'This API key may only run operations of the partner manifest, by id (extensions.persistedQuery.sha256Hash)');
        }
        return { ok: true, query, changed: true };
      }
      if (!persisted) return { ok: true, query: typeof body.query === 'string' ? body.query : undefined, changed: false };

      const { sha256Hash } = persisted;
      if (typeof body.query === 'string') {
        const query = body.query;
        if (sha256Hex(query) !== sha256Hash) return failure(400, 'BAD_REQUEST', 'provided sha does not match query');
        if (local.get(sha256Hash) !== undefined || Buffer.byteLength(query) > maxQueryBytes) return { ok: true, query, changed: true };
        const register = async () => {
          local.set(sha256Hash, query);
          await options.kv.set(apqKey(sha256Hash), query, { ttlSeconds: APQ_TTL_SECONDS }).catch(storeFailed);
        };
        return { ok: true, query, changed: true, register };
      }
      let query = local.get(sha256Hash) ?? options.manifest.get(sha256Hash);
      if (query === undefined) {
        query = (await options.kv.get(apqKey(sha256Hash)).catch(storeFailed)) ?? undefined;
        if (query === undefined) {
          return {
            ok: false,
            status: 200,
            error: new AppError('PERSISTED_QUERY_NOT_FOUND', NOT_FOUND_MESSAGE),
            headers: { 'cache-control': 'private, no-cache, must-revalidate' },
          };
        }
        local.set(sha256Hash, query);
      }
      return { ok: true, query, changed: true };
    },
  };
}

export function apqKey(sha256Hash: string): string {
  return `apq:${sha256Hash}`;
}

function persistedQueryOf(extensions: unknown): { sha256Hash: string } | null | 'invalid' {
  if (extensions === undefined || extensions === null) return null;
  if (typeof extensions !== 'object') return 'invalid';
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (persisted === undefined) return null;
  const { version, sha256Hash } = (persisted ?? {}) as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1 || typeof sha256Hash !== 'string' || !/^[0-9a-f]{64}$/.test(sha256Hash)) return 'invalid';
  return { sha256Hash };
}

function failure(status: number, code: 'BAD_REQUEST' | 'PERSISTED_QUERY_NOT_IN_LIST', message: string): PersistedQueryResult {
  return { ok: false, status, error: new AppError(code, message) };
}
