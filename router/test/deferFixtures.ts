import { parse } from 'graphql';
import { createSubgraphServer, type RequestBase, type SubgraphServer } from '@shop/subgraph-kit';
import { composeSupergraph } from '../src/index.js';
import { keySet, logger } from './fixtures.js';
import { TEST_INTERNAL_CALLS } from '@shop/testing';

// A product page across two subgraphs for @defer: the catalog owns products, reviews adds
// Product.reviews. Reviews can be held back until a test lets them go, so a test knows the
// product reached the client before any review existed.
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
export const deferCatalogSdl = parse(`${LINK}
  type Product @key(fields: "id") { id: ID! name: String! }
  type Query { product(id: ID!): Product products: [Product!]! }
`);
export const deferReviewsSdl = parse(`${LINK}
  type Product @key(fields: "id") { id: ID! reviews: [Review!]! rating: Float! }
  type Review { id: ID! body: String! stars: Int! }
`);

const products = [
  { id: 'p1', name: 'Kettle' },
  { id: 'p2', name: 'Teapot' },
];
const reviews: Record<string, Array<{ id: string; body: string; stars: number | null }>> = {
  p1: [{ id: 'r1', body: 'Boils fast', stars: 5 }, { id: 'r2', body: 'Loud', stars: 3 }],
  // A review whose stars were lost: Review.stars is non-null, so this breaks the schema's promise.
  p2: [{ id: 'r3', body: 'Lovely', stars: null }],
};

/** Holds reviews until `open()`; open from the start unless `hold()` was called. */
export function reviewsGate() {
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  return {
    hold() {
      gate = new Promise<void>((resolve) => (release = resolve));
    },
    open: () => release(),
    wait: () => gate,
  };
}

export async function startDeferSubgraphs(gate: ReturnType<typeof reviewsGate>): Promise<{ supergraphSdl: string; servers: SubgraphServer[] }> {
  const server = (name: string, typeDefs: ReturnType<typeof parse>, resolvers: Record<string, unknown>) =>
    createSubgraphServer<RequestBase>({ name, typeDefs, internalCalls: TEST_INTERNAL_CALLS, accessTokens: keySet, logger, context: (base) => base, resolvers: resolvers as never });
  const servers = [
    server('catalog', deferCatalogSdl, {
      Query: { product: (_: unknown, args: { id: string }) => products.find((p) => p.id === args.id) ?? null, products: () => products },
      Product: { __resolveReference: (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null },
    }),
    server('reviews', deferReviewsSdl, {
      Product: {
        __resolveReference: (ref: { id: string }) => ref,
        reviews: async (product: { id: string }) => {
          await gate.wait();
          return reviews[product.id] ?? [];
        },
        rating: (product: { id: string }) => (product.id === 'p1' ? 4 : 5),
      },
    }),
  ];
  const [c, r] = await Promise.all(servers.map((s) => s.listen(0, '127.0.0.1')));
  const { supergraphSdl } = composeSupergraph([
    { name: 'catalog', url: c!.url, typeDefs: deferCatalogSdl },
    { name: 'reviews', url: r!.url, typeDefs: deferReviewsSdl },
  ]);
  return { supergraphSdl, servers };
}
