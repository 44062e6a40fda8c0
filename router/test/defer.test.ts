import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SubgraphServer } from '@shop/subgraph-kit';
import { createRouter, sha256Hex, type Router } from '../src/index.js';
import { reviewsGate, startDeferSubgraphs } from './deferFixtures.js';
import { logger } from './fixtures.js';
import { testRouterKey } from '@shop/testing';

// @defer over HTTP as Apollo Router and Apollo Client speak it (multipart/mixed,
// deferSpec=20220824): the primary part first, each deferred fragment in a later part with its
// path, the same answer in one piece for clients that do not take parts.
const MULTIPART = 'multipart/mixed;deferSpec=20220824,application/graphql-response+json;q=0.9,application/json;q=0.8';
const PAGE = `query Page($id: ID!) { product(id: $id) { id name ... @defer(label: "reviews") { rating reviews { id body } } } }`;

const gate = reviewsGate();
let servers: SubgraphServer[] = [];
let supergraphSdl: string;
let router: Router;
let url: string;

beforeAll(async () => {
  ({ supergraphSdl, servers } = await startDeferSubgraphs(gate));
  router = createRouter({ supergraphSdl, logger, serviceKey: await testRouterKey() });
  url = (await router.listen(0, '127.0.0.1')).url;
});

afterAll(async () => {
  await router.stop();
  await Promise.all(servers.map((s) => s.stop()));
});

const post = (body: unknown, accept = MULTIPART) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) });

/** The JSON payloads of a multipart/mixed answer, checking its framing on the way. */
async function parts(response: Response): Promise<any[]> {
  expect(response.headers.get('content-type')).toBe('multipart/mixed; boundary="graphql"; deferSpec=20220824');
  const text = await response.text();
  expect(text.startsWith('\r\n--graphql\r\n')).toBe(true);
  expect(text.endsWith('\r\n--graphql--\r\n')).toBe(true);
  return text
    .slice('\r\n--graphql'.length, -'\r\n--graphql--\r\n'.length)
    .split('\r\n--graphql')
    .map((part) => {
      const [head, json] = part.split('\r\n\r\n');
      expect(head).toBe('\r\ncontent-type: application/json; charset=utf-8');
      return JSON.parse(json!);
    });
}

