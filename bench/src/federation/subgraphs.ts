import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type DocumentNode, type GraphQLSchema } from 'graphql';

// The standard federation benchmark workload: four small subgraphs (accounts, inventory,
// products, reviews) in the shape every gateway benchmark uses, with data sized so the deep
// query (shared/bench-peers/query.graphql) answers about 87 KB.
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@provides", "@requires"])';

export const federationSdl: Record<'accounts' | 'inventory' | 'products' | 'reviews', string> = {
  accounts: `${LINK}
    type Query { me: User users: [User] user(id: ID!): User }
    type User @key(fields: "id") { id: ID! name: String username: String @shareable birthday: Int }`,
  inventory: `${LINK}
    type Product @key(fields: "upc") {
      upc: String! weight: Int @external price: Int @external
      inStock: Boolean shippingEstimate: Int @requires(fields: "price weight")
    }`,
  products: `${LINK}
    type Query { topProducts(first: Int = 5): [Product] }
    type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }`,
  reviews: `${LINK}
    type Review @key(fields: "id") { id: ID! body: String author: User @provides(fields: "username") product: Product }
    type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
    type Product @key(fields: "upc") { upc: String! reviews: [Review] }`,
};

export type FederationSubgraph = keyof typeof federationSdl;

// 12 users writing 3 reviews each over 12 products: every product has 3 reviews, every author 3.
const USERS = 12;
const PRODUCTS = 12;
const REVIEWS_PER_USER = 3;
const WORDS = ['Great', 'value', 'would', 'buy', 'again', 'sturdy', 'arrived', 'late', 'but', 'works', 'as', 'described'];

const users = Array.from({ length: USERS }, (_, i) => ({
  id: String(i + 1),
  name: `User Number ${i + 1}`,
  username: `user${i + 1}`,
  birthday: 1_000_000 + i,
}));
const products = Array.from({ length: PRODUCTS }, (_, i) => ({
  upc: String(i + 1),
  name: `Product ${['Table', 'Couch', 'Chair', 'Lamp', 'Shelf', 'Desk', 'Bed', 'Rug'][i % 8]} ${i + 1}`,
  price: 100 + i * 37,
  weight: 10 + i * 3,
}));
const reviews = users.flatMap((user, u) =>
  Array.from({ length: REVIEWS_PER_USER }, (_, k) => ({
    id: String(u * REVIEWS_PER_USER + k + 1),
    body: Array.from({ length: 7 }, (_, w) => WORDS[(u + k + w) % WORDS.length]).join(' '),
    authorId: user.id,
    upc: products[(u * REVIEWS_PER_USER + k) % PRODUCTS]!.upc,
  })),
);

type Ref = Record<string, unknown>;
const byId = <T extends Record<K, string>, K extends keyof T>(items: T[], key: K) => new Map(items.map((item) => [item[key], item]));
const userById = byId(users, 'id');
const productByUpc = byId(products, 'upc');

const resolvers: Record<FederationSubgraph, Record<string, unknown>> = {
  accounts: {
    Query: { me: () => users[0], users: () => users, user: (_: unknown, args: { id: string }) => userById.get(args.id) ?? null },
    User: { __resolveReference: (ref: { id: string }) => userById.get(ref.id) ?? null },
  },
  inventory: {
    Product: {
      __resolveReference: (ref: Ref) => ref,
      inStock: (product: { upc: string }) => Number(product.upc) % 3 !== 0,
      shippingEstimate: (product: { price: number; weight: number }) => (product.price > 1000 ? 0 : Math.round(product.weight * 0.5)),
    },
  },
  products: {
    Query: { topProducts: (_: unknown, args: { first: number }) => products.slice(0, args.first) },
    Product: { __resolveReference: (ref: { upc: string }) => productByUpc.get(ref.upc) ?? null },
  },
  reviews: {
    Review: {
      author: (review: { authorId: string }) => ({ __typename: 'User', id: review.authorId, username: userById.get(review.authorId)!.username }),
      product: (review: { upc: string }) => ({ __typename: 'Product', upc: review.upc }),
    },
    User: {
      __resolveReference: (ref: { id: string }) => ref,
      reviews: (user: { id: string }) => reviews.filter((r) => r.authorId === user.id),
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => ref,
      reviews: (product: { upc: string }) => reviews.filter((r) => r.upc === product.upc),
    },
  },
};

/**
 * One subgraph as a plain HTTP GraphQL server. Its answers depend only on the request body, so
 * it keeps them by body: after the first, a subgraph call costs a map lookup, as with the
 * compiled (Rust) subgraphs of the usual benchmark. Every gateway meets the same subgraphs, so
 * what is measured is the gateway.
 */
export async function startFederationSubgraph(name: FederationSubgraph, port: number): Promise<{ url: string; server: Server }> {
  const schema: GraphQLSchema = buildSubgraphSchema([{ typeDefs: parse(federationSdl[name]), resolvers: resolvers[name] as never }]);
  const documents = new Map<string, DocumentNode>();
  const answers = new Map<string, string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let answer = answers.get(body);
      if (answer === undefined) {
        const request = JSON.parse(body) as { query: string; variables?: Record<string, unknown>; operationName?: string };
        let document = documents.get(request.query);
        if (!document) documents.set(request.query, (document = parse(request.query)));
        const result = await execute({ schema, document, variableValues: request.variables, operationName: request.operationName });
        answer = JSON.stringify(result);
        if (answers.size < 10_000) answers.set(body, answer);
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}
