import { generateKeyPairSync } from 'node:crypto';
import { parse, type DocumentNode } from 'graphql';
import { createMemoryStore, type KeyValueStore } from '@shop/kv';
import {
  createLogger,
  createSubgraphServer,
  importKeyRing,
  signAccessToken,
  type Caller,
  type JSONWebKeySet,
  type RequestBase,
  type SubgraphServer,
} from '@shop/subgraph-kit';
import { composeSupergraph } from '../src/index.js';
import { TEST_INTERNAL_CALLS } from '@shop/testing';

// Fixture subgraphs are built while suites are declared, so the users key set is made synchronously.
const privateJwk = { ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid: 'fixture-key' };
/** The JWK Set the fixture subgraphs and routers verify access tokens against. */
export const keySet: JSONWebKeySet = {
  keys: [{ kty: privateJwk.kty!, crv: privateJwk.crv!, x: privateJwk.x!, kid: privateJwk.kid, alg: 'EdDSA', use: 'sig' }],
};
const keyRing = importKeyRing(JSON.stringify(privateJwk));

/** An access token as users would sign it, verifiable against `keySet`. */
export async function tokenFor(userId: string, role: Caller['role'] = 'CUSTOMER', options: { ttlSeconds?: number; now?: () => number } = {}) {
  return signAccessToken({ userId, role }, { key: (await keyRing).signing, ttlSeconds: options.ttlSeconds ?? 60, ...(options.now ? { now: options.now } : {}) });
}
export const logger = createLogger({ service: 'test', level: 'silent' });

// "catalog" owns Item; "prices" adds Item.price.
export const catalogSdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Item @key(fields: "id") { id: ID! name: String! tags: [String!]! }
  type Query { items(first: Int): [Item!]!  item(id: ID!): Item  whoami: String }
  type Mutation { rename(id: ID!, name: String!): Item! }
`);
export const pricesSdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Item @key(fields: "id") { id: ID! price: String }
`);

export function catalog() {
  return createSubgraphServer<RequestBase>({ internalCalls: TEST_INTERNAL_CALLS,
    name: 'catalog',
    typeDefs: catalogSdl,
    accessTokens: keySet,
    logger,
    context: (base) => base,
    resolvers: {
      Query: {
        items: (_: unknown, args: { first?: number }) =>
          Array.from({ length: Math.min(args.first ?? 3, 100) }, (_, i) => ({ id: `i${i + 1}`, name: `Item ${i + 1}`, tags: ['a', 'b'] })),
        item: (_: unknown, args: { id: string }) => ({ id: args.id, name: `Item ${args.id.slice(1)}`, tags: [] }),
        whoami: (_: unknown, __: unknown, ctx: RequestBase) => ctx.caller?.userId ?? null,
      },
      Mutation: { rename: (_: unknown, args: { id: string; name: string }) => ({ id: args.id, name: args.name, tags: [] }) },
      Item: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `Item ${ref.id.slice(1)}`, tags: [] }) },
    } as never,
  });
}

export function prices() {
  return createSubgraphServer<RequestBase>({ internalCalls: TEST_INTERNAL_CALLS,
    name: 'prices',
    typeDefs: pricesSdl,
    accessTokens: keySet,
    logger,
    context: (base) => base,
    resolvers: {
      Item: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, price: `${ref.id.slice(1)}.99` }) },
    } as never,
  });
}

/** Starts catalog and prices on free ports: their supergraph, and the servers to stop. */
export async function startCatalogAndPrices(): Promise<{ supergraphSdl: string; servers: SubgraphServer[] }> {
  const servers = [catalog(), prices()];
  const [c, p] = await Promise.all(servers.map((s) => s.listen(0, '127.0.0.1')));
  const { supergraphSdl } = composeSupergraph([
    { name: 'catalog', url: c!.url, typeDefs: catalogSdl },
    { name: 'prices', url: p!.url, typeDefs: pricesSdl },
  ]);
  return { supergraphSdl, servers };
}

/**
 * An in-process store that counts live channel subscriptions, so a test waits until a subgraph
 * really listens instead of guessing how long that takes on a busy machine.
 */
export function countingStore(): { kv: KeyValueStore; listening: () => number } {
  const store = createMemoryStore();
  let listening = 0;
  const kv: KeyValueStore = {
    ...store,
    async subscribe(channel, listener) {
      const off = await store.subscribe(channel, listener);
      listening += 1;
      return async () => {
        listening -= 1;
        await off();
      };
    },
  };
  return { kv, listening: () => listening };
}

const CACHE_HINTS = `
  enum CacheControlScope @inaccessible { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
`;

/**
 * A fixture subgraph's SDL (federation 2.7: `@key`, `@inaccessible` and `imports`) that may give
 * `@cacheControl` hints, which its Apollo Server turns into a `cache-control` header.
 */
export function hintedSdl(types: string, imports: readonly string[] = []): DocumentNode {
  const names = ['@key', '@inaccessible', ...imports].map((name) => `"${name}"`).join(', ');
  return parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${names}]) ${CACHE_HINTS} ${types}`);
}

/** Users' `me` as the router sees it: private to its caller for 60 s; `rename` changes the caller's name. */
export const meSdl = hintedSdl(`
  type User @key(fields: "id") { id: ID! name: String! }
  type Query { me: User @cacheControl(maxAge: 60, scope: PRIVATE) }
  type Mutation { rename(name: String!): User! }
`);

export interface Fixture {
  name: string;
  typeDefs: DocumentNode;
  server: SubgraphServer;
}

/** A fixture subgraph that verifies its callers' access tokens against `keySet` (`ctx.caller`). */
export function fixtureSubgraph(name: string, typeDefs: DocumentNode, resolvers: Record<string, unknown>): Fixture {
  const server = createSubgraphServer<RequestBase>({ name, typeDefs, internalCalls: TEST_INTERNAL_CALLS, accessTokens: keySet, logger, context: (base) => base, resolvers: resolvers as never });
  return { name, typeDefs, server };
}

/** Starts the fixtures on free ports: their supergraph. */
export async function startFixtures(fixtures: readonly Fixture[]): Promise<string> {
  const listening = await Promise.all(fixtures.map((fixture) => fixture.server.listen(0, '127.0.0.1')));
  return composeSupergraph(fixtures.map((fixture, i) => ({ name: fixture.name, url: listening[i]!.url, typeDefs: fixture.typeDefs }))).supergraphSdl;
}

export async function stopFixtures(fixtures: readonly Fixture[]): Promise<void> {
  await Promise.all(fixtures.map((fixture) => fixture.server.stop()));
}

export async function json(response: Response): Promise<any> {
  return response.json();
}

/** A Clock that moves only when a test says so; due tasks run in time order on `advance`. */
export function manualClock(start = Date.now()) {
  let now = start;
  let tasks: Array<{ at: number; task: () => void }> = [];
  return {
    now: () => now,
    after(ms: number, task: () => void) {
      const entry = { at: now + ms, task };
      tasks.push(entry);
      return () => void (tasks = tasks.filter((t) => t !== entry));
    },
    advance(ms: number) {
      now += ms;
      const due = tasks.filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
      tasks = tasks.filter((t) => t.at > now);
      for (const { task } of due) task();
    },
  };
}
