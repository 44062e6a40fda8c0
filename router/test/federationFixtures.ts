import { parse } from 'graphql';
import { notFound } from '@shop/errors';
import { createSubgraphServer, type RequestBase } from '@shop/subgraph-kit';
import { keySet, logger } from './fixtures.js';
import { TEST_INTERNAL_CALLS } from '@shop/testing';

// Four small subgraphs exercising what federation can express, for the differential tests:
// catalog (Book/Film behind interface Media, Author, compound-key Warehouse, a union),
// inventory (@requires with and without arguments, Book by id), reviews (@interfaceObject,
// @provides/@external), pricing (Book by its second key, a @shareable value type).
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@provides", "@requires", "@interfaceObject"])';

export const catalogSdl = parse(`${LINK}
  interface Media @key(fields: "id") { id: ID! title: String! }
  type Book implements Media @key(fields: "id") @key(fields: "isbn") { id: ID! isbn: String! title: String! pages: Int! author: Author! }
  type Film implements Media @key(fields: "id") { id: ID! title: String! minutes: Int! }
  type Author @key(fields: "id") { id: ID! name: String! @shareable }
  type Warehouse @key(fields: "region code") { region: String! code: String! name: String! }
  union SearchHit = Book | Film | Author
  type Query { media: [Media!]! books: [Book!]! book(isbn: String!): Book search(term: String!): [SearchHit!]! }
`);

export const inventorySdl = parse(`${LINK}
  type Book @key(fields: "id") {
    id: ID!
    pages: Int! @external
    stock: Int
    heavy: Boolean! @requires(fields: "pages")
    shippingCost(zone: String!): Int @requires(fields: "pages")
    stockings: [Stocking!]!
  }
  type Stocking { warehouse: Warehouse! count: Int! }
  type Warehouse @key(fields: "region code", resolvable: false) { region: String! code: String! }
`);

export const reviewsSdl = parse(`${LINK}
  type Media @key(fields: "id") @interfaceObject { id: ID! reviews: [Review!]! }
  type Review { id: ID! stars: Int! body: String author: Author @provides(fields: "name") media: Media! }
  type Author @key(fields: "id") { id: ID! name: String! @external }
  type Query { topReviews(first: Int = 3): [Review!]! review(id: ID!): Review }
`);

export const pricingSdl = parse(`${LINK}
  type Book @key(fields: "isbn") { isbn: String! price: Money }
  type Money @shareable { amount: Int! currency: String! }
  type Bestseller { book: Book! copies: Int! }
  type Query { bestsellers: [Bestseller!]! }
`);

const authors = new Map([
  ['a1', { id: 'a1', name: 'Ada' }],
  ['a2', { id: 'a2', name: 'Brian' }],
]);
const books = [
  { id: 'b1', isbn: 'isbn-1', title: 'Dune', pages: 412, author: { id: 'a1' } },
  { id: 'b2', isbn: 'isbn-2', title: 'Emma', pages: 320, author: { id: 'a2' } },
  { id: 'b3', isbn: 'isbn-3', title: 'Ulysses', pages: 730, author: { id: 'a1' } },
];
const films = [{ id: 'f1', title: 'Alien', minutes: 117 }];
const warehouses = [
  { region: 'eu', code: '1', name: 'Berlin' },
  { region: 'us', code: '7', name: 'Austin' },
];

const server = (name: string, typeDefs: ReturnType<typeof parse>, resolvers: Record<string, unknown>) =>
  createSubgraphServer<RequestBase>({ internalCalls: TEST_INTERNAL_CALLS, name, typeDefs, accessTokens: keySet, logger, context: (base) => base, resolvers: resolvers as never });

const typed = (book: (typeof books)[number] | undefined) => (book ? { __typename: 'Book', ...book } : null);

