import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, SignJWT, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { AppError, forbidden, unauthenticated } from '@shop/errors';
import type { KeySource } from './auth.js';
import { SIGNING_ALGORITHMS, type KeyRing, type SigningKey } from './keys.js';
import { lastGoodKeys } from './remoteKeys.js';
import { verifiedTokens, type Verified } from './verifiedTokens.js';

/** The request header that carries a service token on every internal call. */
export const SERVICE_TOKEN_HEADER = 'x-service-token';
/** The router: the one caller every subgraph serves. */
export const ROUTER_SERVICE = 'router';

const TOKEN_TYPE = 'service+jwt';
const DEFAULT_TTL_SECONDS = 60;
const MAX_TOKEN_AGE_SECONDS = 300;

/** The path where a service publishes its own public keys (`kid`s led by its name), for the router to collect. */
export const SERVICE_KEYS_PATH = '/.well-known/service-jwks.json';

/**
 * A service's key ring with every `kid` led by its name (`orders/<thumbprint>`): the form its keys
 * are published and its tokens signed in, so a verifier can tell whose key signed.
 */
export function namedKeyRing(name: string, ring: KeyRing): KeyRing {
  const named = (kid: string | undefined) => (kid?.startsWith(`${name}/`) ? kid : `${name}/${kid ?? ''}`);
  return {
    signing: { ...ring.signing, kid: named(ring.signing.kid), publicJwk: { ...ring.signing.publicJwk, kid: named(ring.signing.publicJwk.kid) } },
    published: ring.published.map((jwk) => ({ ...jwk, kid: named(jwk.kid) })),
  };
}

/** Who this process is when it calls another service, and the key that proves it. */
export interface ServiceIdentity {
  name: string;
  key: SigningKey;
}

/** A verified internal caller and what the called subgraph lets it do. */
export interface ServiceCaller {
  name: string;
  scopes: readonly string[];
}

export interface ServiceCredentials {
  readonly name: string;
  /** A token for calls to `audience` (a subgraph name); reused until half its life is gone. */
  token(audience: string): Promise<string>;
  /** The header to add to a call to `audience`. */
  headers(audience: string): Promise<Record<string, string>>;
}

/**
 * Short-lived (60 s) tokens this service signs with its own key, one per audience: proof of who
 * calls, bound to the one subgraph it is sent to, so a token seen by one subgraph is useless at another.
 */
export function createServiceCredentials(identity: ServiceIdentity, options: { ttlSeconds?: number; now?: () => number } = {}): ServiceCredentials {
  // Read at each call, not captured: a test that moves the system clock moves the verifier's too.
  const now = options.now ?? (() => Date.now());
  const ttl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  const cached = new Map<string, { token: Promise<string>; signedAt: number; renewAt: number }>();
  const token = (audience: string) => {
    const time = now();
    const entry = cached.get(audience);
    // A clock set back (NTP, a test) would make a cached token look issued in the future.
    if (entry && entry.renewAt > time && entry.signedAt <= time) return entry.token;
    const issuedAt = Math.floor(time / 1000);
    const signed = new SignJWT({})
      .setProtectedHeader({ alg: identity.key.alg, kid: identity.key.kid, typ: TOKEN_TYPE })
      .setIssuer(identity.name)
      .setSubject(identity.name)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .sign(identity.key.privateKey);
    cached.set(audience, { token: signed, signedAt: time, renewAt: time + (ttl * 1000) / 2 });
    signed.catch(() => cached.delete(audience));
    return signed;
  };
  return {
    name: identity.name,
    token,
    headers: async (audience) => ({ [SERVICE_TOKEN_HEADER]: await token(audience) }),
  };
}

export interface ServiceVerifier {
  /** The caller a service token proves, or UNAUTHENTICATED saying why not. */
  verify(token: string): Promise<ServiceCaller>;
}

