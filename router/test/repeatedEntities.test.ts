import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRouter, type Router } from '../src/index.js';
import { fixtureSubgraph, hintedSdl, keySet, logger, manualClock, startFixtures, stopFixtures } from './fixtures.js';
import { testRouterKey } from '@shop/testing';

// The same entity at many places of an answer (the federation benchmark's reviews repeat their
// products and authors): "shelf" lists books, some twice or more, and a box of items whose key
// values are the books' ids again, one of them with another size; "catalog" completes books
// (titles public for 60 s, so the router keeps them) and items (a label that @requires the size;
// no hint: never kept). Each representation it receives is counted.
const shelfSdl = hintedSdl(`
  type Book @key(fields: "id") { id: ID! }
  type Item @key(fields: "id") { id: ID! size: Int! }
  type Query { shelf: [Book!]! @cacheControl(maxAge: 300) box: [Item!]! }
`);
const catalogSdl = hintedSdl(`
  type Book @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! title: String! }
  type Item @key(fields: "id") { id: ID! size: Int! @external label: String! @requires(fields: "size") }
`, ['@external', '@requires']);

const SHELF = ['b1', 'b2', 'b1', 'b1', 'b2'];
const titles = new Map([['b1', 'Dune'], ['b2', 'Emma']]);
const asked: string[] = [];
const fixtures = [
  fixtureSubgraph('shelf', shelfSdl, { Query: { shelf: () => SHELF.map((id) => ({ id })), box: () => SHELF.map((id, i) => ({ id, size: i === 3 ? 2 : 1 })) } }),
  fixtureSubgraph('catalog', catalogSdl, {
    Book: {
      __resolveReference: (ref: { id: string }) => {
        asked.push(`Book:${ref.id}`);
        return { id: ref.id };
      },
      title: (book: { id: string }) => titles.get(book.id),
    },
    Item: {
      __resolveReference: (ref: { id: string; size: number }) => {
        asked.push(`Item:${ref.id}:${ref.size}`);
        return ref;
      },
      label: (item: { id: string; size: number }) => `item ${item.id} size ${item.size}`,
    },
  }),
];
const clock = manualClock();
let router: Router;
let url: string;

beforeAll(async () => {
  const supergraphSdl = await startFixtures(fixtures);
  router = createRouter({ supergraphSdl, logger, serviceKey: await testRouterKey(), accessTokens: keySet, clock });
  url = (await router.listen(0, '127.0.0.1')).url;
});

afterAll(async () => {
  await router.stop();
  await stopFixtures(fixtures);
});

async function ask(query: string): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data: any; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

describe('an entity at several places of one answer', () => {
  it('is asked of its subgraph once and completed at every place', async () => {
    asked.length = 0;
    const data = await ask('{ box { id label } shelf { id title } }');
    expect(data.box).toEqual(SHELF.map((id, i) => ({ id, label: `item ${id} size ${i === 3 ? 2 : 1}` })));
    expect(data.shelf).toEqual(SHELF.map((id) => ({ id, title: titles.get(id) })));
    // Items and books share key values, not representations: each type's entities are asked for
    // apart, and an item whose required size differs is asked for with its own.
    expect(asked.sort()).toEqual(['Book:b1', 'Book:b2', 'Item:b1:1', 'Item:b1:2', 'Item:b2:1']);
  });

  it('is completed at every place from what the router kept', async () => {
    clock.advance(60_000);
    await ask('{ shelf { title } }');
    asked.length = 0;
    titles.set('b1', 'Dune Messiah');
    const data = await ask('{ shelf { id title } }');
    expect(data.shelf).toEqual(SHELF.map((id) => ({ id, title: id === 'b1' ? 'Dune' : 'Emma' })));
    expect(asked).toEqual([]);
  });
});
