import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createEvent } from '@shop/events';
import { createLogger, type LogLevel } from '@shop/subgraph-kit';
import { createEmbeddedSearchRepository } from '../src/repository/embedded.js';
import { CATEGORIES_QUERY, PRODUCT_FIELDS_QUERY, productsPageQuery } from '../src/productsSource.js';
import { rebuildOnStart, reindexFromProducts } from '../src/reindex.js';
import { tokenize } from '../src/text.js';
import { CATALOG, CATEGORIES, pid, productOperation } from './fixtures.js';
import { eventually, searchProducts, startSearch } from './harness.js';
import { testServiceTrust } from '@shop/testing';

/**
 * A stand-in for the products subgraph (or, with `stock` set, for the router's supergraph, where
 * `Product` also has inventory's `stock`): a real HTTP server that answers exactly the GraphQL
 * requests a rebuild sends, from the fixture catalog, and records them.
 */
interface StandIn {
  url: string;
  requests: { query: string; variables: Record<string, unknown> }[];
  /** Answer 503 to this many requests first, as a products subgraph that is still starting. */
  failFirst: number;
  withRating: boolean;
  /** Units available per product id (0 when absent); null: no `Product.stock`, as products itself. */
  stock: Map<string, number> | null;
  close(): Promise<void>;
}