export interface ServiceVerifierOptions {
  /** The name of the subgraph being called: a token for any other audience is refused. */
  audience: string;
  /**
   * The services' public keys (SERVICE_JWKS_URL, the router's set; a set in hand; or, for the
   * router, its own directory of them, asked with the `kid` a token names), each `kid` led by
   * its service's name.
   */
  keys: KeySource | ((kid: string | undefined) => Promise<JSONWebKeySet>);
  /**
   * The services allowed to call, each with the scopes it is granted here. Granting is the
   * called subgraph's decision: a caller's token says who it is, never what it may do.
   */
  callers: Readonly<Record<string, readonly string[]>>;
  now?: () => number;
}

/**
 * Verifies service tokens: the issuer must be an allowed caller, and the signature must be by
 * one of that issuer's own keys: its `kid` is led by the issuer's name (`orders/…`), which the
 * router checks against the subgraph that published the key, so no service can sign as another.
 */
export function createServiceVerifier(options: ServiceVerifierOptions): ServiceVerifier {
  const now = options.now ?? (() => Date.now());
  return { verify: verifiedTokens(serviceKeysOf(options.keys), now, (token, keys) => verifyServiceToken(token, keys, options, now)) };
}

async function verifyServiceToken(token: string, keys: JWTVerifyGetKey, options: ServiceVerifierOptions, now: () => number): Promise<Verified<ServiceCaller>> {
  let issuer: unknown;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    throw unauthenticated('Invalid service token');
  }
  if (typeof issuer !== 'string' || !Object.hasOwn(options.callers, issuer)) {
    throw unauthenticated(`This service does not serve ${typeof issuer === 'string' ? JSON.stringify(issuer) : 'that caller'}`);
  }
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keys, {
      algorithms: [...SIGNING_ALGORITHMS],
      issuer,
      subject: issuer,
      audience: options.audience,
      typ: TOKEN_TYPE,
      requiredClaims: ['exp', 'iat'],
      // A token is minted for one call (or a minute of them): one that claims to live longer was not made by us.
      maxTokenAge: `${MAX_TOKEN_AGE_SECONDS}s`,
      currentDate: new Date(now()),
    });
    if (!protectedHeader.kid?.startsWith(`${issuer}/`)) throw unauthenticated(`Service token not signed by a key of ${JSON.stringify(issuer)}`);
    const { exp, iat } = payload as { exp: number; iat: number };
    if (exp - iat > MAX_TOKEN_AGE_SECONDS) throw unauthenticated('Service token lives too long');
    // jose refuses a token issued in the future or older than maxTokenAge: the same window when kept.
    return { value: { name: issuer, scopes: options.callers[issuer] ?? [] }, from: iat * 1000, until: Math.min(exp, iat + MAX_TOKEN_AGE_SECONDS) * 1000 };
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('Service token expired');
    throw unauthenticated('Invalid service token');
  }
}

function serviceKeysOf(source: ServiceVerifierOptions['keys']): JWTVerifyGetKey {
  // A restarted service may bring a new key: look again soon, not after jose's default 30 s.
  if (typeof source === 'string') return lastGoodKeys(createRemoteJWKSet(new URL(source), { cooldownDuration: 5_000 }), 'Service tokens');
  if (typeof source === 'function') {
    // One reader per set handed out, so the same set gives the same key (what kept tokens are checked by).
    const readers = new WeakMap<JSONWebKeySet, JWTVerifyGetKey>();
    return async (header, token) => {
      const set = await source(header.kid);
      let read = readers.get(set);
      if (!read) readers.set(set, (read = createLocalJWKSet(set)));
      return read(header, token);
    };
  }
  return createLocalJWKSet(source);
}

export interface ServiceAuthContext {
  /** The internal caller (the router or a named service), null when none proved itself. */
  service: ServiceCaller | null;
}

/** Refuses unless the request comes from a service this subgraph granted `scope`. */
export function requireServiceScope(ctx: ServiceAuthContext, scope: string): ServiceCaller {
  const service = ctx.service;
  if (!service || !service.scopes.includes(scope)) throw forbidden(`Only a service granted "${scope}" may do this`);
  return service;
}
