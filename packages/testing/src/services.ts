import { createServer } from 'node:http';
import { keySetOf, ROUTER_SERVICE, type JWK } from '@shop/subgraph-kit';
import { listenInBackground } from './ports.js';
import { testServiceKey, type TestServiceKey } from './tokens.js';

/**
 * What the router's `/.well-known/service-jwks.json` is to subgraphs, for tests: the public keys
 * of a test router and of every service key a test asks for, served over real HTTP (`url` goes
 * where SERVICE_JWKS_URL would), so subgraphs check test callers exactly as they check real ones.
 */
export interface ServiceTrust {
  /** SERVICE_JWKS_URL for subgraphs under test. */
  url: string;
  /** The router's key (RouterOptions.serviceKey) and its tokens. */
  router: TestServiceKey;
  /** The key of service `name` (its SERVICE_PRIVATE_KEY), trusted; one per name. */
  serviceKey(name: string): Promise<TestServiceKey>;
  /** Trusts keys a service publishes itself (its /.well-known/service-jwks.json). */
  trust(keys: readonly JWK[]): void;
}

let shared: Promise<ServiceTrust> | null = null;

/** One per test process, started on first use. */
export function testServiceTrust(): Promise<ServiceTrust> {
  shared ??= startServiceTrust();
  return shared;
}

// Every service's key exists from the start: subgraphs fetch the set once and then only look
// again for an unknown `kid` after a cooldown, as in production.
const SERVICES = ['users', 'products', 'inventory', 'orders', 'payments', 'cart', 'search', 'shipping', 'notifications', 'analytics'];

async function startServiceTrust(): Promise<ServiceTrust> {
  const router = await testServiceKey(ROUTER_SERVICE);
  const named = new Map(await Promise.all(SERVICES.map(async (name) => [name, await testServiceKey(name)] as const)));
  const keys: JWK[] = [...router.keySet.keys, ...[...named.values()].flatMap((key) => key.keySet.keys)];
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/service-jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keySetOf(keys)));
  });
  const port = await listenInBackground(server);
  return {
    url: `http://127.0.0.1:${port}/.well-known/service-jwks.json`,
    router,
    async serviceKey(name) {
      const known = named.get(name);
      if (known) return known;
      const key = await testServiceKey(name);
      named.set(name, key);
      keys.push(...key.keySet.keys);
      return key;
    },
    trust(more) {
      keys.push(...more);
    },
  };
}

// Subgraphs under test, by origin: requests to them from `graphql()` carry the router's token,
// as every request that reaches a subgraph in production does.
const subgraphsUnderTest = new Map<string, string>();

/** From now on, `graphql()` calls to `url` come "through the router" of `testServiceTrust()`. */
export function callAsRouter(url: string, subgraph: string): void {
  subgraphsUnderTest.set(new URL(url).origin, subgraph);
}

/** The router's service-token header for the subgraph at `url`, when `callAsRouter` named one there. */
export async function routerHeadersFor(url: string): Promise<Record<string, string>> {
  const subgraph = subgraphsUnderTest.get(new URL(url).origin);
  if (subgraph === undefined) return {};
  return (await testServiceTrust()).router.credentials.headers(subgraph);
}

/**
 * The trust settings of a subgraph under test: SERVICE_JWKS_URL of `testServiceTrust()`, and a
 * SERVICE_PRIVATE_KEY of its own that the other subgraphs under test trust.
 */
export async function serviceTrustEnv(name: string): Promise<{ SERVICE_JWKS_URL: string; SERVICE_PRIVATE_KEY: string }> {
  const trust = await testServiceTrust();
  return { SERVICE_JWKS_URL: trust.url, SERVICE_PRIVATE_KEY: (await trust.serviceKey(name)).privateKey };
}

/** `internalCalls` for a kit server under test: it serves the router of `testServiceTrust()`. */
export const TEST_INTERNAL_CALLS = { keys: async () => (await testServiceTrust()).router.keySet };

/** The router's key for a router under test (RouterOptions.serviceKey), trusted by TEST_INTERNAL_CALLS. */
export async function testRouterKey(): Promise<TestServiceKey['ring']> {
  return (await testServiceTrust()).router.ring;
}

/** The headers of a call from service `name` (its key trusted by `testServiceTrust()`) to subgraph `audience`. */
export async function serviceHeaders(name: string, audience: string): Promise<Record<string, string>> {
  return (await (await testServiceTrust()).serviceKey(name)).credentials.headers(audience);
}
