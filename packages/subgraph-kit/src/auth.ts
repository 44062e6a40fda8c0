import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { AppError, forbidden, unauthenticated } from '@shop/errors';
import { SIGNING_ALGORITHMS, type SigningKey } from './keys.js';
import { lastGoodKeys } from './remoteKeys.js';
import { verifiedTokens, type Verified } from './verifiedTokens.js';

export type CallerRole = 'CUSTOMER' | 'ADMIN';

export interface Caller {
  userId: string;
  role: CallerRole;
}

/** Where the users subgraph publishes its public keys when it runs on this machine (JWKS_URL's default). */
export const DEFAULT_JWKS_URL = 'http://localhost:4001/.well-known/jwks.json';

const ISSUER = 'shop-users';
const AUDIENCE = 'shop';

export interface AccessTokenOptions {
  key: SigningKey;
  ttlSeconds: number;
  /** Milliseconds since the epoch; default Date.now (tests sign tokens in the past). */
  now?: () => number;
}

/** Signs an access token for `caller` (users does this; tests sign their own with a test key). */
export async function signAccessToken(caller: Caller, options: AccessTokenOptions): Promise<string> {
  const issuedAt = Math.floor((options.now ?? Date.now)() / 1000);
  return new SignJWT({ role: caller.role, typ: 'access' })
    .setProtectedHeader({ alg: options.key.alg, kid: options.key.kid, typ: 'JWT' })
    .setSubject(caller.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + options.ttlSeconds)
    .sign(options.key.privateKey);
}

export interface AccessTokenVerifier {
  /** The caller a token names, or UNAUTHENTICATED saying why not. */
  verify(token: string): Promise<Caller>;
  /**
   * The public keys tokens are checked against (for the router to publish again): the cached
   * remote set, fetched again once it is stale; the last one fetched when that fails.
   */
  keySet(): Promise<JSONWebKeySet>;
}

/** Where public keys come from: the JWK Set at a URL (JWKS_URL), or a set in hand (users itself, tests). */
export type KeySource = string | JSONWebKeySet;

export interface VerifierOptions {
  /**
   * How long after a fetch of the remote set a token with an unknown `kid` may trigger the next
   * one (default 30 s): a stream of made-up `kid`s costs at most one fetch per interval.
   */
  refetchCooldownMs?: number;
  /**
   * How long a fetched remote set is used before it is fetched again (default 10 minutes). When
   * that fails, the last set fetched goes on serving (see lastGoodKeys).
   */
  keysMaxAgeMs?: number;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

/**
 * Verifies access tokens against the users subgraph's public keys. A remote set is fetched once,
 * cached (10 minutes) and fetched again when a token names a `kid` it does not hold, so a rotated
 * key is picked up without a restart. Only EdDSA and ES256 are accepted.
 */
export function createAccessTokenVerifier(source: KeySource, options: VerifierOptions = {}): AccessTokenVerifier {
  // Read at each call, not captured: a test that moves the system clock moves the verifier's too.
  const now = options.now ?? (() => Date.now());
  const verifying = (keys: JWTVerifyGetKey) => verifiedTokens(keys, now, (token, getKey) => verifyAccessToken(token, getKey, now));
  if (typeof source !== 'string') {
    return { verify: verifying(createLocalJWKSet(source)), keySet: async () => source };
  }
  const remote = createRemoteJWKSet(new URL(source), { cooldownDuration: options.refetchCooldownMs ?? 30_000, cacheMaxAge: options.keysMaxAgeMs ?? 600_000 });
  return {
    verify: verifying(lastGoodKeys(remote, 'Access tokens')),
    async keySet() {
      if (!remote.fresh) {
        try {
          await remote.reload();
        } catch (error) {
          const stale = remote.jwks();
          if (!stale) throw error;
          return stale;
        }
      }
      return remote.jwks() ?? { keys: [] };
    },
  };
}

async function verifyAccessToken(token: string, keys: JWTVerifyGetKey, now: () => number): Promise<Verified<Caller>> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: [...SIGNING_ALGORITHMS],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: new Date(now()),
    });
    const role = payload.role;
    if (typeof payload.sub !== 'string' || (role !== 'CUSTOMER' && role !== 'ADMIN') || payload.typ !== 'access') {
      throw unauthenticated('Invalid access token');
    }
    // jose refuses a token without `exp` only when asked; one without is good until the key goes.
    const until = typeof payload.exp === 'number' ? payload.exp * 1000 : Number.POSITIVE_INFINITY;
    return { value: { userId: payload.sub, role }, from: typeof payload.nbf === 'number' ? payload.nbf * 1000 : Number.NEGATIVE_INFINITY, until };
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('Access token expired');
    throw unauthenticated('Invalid access token');
  }
}

/** The token of an `Authorization: Bearer <jwt>` header; null when the header has another shape. */
export function bearerToken(header: string): string | null {
  return /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] ?? null;
}

/** Reads `Authorization: Bearer <jwt>`; no header means an anonymous caller. */
export async function callerFromAuthorization(
  header: string | undefined,
  verifier: AccessTokenVerifier,
): Promise<{ caller: Caller | null; authError: AppError | null }> {
  if (header === undefined || header.trim() === '') return { caller: null, authError: null };
  const token = bearerToken(header);
  if (!token) return { caller: null, authError: unauthenticated('Authorization header must be "Bearer <token>"') };
  try {
    return { caller: await verifier.verify(token), authError: null };
  } catch (error) {
    return { caller: null, authError: error as AppError };
  }
}

export interface AuthContext {
  caller: Caller | null;
  authError: AppError | null;
}

export function requireCaller(ctx: AuthContext): Caller {
  if (ctx.authError) throw ctx.authError;
  if (!ctx.caller) throw unauthenticated();
  return ctx.caller;
}

export function requireAdmin(ctx: AuthContext): Caller {
  const caller = requireCaller(ctx);
  if (caller.role !== 'ADMIN') throw forbidden('Only an ADMIN may do this');
  return caller;
}