describe('@defer', () => {
  it('answers the primary part first, then the deferred fragment at its path with its label', async () => {
    const response = await post({ query: PAGE, variables: { id: 'p1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await parts(response)).toEqual([
      { data: { product: { id: 'p1', name: 'Kettle' } }, hasNext: true },
      { incremental: [{ data: { rating: 4, reviews: [{ id: 'r1', body: 'Boils fast' }, { id: 'r2', body: 'Loud' }] }, path: ['product'], label: 'reviews' }], hasNext: true },
      { hasNext: false },
    ]);
  });

  it('sends the primary part while the deferred fetch is still running', async () => {
    gate.hold();
    const response = await post({ query: PAGE, variables: { id: 'p1' } });
    const reader = response.body!.getReader();
    let received = '';
    while (!received.includes('"hasNext":true')) received += new TextDecoder().decode((await reader.read()).value);
    expect(received).toContain('"name":"Kettle"');
    expect(received).not.toContain('reviews');
    gate.open();
    while (!received.endsWith('--graphql--\r\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += new TextDecoder().decode(value);
    }
    expect(received).toContain('"body":"Boils fast"');
  });

  it('streams the parts uncompressed to a client that accepts gzip and br: a compressor would hold them back', async () => {
    gate.hold();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: MULTIPART, 'accept-encoding': 'gzip, br' },
      body: JSON.stringify({ query: PAGE, variables: { id: 'p1' } }),
    });
    expect(response.headers.get('content-encoding')).toBeNull();
    const reader = response.body!.getReader();
    let received = '';
    // The primary part arrives while the deferred fetch is still held.
    while (!received.includes('"hasNext":true')) received += new TextDecoder().decode((await reader.read()).value);
    expect(received).not.toContain('reviews');
    gate.open();
    for (let next = await reader.read(); !next.done; next = await reader.read()) received += new TextDecoder().decode(next.value);
    expect(received).toContain('"body":"Boils fast"');
    expect(received.endsWith('--graphql--\r\n')).toBe(true);
  });

  it('one part per object when the fragment is deferred inside a list; nested defers come after their parent', async () => {
    const query = '{ products { id ... @defer { reviews { id ... @defer(label: "stars") { body } } } } }';
    const answer = await parts(await post({ query }));
    expect(answer[0]).toEqual({ data: { products: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true });
    const items = answer.flatMap((p) => p.incremental ?? []);
    expect(items.filter((i) => i.label === undefined)).toEqual([
      { data: { reviews: [{ id: 'r1' }, { id: 'r2' }] }, path: ['products', 0] },
      { data: { reviews: [{ id: 'r3' }] }, path: ['products', 1] },
    ]);
    expect(items.filter((i) => i.label === 'stars').map((i) => [i.path, i.data])).toEqual([
      [['products', 0, 'reviews', 0], { body: 'Boils fast' }],
      [['products', 0, 'reviews', 1], { body: 'Loud' }],
      [['products', 1, 'reviews', 0], { body: 'Lovely' }],
    ]);
    expect(answer.findIndex((p) => p.incremental?.some((i: any) => i.label === 'stars'))).toBeGreaterThan(answer.findIndex((p) => p.incremental?.some((i: any) => i.label === undefined)));
    expect(answer.at(-1)).toEqual({ hasNext: false });
  });

  it('an error inside a deferred fragment travels with it, with its path, and leaves the primary part alone', async () => {
    const answer = await parts(await post({ query: '{ product(id: "p2") { name ... @defer { reviews { stars } } } }' }));
    expect(answer[0]).toEqual({ data: { product: { name: 'Teapot' } }, hasNext: true });
    const [item] = answer[1].incremental;
    expect(item.path).toEqual(['product']);
    expect(item.data).toBeNull();
    expect(item.errors.map((e: any) => [e.path, e.extensions.code])).toEqual([[['product', 'reviews', 0, 'stars'], 'INTERNAL_SERVER_ERROR']]);
  });

  it('a client that does not take multipart gets the whole answer at once', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const response = await post({ query: PAGE, variables: { id: 'p1' } }, accept);
      expect(response.headers.get('content-type')).toContain(accept);
      expect(await response.json()).toEqual({
        data: { product: { id: 'p1', name: 'Kettle', rating: 4, reviews: [{ id: 'r1', body: 'Boils fast' }, { id: 'r2', body: 'Loud' }] } },
      });
    }
  });

  it('@defer(if: false) is not deferred; batches answer in one piece', async () => {
    const off = await parts(await post({ query: 'query($d: Boolean!) { product(id: "p1") { name ... @defer(if: $d) { rating } } }', variables: { d: false } }));
    expect(off).toEqual([{ data: { product: { name: 'Kettle', rating: 4 } }, hasNext: true }, { hasNext: false }]);
    const batch = await post([{ query: PAGE, variables: { id: 'p2' } }]);
    expect(await batch.json()).toEqual([{ data: { product: { id: 'p2', name: 'Teapot', rating: 5, reviews: [{ id: 'r3', body: 'Lovely' }] } } }]);
  });

  it('works with automatic persisted queries, over POST and GET', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256Hex(PAGE) } };
    const first = await post({ query: PAGE, variables: { id: 'p1' }, extensions });
    expect((await parts(first))[0]).toEqual({ data: { product: { id: 'p1', name: 'Kettle' } }, hasNext: true });
    const search = new URLSearchParams({ variables: JSON.stringify({ id: 'p2' }), extensions: JSON.stringify(extensions) });
    const byHash = await fetch(`${url}?${search}`, { headers: { accept: MULTIPART, 'apollo-require-preflight': 'true' } });
    const answer = await parts(byHash);
    expect(answer[0]).toEqual({ data: { product: { id: 'p2', name: 'Teapot' } }, hasNext: true });
    expect(answer[1].incremental[0].data.rating).toBe(5);
  });

  it('limits count the deferred fragments: one too deep in a fragment is refused before anything runs', async () => {
    const strict = createRouter({ supergraphSdl, logger, serviceKey: await testRouterKey(), limits: { maxDepth: 2 } });
    const strictUrl = (await strict.listen(0, '127.0.0.1')).url;
    const send = (query: string) => fetch(strictUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: MULTIPART }, body: JSON.stringify({ query }) });
    try {
      expect((await parts(await send('{ product(id: "p1") { name ... @defer { rating } } }')))[1].incremental[0].data).toEqual({ rating: 4 });
      const tooDeep = await send('{ product(id: "p1") { name ... @defer { reviews { id } } } }');
      expect(tooDeep.status).toBe(400);
      expect(((await tooDeep.json()) as any).errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth' });
    } finally {
      await strict.stop();
    }
  });
});