async function startProductsStandIn(listed = CATALOG): Promise<StandIn> {
  const standIn = { requests: [], failFirst: 0, withRating: true, stock: null } as unknown as StandIn;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const { query, variables = {} } = JSON.parse(raw) as { query: string; variables?: Record<string, unknown> };
      standIn.requests.push({ query, variables });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (standIn.failFirst > 0) {
        standIn.failFirst -= 1;
        return send(503, { errors: [{ message: 'starting' }] });
      }
      if (query === CATEGORIES_QUERY) {
        const categories = Object.values(CATEGORIES).map((c) => ({ id: c.id, name: c.name, parent: c.parent ? { id: c.parent } : null }));
        return send(200, { data: { categories } });
      }
      if (query === PRODUCT_FIELDS_QUERY) {
        const fields = ['id', 'sku', 'name', ...(standIn.withRating ? ['rating'] : []), ...(standIn.stock ? ['stock', 'inStock'] : [])];
        return send(200, { data: { __type: { fields: fields.map((name) => ({ name })) } } });
      }
      if (query === productsPageQuery(standIn.withRating, standIn.stock !== null)) {
        const first = variables.first as number;
        const start = variables.after === null ? 0 : listed.findIndex((p) => p.id === variables.after) + 1;
        const page = listed.slice(start, start + first);
        const money = (minor: number, currency: string) => ({ amount: (minor / 100).toFixed(2), currencyCode: currency });
        const edges = page.map((p) => ({
          node: {
            id: p.id,
            sku: p.sku,
            name: p.name,
            slug: p.slug,
            description: p.description,
            category: { id: p.categoryId },
            price: money(p.priceMinor, p.currency),
            basePrice: money(p.basePriceMinor, p.currency),
            attributes: { brand: p.brand, color: p.color, size: p.size },
            createdAt: p.createdAt,
            ...(standIn.withRating ? { rating: { average: p.ratingAverage, count: p.ratingCount } } : {}),
            ...(standIn.stock ? { stock: { available: standIn.stock.get(p.id) ?? 0 } } : {}),
          },
        }));
        const hasNextPage = start + first < listed.length;
        return send(200, { data: { products: { edges, pageInfo: { hasNextPage, endCursor: page.at(-1)?.id ?? null } } } });
      }
      return send(400, { errors: [{ message: `unexpected query: ${query}`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  standIn.close = () => new Promise((resolve) => server.close(() => resolve()));
  return standIn;
}

/** Who search is to the source: a service key the test services trust. */
async function sourceIdentity(audience: string) {
  return { credentials: (await (await testServiceTrust()).serviceKey('search')).credentials, audience };
}

function recordingLogger(level: LogLevel = 'debug') {
  const lines: { level: string; msg: string; [key: string]: unknown }[] = [];
  const logger = createLogger({ service: 'search', level, write: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('reindexFromProducts', () => {
  let products: StandIn;

  beforeAll(async () => {
    products = await startProductsStandIn();
  });

  afterEach(() => {
    products.requests = [];
    products.withRating = true;
    products.stock = null;
  });

  afterAll(async () => {
    await products.close();
  });

  it('pages through products and indexes every listed product as its snapshot', async () => {
    const repository = createEmbeddedSearchRepository();
    const { logger } = recordingLogger();
    const result = await reindexFromProducts({ repository, sourceUrl: products.url, as: await sourceIdentity('products'), logger, pageSize: 5 });
    expect(result).toEqual({ indexed: CATALOG.length, skipped: 0, unlisted: 0, stockFlags: 0 });
    expect(products.requests.every((r) => !r.query.includes('stock'))).toBe(true);
    expect(products.requests.map((r) => r.variables)).toEqual([{}, {}, { first: 5, after: null }, { first: 5, after: pid(5) }, { first: 5, after: pid(10) }]);
    expect(await repository.countListed()).toBe(CATALOG.length);
    // Categories above the product's own come from the category tree.
    const clothing = await repository.search({ terms: null, categoryId: 'cat-clothing', sort: 'RATING', first: 100 });
    expect(clothing.hits.map((h) => h.id)).toEqual([pid(4), pid(1), pid(10), pid(2), pid(3)]);
    const text = await repository.search({ terms: tokenize('kitchen'), sort: 'PRICE_ASC', first: 100 });
    // The teapot has no EUR price: last.
    expect(text.hits.map((h) => h.id)).toEqual([pid(7), pid(9), pid(8), pid(11)]);
  });

  it('indexes ratings as 0 when products does not serve them yet', async () => {
    products.withRating = false;
    const repository = createEmbeddedSearchRepository();
    await reindexFromProducts({ repository, sourceUrl: products.url, as: await sourceIdentity('products'), logger: recordingLogger().logger });
    const page = await repository.search({ terms: null, sort: 'RATING', first: 100 });
    expect(page.hits.map((h) => h.sortKey[0])).toEqual(CATALOG.map(() => 0));
  });

  it('hides what products no longer lists, but not what an event wrote since the rebuild began', async () => {
    const repository = createEmbeddedSearchRepository();
    const gone = { ...CATALOG[0]!, id: 'prod-80', name: 'Withdrawn Lantern' };
    const fresh = { ...CATALOG[0]!, id: 'prod-81', name: 'Brand New Kayak' };
    await repository.apply([productOperation(gone, Date.now() - 60_000), productOperation(fresh, Date.now() + 60_000)]);
    const result = await reindexFromProducts({ repository, sourceUrl: products.url, as: await sourceIdentity('products'), logger: recordingLogger().logger });
    expect(result.unlisted).toBe(1);
    expect((await repository.search({ terms: tokenize('lantern'), sort: 'RELEVANCE', first: 10 })).totalCount).toBe(0);
    expect((await repository.search({ terms: tokenize('kayak'), sort: 'RELEVANCE', first: 10 })).totalCount).toBe(1);
  });
});

describe('reindexFromProducts through the router (Product.stock served)', () => {
  let router: StandIn;

  beforeAll(async () => {
    router = await startProductsStandIn();
  });

  afterEach(() => {
    router.requests = [];
    router.stock = null;
  });

  afterAll(async () => {
    await router.close();
  });

  const inStockIds = async (repository: ReturnType<typeof createEmbeddedSearchRepository>) =>
    (await repository.search({ terms: null, inStock: true, sort: 'RELEVANCE', first: 100 })).hits.map((h) => h.id);

  it('reads stock { available } with every product and sets each stock flag', async () => {
    router.stock = new Map([
      [pid(1), 3],
      [pid(4), 1],
      [pid(5), 0],
    ]);
    const repository = createEmbeddedSearchRepository();
    const result = await reindexFromProducts({ repository, sourceUrl: router.url, as: await sourceIdentity('router'), logger: recordingLogger().logger, pageSize: 5 });
    expect(result).toEqual({ indexed: CATALOG.length, skipped: 0, unlisted: 0, stockFlags: CATALOG.length });
    const pages = router.requests.filter((r) => r.query.startsWith('query SearchReindexPage'));
    expect(pages).toHaveLength(3);
    expect(pages.every((r) => r.query.includes(' stock { available } '))).toBe(true);
    expect(await inStockIds(repository)).toEqual([pid(1), pid(4)]);
    expect((await repository.search({ terms: null, inStock: false, sort: 'RELEVANCE', first: 100 })).totalCount).toBe(CATALOG.length - 2);
  });

  it('a rebuild read after a stock event wins over it; an event about a later change wins over the read', async () => {
    router.stock = new Map([[pid(1), 5]]);
    const repository = createEmbeddedSearchRepository();
    await repository.apply([
      { kind: 'stock', id: pid(1), inStock: false, version: Date.now() - 60_000 },
      { kind: 'stock', id: pid(2), inStock: true, version: Date.now() + 60_000 },
    ]);
    await reindexFromProducts({ repository, sourceUrl: router.url, as: await sourceIdentity('router'), logger: recordingLogger().logger });
    expect(await inStockIds(repository)).toEqual([pid(1), pid(2)]);
  });

  it('subgraph.reindex(url) sets the flags; a later stock.changed overrides them, an older one does not', async () => {
    router.stock = new Map([[pid(1), 3]]);
    const search = await startSearch();
    const stockChanged = (id: string, inStock: boolean, occurredAt: number) => ({
      ...createEvent('inventory', 'stock.changed', id, { productId: id, available: inStock ? 1 : 0, reserved: 0, onHand: inStock ? 1 : 0, inStock }),
      occurredAt: new Date(occurredAt).toISOString(),
    });
    const inStock = async () => (await searchProducts(search.url, { filter: { inStock: true } })).data?.searchProducts.nodes.map((n) => n.id);
    try {
      const before = Date.now();
      const result = await search.subgraph.reindex(router.url);
      expect(result).toMatchObject({ indexed: CATALOG.length, stockFlags: CATALOG.length });
      expect(await inStock()).toEqual([pid(1)]);

      // Older than the rebuild's read: both lose. The newer one for pid(3) shows they were handled.
      await search.bus.publish([stockChanged(pid(1), false, before - 60_000), stockChanged(pid(2), true, before - 60_000)]);
      await search.bus.publish([stockChanged(pid(3), true, Date.now() + 1_000)]);
      await eventually(async () => expect(await inStock()).toEqual([pid(1), pid(3)]));

      // Newer than the rebuild's read: wins.
      await search.bus.publish([stockChanged(pid(1), false, Date.now() + 1_000)]);
      await eventually(async () => expect(await inStock()).toEqual([pid(3)]));
    } finally {
      await search.stop();
    }
  });

  it('subgraph.reindex() rejects when the source cannot be read', async () => {
    const search = await startSearch({ env: { REINDEX_SOURCE_URL: 'http://127.0.0.1:9/graphql' } });
    try {
      await expect(search.subgraph.reindex()).rejects.toThrow(/Catalog source at http:\/\/127\.0\.0\.1:9\/graphql did not answer/);
    } finally {
      await search.stop();
    }
  });
});

describe('rebuildOnStart', () => {
  it('retries until products answers, then the subgraph serves the whole catalog', async () => {
    const products = await startProductsStandIn();
    products.failFirst = 2;
    const search = await startSearch();
    const { logger, lines } = recordingLogger();
    try {
      await rebuildOnStart({ repository: search.subgraph.repository, sourceUrl: products.url, as: await sourceIdentity('products'), logger, signal: new AbortController().signal });
      expect(lines.filter((l) => l.msg === 'products not answering yet, retrying')).toHaveLength(2);
      expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'search index rebuilt from products', indexed: CATALOG.length });
      const result = await searchProducts(search.url, { query: 'skilet' });
      expect(result.data?.searchProducts.nodes).toEqual([{ id: pid(8) }]);
    } finally {
      await search.stop();
      await products.close();
    }
  });

  it('gives up with a warning when products never answers', async () => {
    const products = await startProductsStandIn();
    const url = products.url;
    await products.close();
    const repository = createEmbeddedSearchRepository();
    const { logger, lines } = recordingLogger('warn');
    await rebuildOnStart({ repository, sourceUrl: url, as: await sourceIdentity('products'), logger, signal: new AbortController().signal, retryForMs: 300 });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'search index not rebuilt from products: it fills from product events only (run `npm run reindex` later)',
        sourceUrl: url,
      }),
    ]);
    expect(await repository.countListed()).toBe(0);
  });

  it('stops retrying as soon as it is aborted', async () => {
    const products = await startProductsStandIn();
    products.failFirst = 1000;
    const abort = new AbortController();
    const rebuild = rebuildOnStart({
      repository: createEmbeddedSearchRepository(),
      sourceUrl: products.url,
      as: await sourceIdentity('products'),
      logger: recordingLogger('silent').logger,
      signal: abort.signal,
    });
    setTimeout(() => abort.abort(), 100);
    // Products keeps failing: only the abort ends the rebuild.
    await rebuild;
    await products.close();
  });
});
