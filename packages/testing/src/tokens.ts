import { createServer } from 'node:http';
import {
  createAccessTokenVerifier,
  createServiceCredentials,
  generateKeyJwk,
  generateKeyRing,
  keySetOf,
  serviceKeyRing,
  signAccessToken,
  type Caller,
  type JSONWebKeySet,
  type KeyRing,
  type ServiceCredentials,
} from '@shop/subgraph-kit';
import { listenInBackground } from './ports.js';

/**
 * What the users subgraph is to every other service, for tests: a signing key and its JWK Set
 * served over real HTTP (`jwksUrl` goes where JWKS_URL would), so subgraphs and the router verify
 * test tokens exactly as they verify production ones.
 */
export interface TokenIssuer {
  jwksUrl: string;
  keys: KeyRing;
  /** An access token for `userId` (default role CUSTOMER, 15 minutes). */
  sign(userId: string, role?: Caller['role'], options?: { ttlSeconds?: number; now?: () => number }): Promise<string>;
  /** Verifies a token against the keys published right now, as a subgraph would. */
  verify(token: string): Promise<Caller>;
  /** Signs with a new key from now on, still publishing the old one (a key rotation). */
  rotate(): Promise<void>;
  /** How many times the JWK Set was fetched. */
  readonly fetches: number;
  stop(): Promise<void>;
}

export async function startTokenIssuer(): Promise<TokenIssuer> {
  let keys = await generateKeyRing();
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keySetOf(keys.published)));
  });
  // A shared issuer must not keep a test process alive.
  const port = await listenInBackground(server);
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get keys() {
      return keys;
    },
    get fetches() {
      return fetches;
    },
    sign: (userId, role = 'CUSTOMER', options = {}) =>
      signAccessToken({ userId, role }, { key: keys.signing, ttlSeconds: options.ttlSeconds ?? 900, ...(options.now ? { now: options.now } : {}) }),
    verify: (token) => createAccessTokenVerifier(keySetOf(keys.published)).verify(token),
    async rotate() {
      const next = await generateKeyRing();
      keys = { signing: next.signing, published: [...next.published, ...keys.published] };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let shared: Promise<TokenIssuer> | null = null;

/** One issuer per test process, started on first use: what most suites need. */
export function testTokenIssuer(): Promise<TokenIssuer> {
  shared ??= startTokenIssuer();
  return shared;
}

/** A service's own key for tests: its SERVICE_PRIVATE_KEY text, the public set callees trust, and tokens signed with it. */
export interface TestServiceKey {
  name: string;
  privateKey: string;
  /** The key as a service holds it (e.g. RouterOptions.serviceKey). */
  ring: KeyRing;
  keySet: JSONWebKeySet;
  credentials: ServiceCredentials;
}

export async function testServiceKey(name: string): Promise<TestServiceKey> {
  const privateKey = JSON.stringify(await generateKeyJwk());
  const ring = await serviceKeyRing(name, { text: privateKey }, () => undefined);
  return { name, privateKey, ring, keySet: keySetOf(ring.published), credentials: createServiceCredentials({ name, key: ring.signing }) };
}
