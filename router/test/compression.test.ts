import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { GraphQLClient } from 'graphql-request';
import type { SubgraphServer } from '@shop/subgraph-kit';
import { testRouterKey } from '@shop/testing';
import { createRouter, type Router } from '../src/index.js';
import { logger, startCatalogAndPrices } from './fixtures.js';

// Browsers and mobile apps send `Accept-Encoding: gzip, br`; a page of 100 items is several KB
// of JSON, which goes out compressed (br preferred), while a client that asks for nothing gets
// it as it is. Read with node:http, which decodes nothing, to see the bytes on the wire.

const SHOP = 'https://shop.example.com';
const PAGE = JSON.stringify({ query: '{ items(first: 100) { id name tags price } }' });
const ONE = JSON.stringify({ query: '{ items(first: 1) { id name } }' });

let servers: SubgraphServer[];
let router: Router;
let url: URL;

beforeAll(async () => {
  let supergraphSdl: string;
  ({ servers, supergraphSdl } = await startCatalogAndPrices());
  router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, corsOrigins: [SHOP] });
  url = new URL((await router.listen(0, '127.0.0.1')).url);
});

afterAll(async () => {
  await router.stop();
  await Promise.all(servers.map((server) => server.stop()));
});

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
}

function post(body: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function decoded(answer: Raw): unknown {
  const encoding = answer.headers['content-encoding'];
  const bytes = encoding === 'br' ? brotliDecompressSync(answer.bytes) : encoding === 'gzip' ? gunzipSync(answer.bytes) : answer.bytes;
  return JSON.parse(bytes.toString('utf8'));
}

describe('compressed answers', () => {
  it('compresses a large answer with br or gzip, as the client asks, into the same JSON', async () => {
    const plain = await post(PAGE);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.length).toBeGreaterThan(4096);
    const json = decoded(plain) as { data: { items: unknown[] } };
    expect(json.data.items).toHaveLength(100);

    for (const [accept, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0.5, gzip', 'gzip'],
      ['br, gzip;q=0.8', 'br'],
    ] as const) {
      const answer = await post(PAGE, { 'accept-encoding': accept });
      expect({ accept, status: answer.status, encoding: answer.headers['content-encoding'] }).toEqual({ accept, status: 200, encoding });
      expect(answer.headers['content-length']).toBeUndefined();
      expect(answer.bytes.length).toBeLessThan(plain.bytes.length / 3);
      expect(decoded(answer)).toEqual(json);
      // The router lists CORS origins here, so every answer also varies by Origin.
      expect(answer.headers.vary).toBe('Origin, Accept-Encoding');
    }
  });

  it('sends the answer as it is to a client that accepts only identity, or asks for nothing', async () => {
    for (const headers of [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'br;q=0, gzip;q=0' }] as Array<Record<string, string>>) {
      const answer = await post(PAGE, headers);
      expect(answer.headers['content-encoding']).toBeUndefined();
      // Declared when the client named encodings (and so compression had to weigh it); sent in chunks otherwise.
      if (headers['accept-encoding']) expect(Number(answer.headers['content-length'])).toBe(answer.bytes.length);
      else expect(answer.headers['transfer-encoding']).toBe('chunked');
      expect((decoded(answer) as { data: { items: unknown[] } }).data.items).toHaveLength(100);
      expect(answer.headers.vary).toBe('Origin, Accept-Encoding');
    }
  });

  it('leaves a small answer uncompressed', async () => {
    const answer = await post(ONE, { 'accept-encoding': 'gzip, br' });
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(decoded(answer)).toEqual({ data: { items: [{ id: 'i1', name: 'Item 1' }] } });
  });

  it('keeps CORS’s Vary: Origin beside Accept-Encoding, and compresses batches too', async () => {
    const answer = await post(`[${PAGE},${PAGE}]`, { origin: SHOP, 'accept-encoding': 'gzip' });
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(answer.headers['access-control-allow-origin']).toBe(SHOP);
    expect(answer.headers.vary).toBe('Origin, Accept-Encoding');
    const [first, second] = decoded(answer) as Array<{ data: { items: unknown[] } }>;
    expect(first!.data.items).toHaveLength(100);
    expect(second).toEqual(first);
  });

  it('is decoded by fetch (undici), which asks for it by itself, and so by the clients built on it', async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: PAGE });
    expect(['br', 'gzip']).toContain(response.headers.get('content-encoding'));
    expect(((await response.json()) as { data: { items: unknown[] } }).data.items).toHaveLength(100);
    const client = new GraphQLClient(url.href);
    const page = await client.request<{ items: Array<{ id: string; price: string }> }>('{ items(first: 100) { id name tags price } }');
    expect(page.items).toHaveLength(100);
    expect(page.items[99]).toMatchObject({ id: 'i100', price: '100.99' });
  });
});
