import { createLocalJWKSet, errors as joseErrors, type createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { AppError } from '@shop/errors';

/** A remote JWK Set as jose holds it: fetched, cached, fetched again when stale or asked for an unknown `kid`. */
export type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;

/**
 * The keys of `remote` for verifying a token, going on with the last set fetched when fetching
 * it anew fails: jose fetches again once its copy is 10 minutes old, and a publisher that is down
 * for longer (the users subgraph for access tokens, the router for service tokens) must not make
 * every token it ever signed fail. A set never fetched at all fails with SUBGRAPH_UNAVAILABLE
 * (`what` says which tokens), which callers tell apart from a bad token: it is not the token's fault.
 */
export function lastGoodKeys(remote: RemoteKeySet, what: string): JWTVerifyGetKey {
  let last: { set: JSONWebKeySet; keys: JWTVerifyGetKey } | null = null;
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      // The set was fetched and answers about this token (no such key, two of them, an unusable one).
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys || error instanceof joseErrors.JOSENotSupported) {
        throw error;
      }
      const set = remote.jwks();
      if (!set) throw new AppError('SUBGRAPH_UNAVAILABLE', `${what} cannot be checked right now: their keys could not be fetched; retry shortly`);
      if (last?.set !== set) last = { set, keys: createLocalJWKSet(set) };
      return last.keys(header, token);
    }
  };
}

/** True for the error `lastGoodKeys` throws: nobody can tell yet whether the token is good. */
export function isKeysUnavailable(error: unknown): boolean {
  return error instanceof AppError && error.code === 'SUBGRAPH_UNAVAILABLE';
}
