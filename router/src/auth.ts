import { decodeJwt } from 'jose';
import { AppError, unauthenticated } from '@shop/errors';
import { bearerToken, createAccessTokenVerifier, isKeysUnavailable, type AccessTokenVerifier, type Caller, type KeySource, type Logger } from '@shop/subgraph-kit';
import { LRUCache } from 'lru-cache';
import type { Revocations } from './revocations.js';

export type Verified =
  /** `expiresAt`: when the token stops being valid (ms); absent for anonymous callers. */
  | { caller: Caller | null; error: null; expiresAt?: number }
  | { caller: null; error: AppError };

export interface CallerVerifier {
  /** Verifies an `Authorization` header value; no header is an anonymous caller. */
  verify(authorization: string | undefined): Promise<Verified>;
  /** The public keys tokens are verified with, as the router publishes them at /.well-known/jwks.json. */
  keySet: AccessTokenVerifier['keySet'];
}

const ANONYMOUS: Verified = { caller: null, error: null };
const REVOKED_MESSAGE = 'This account no longer exists';

/**
 * Verifies bearer tokens with the kit (EdDSA/ES256 against the users subgraph's JWK Set, expiry,
 * issuer, audience) and remembers the outcome per token until it expires, so a client's repeated
 * requests verify once.
 */
export function createCallerVerifier(
  keys: KeySource | AccessTokenVerifier,
  options: {
    now?: () => number;
    cacheSize?: number;
    /** The deny-list of deleted accounts (absent without an event bus). */
    revocations?: Promise<Revocations> | undefined;
    /** Where a deny-list that cannot be read is reported. */
    logger?: Logger;
  } = {},
): CallerVerifier {
  const now = options.now ?? Date.now;
  const tokens = typeof keys === 'object' && 'verify' in keys ? keys : createAccessTokenVerifier(keys, { now });
  // `epoch`: the deny-list's when verified; after its announcements resumed, verified again.
  const cache = new LRUCache<string, { verified: Verified; until: number; epoch: number }>({ max: options.cacheSize ?? 10_000 });
  return {
    async verify(authorization) {
      if (authorization === undefined || authorization.trim() === '') return ANONYMOUS;
      const revocations = options.revocations ? await options.revocations : null;
      const cached = cache.get(authorization);
      const epoch = revocations?.epoch() ?? 0;
      if (cached && cached.until > now() && cached.epoch === epoch) {
        const userId = cached.verified.caller?.userId;
        return userId !== undefined && revocations?.revokedHere(userId) ? { caller: null, error: unauthenticated(REVOKED_MESSAGE) } : cached.verified;
      }
      const token = bearerToken(authorization);
      let verified: Verified;
      let until = now() + 60_000;
      if (!token) {
        verified = { caller: null, error: unauthenticated('Authorization header must be "Bearer <token>"') };
      } else {
        try {
          const expiresAt = expiryOf(token);
          const caller = await tokens.verify(token);
          const revoked = await revokedOrUnknown(revocations, caller.userId, options.logger);
          verified = revoked ? { caller: null, error: unauthenticated(REVOKED_MESSAGE) } : { caller, error: null, expiresAt };
          // Not known either way (the store did not answer): good for this request, asked again on the next.
          until = revoked === null ? now() : Math.min(until, expiresAt);
        } catch (error) {
          verified = { caller: null, error: error instanceof AppError ? error : unauthenticated('Invalid access token') };
          // The keys could not be fetched: not the token's fault, and not for a minute.
          if (isKeysUnavailable(error)) return verified;
        }
      }
      cache.set(authorization, { verified, until, epoch });
      return verified;
    },
    keySet: () => tokens.keySet(),
  };
}

/**
 * Whether the deny-list has the account; null when its store cannot say (Redis unreachable): the
 * token is then let through, its signature and expiry checked. The deny-list is the second line
 * (the account can no longer sign in or refresh); refusing every new session of every user while
 * Redis is away would be the larger harm.
 */
async function revokedOrUnknown(revocations: Revocations | null, userId: string, logger: Logger | undefined): Promise<boolean | null> {
  if (!revocations) return false;
  try {
    return await revocations.isRevoked(userId);
  } catch (error) {
    logger?.warn('the deny-list of deleted accounts could not be read: token let through, checked again on its next request', { error });
    return null;
  }
}

/** The `exp` of a token whose signature was just verified, in milliseconds. */
function expiryOf(token: string): number {
  const { exp } = decodeJwt(token);
  return typeof exp === 'number' ? exp * 1000 : 0;
}