export const fixtureSubgraphs = {
  catalog: () =>
    server('catalog', catalogSdl, {
      Query: {
        media: () => [...books.map(typed), ...films.map((f) => ({ __typename: 'Film', ...f }))],
        books: () => books,
        book: (_: unknown, args: { isbn: string }) => books.find((b) => b.isbn === args.isbn) ?? null,
        search: (_: unknown, args: { term: string }) => [
          ...books.filter((b) => b.title.includes(args.term)).map(typed),
          ...films.filter((f) => f.title.includes(args.term)).map((f) => ({ __typename: 'Film', ...f })),
          ...[...authors.values()].filter((a) => a.name.includes(args.term)).map((a) => ({ __typename: 'Author', ...a })),
        ],
      },
      Media: {
        __resolveReference: (ref: { id: string }) => typed(books.find((b) => b.id === ref.id)) ?? (films.some((f) => f.id === ref.id) ? { __typename: 'Film', ...films.find((f) => f.id === ref.id) } : null),
      },
      Book: {
        __resolveReference: (ref: { id?: string; isbn?: string }) => books.find((b) => b.id === ref.id || b.isbn === ref.isbn) ?? null,
        author: (book: { author: { id: string } }) => authors.get(book.author.id),
      },
      Film: { __resolveReference: (ref: { id: string }) => films.find((f) => f.id === ref.id) ?? null },
      Author: { __resolveReference: (ref: { id: string }) => authors.get(ref.id) ?? null },
      Warehouse: { __resolveReference: (ref: { region: string; code: string }) => warehouses.find((w) => w.region === ref.region && w.code === ref.code) ?? null },
      SearchHit: { __resolveType: (value: { __typename: string }) => value.__typename },
    }),
  inventory: () =>
    server('inventory', inventorySdl, {
      Book: {
        __resolveReference: (ref: { id: string; pages?: number }) => ({ ...ref }),
        stock: (book: { id: string }) => {
          if (book.id === 'b3') throw notFound('Stock ledger of book', 'b3');
          return book.id === 'b1' ? 5 : 0;
        },
        heavy: (book: { pages: number }) => book.pages > 500,
        shippingCost: (book: { pages: number }, args: { zone: string }) => book.pages * (args.zone === 'EU' ? 1 : 2),
        stockings: (book: { id: string }) => [
          { warehouse: { region: 'eu', code: '1' }, count: book.id.length },
          { warehouse: { region: 'us', code: '7' }, count: 2 },
        ],
      },
    }),
  reviews: () =>
    server('reviews', reviewsSdl, {
      Query: {
        topReviews: (_: unknown, args: { first: number }) => reviews.slice(0, args.first),
        review: (_: unknown, args: { id: string }) => reviews.find((r) => r.id === args.id) ?? null,
      },
      Media: {
        __resolveReference: (ref: { id: string }) => ref,
        reviews: (media: { id: string }) => reviews.filter((r) => r.media.id === media.id),
      },
    }),
  pricing: () =>
    server('pricing', pricingSdl, {
      Query: {
        bestsellers: () => [
          { book: { isbn: 'isbn-2' }, copies: 900 },
          { book: { isbn: 'isbn-1' }, copies: 700 },
          // Sold before it left the catalog: the catalog no longer resolves it.
          { book: { isbn: 'isbn-404' }, copies: 12 },
        ],
      },
      Book: {
        __resolveReference: (ref: { isbn: string }) => ref,
        price: (book: { isbn: string }) => (book.isbn === 'isbn-3' ? null : { amount: Number(book.isbn.slice(5)) * 1000 + 99, currency: 'EUR' }),
      },
    }),
};

const reviews = [
  { id: 'r1', stars: 5, body: 'Sand everywhere', author: { id: 'a2', name: 'Brian' }, media: { id: 'b1' } },
  { id: 'r2', stars: 3, body: null, author: { id: 'a1', name: 'Ada' }, media: { id: 'f1' } },
  { id: 'r3', stars: 4, body: 'Long', author: null, media: { id: 'b3' } },
  { id: 'r4', stars: 1, body: 'Gone', author: { id: 'a1', name: 'Ada' }, media: { id: 'b404' } },
];

export const fixtureSdls = { catalog: catalogSdl, inventory: inventorySdl, reviews: reviewsSdl, pricing: pricingSdl };
