import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SearchRepository, SearchPage, SearchRequest } from '../src/repository.js';
import { tokenize } from '../src/text.js';
import { ALL_IDS, CATALOG, INJECTIONS, byId, catalogOperations, pid, productOperation } from './fixtures.js';

/**
 * What every SearchRepository adapter must do, written once and run against each: the embedded
 * repository always, Elasticsearch when ELASTICSEARCH_URL is set. The factory gives a fresh, empty
 * repository and a way to dispose of it.
 */
export type EngineFactory = () => Promise<{ repository: SearchRepository; dispose: () => Promise<void> }>;

const V1 = Date.parse('2025-01-01T00:00:00Z');

export function describeEngineContract(name: string, factory: EngineFactory): void {
  describe(`SearchRepository contract: ${name}`, () => {
    let repository: SearchRepository;
    let dispose: () => Promise<void>;
    const search = (request: Partial<SearchRequest> & { text?: string }): Promise<SearchPage> => {
      const { text, ...rest } = request;
      return repository.search({ terms: text === undefined ? null : tokenize(text), sort: 'RELEVANCE', first: 100, ...rest });
    };
    const ids = async (request: Partial<SearchRequest> & { text?: string }) => (await search(request)).hits.map((h) => h.id);
    const sorted = async (request: Partial<SearchRequest> & { text?: string }) => (await ids(request)).sort();
    const facet = (page: SearchPage, field: string) => page.facets.find((f) => f.field === field)?.values;

    beforeAll(async () => {
      ({ repository, dispose } = await factory());
      expect(await repository.countListed()).toBe(0);
      // Written out of id order: every order must come from the repository, not from insertion.
      await repository.apply(catalogOperations(V1).reverse());
      await repository.apply([
        { kind: 'stock', id: pid(1), inStock: true, version: V1 },
        { kind: 'stock', id: pid(4), inStock: true, version: V1 },
        { kind: 'stock', id: pid(5), inStock: true, version: V1 },
        { kind: 'stock', id: pid(2), inStock: false, version: V1 },
      ]);
      await repository.refresh();
    });

    afterAll(async () => {
      await dispose();
    });

    it('counts listed products and answers a ping', async () => {
      expect(await repository.countListed()).toBe(CATALOG.length);
      await expect(repository.ping()).resolves.toBeUndefined();
    });

    it('without text matches every listed product, in id order for RELEVANCE', async () => {
      const page = await search({});
      expect(page.hits.map((h) => h.id)).toEqual(ALL_IDS);
      expect(page.totalCount).toBe(CATALOG.length);
      expect(page.hasNextPage).toBe(false);
    });

    it('finds a product by a word of its name, whatever the case and accents', async () => {
      expect(await ids({ text: 'skillet' })).toEqual([pid(8)]);
      expect(await ids({ text: 'ESPRESSO' })).toEqual([pid(7)]);
      expect(await ids({ text: 'cafe' })).toEqual([pid(9)]);
      expect(await ids({ text: 'Brühwerk' })).toEqual([pid(7)]);
      expect(await ids({ text: 'bruhwerk' })).toEqual([pid(7)]);
    });

    it('searches description, brand and category name too', async () => {
      expect(await ids({ text: 'porcelain' })).toEqual([pid(7)]);
      expect(await sorted({ text: 'nordkap' })).toEqual([pid(1), pid(4), pid(10)]);
      expect(await sorted({ text: 'kitchen' })).toEqual([pid(7), pid(8), pid(9), pid(11)]);
    });

    it('tolerates typos as fuzziness AUTO does: one in 3-5 letters, two beyond, none below', async () => {
      expect(await ids({ text: 'skilet' })).toEqual([pid(8)]);
      expect(await ids({ text: 'espreso' })).toEqual([pid(7)]);
      // Two edits from "sneakers" too, which a description has.
      expect(await sorted({ text: 'sneeker' })).toEqual([pid(2), pid(5), pid(6)]);
      expect(await ids({ text: 'aprin' })).toEqual([pid(9)]);
      expect(await ids({ text: 'skxllxt' })).toEqual([pid(8)]);
      expect(await ids({ text: 'skxllxx' })).toEqual([]);
      expect(await ids({ text: 'tx' })).toEqual([]);
    });

    it('matches the beginning of words', async () => {
      expect(await ids({ text: 'espr' })).toEqual([pid(7)]);
      // "sneak" starts "Sneaker" in two names and "sneakers" in a description.
      expect(await sorted({ text: 'sneak' })).toEqual([pid(2), pid(5), pid(6)]);
    });

    it('requires every word, each in any field', async () => {
      expect(await sorted({ text: 'nordkap jacket' })).toEqual([pid(1), pid(4)]);
      expect(await ids({ text: 'nordkap socks' })).toEqual([pid(10)]);
      expect(await ids({ text: 'leafwear jacket' })).toEqual([]);
      expect(await sorted({ text: 't-shirt' })).toEqual([pid(2), pid(3)]);
    });

    it('ranks a match in the name above one in the description', async () => {
      expect(await ids({ text: 'canvas' })).toEqual([pid(6), pid(9)]);
    });

    it('matches nothing for text without a word, and takes query syntax as plain words', async () => {
      for (const text of INJECTIONS) {
        const page = await search({ text });
        expect({ text, hits: page.hits, totalCount: page.totalCount }).toEqual({ text, hits: [], totalCount: 0 });
      }
      expect((await search({ terms: [] })).totalCount).toBe(0);
    });

    it('filters by category, including the categories below it', async () => {
      expect(await ids({ categoryId: 'cat-clothing' })).toEqual([pid(1), pid(2), pid(3), pid(4), pid(10)]);
      expect(await ids({ categoryId: 'cat-sneakers' })).toEqual([pid(5), pid(6)]);
      expect(await ids({ categoryId: '{"$ne": null}' })).toEqual([]);
    });

    it('filters by brand, colour and size exactly and literally', async () => {
      expect(await ids({ brand: 'Leafwear' })).toEqual([pid(2), pid(3), pid(9)]);
      expect(await ids({ brand: 'leafwear' })).toEqual([]);
      expect(await ids({ brand: 'Forge & Co' })).toEqual([pid(8)]);
      expect(await ids({ brand: '{"$gt": ""}' })).toEqual([]);
      expect(await ids({ color: 'Yellow' })).toEqual([pid(4), pid(12)]);
      expect(await ids({ size: 'M', color: 'Grey' })).toEqual([pid(1), pid(10)]);
    });

    it('bounds the price inclusively, in EUR only', async () => {
      expect(await ids({ price: { minMinor: 2500, maxMinor: 5000 } })).toEqual([pid(6), pid(7), pid(8), pid(9), pid(12)]);
      expect(await ids({ price: { maxMinor: 1999 } })).toEqual([pid(2), pid(10)]);
      expect(await ids({ price: { minMinor: 11000 } })).toEqual([pid(1), pid(5)]);
      // The 30.00 USD teapot is not a 30.00 EUR teapot.
      expect(await ids({ price: { minMinor: 3000, maxMinor: 3000 } })).toEqual([]);
    });

    it("filters, buckets, ranges and sorts prices in the search's currency, by each product's price in it", async () => {
      expect(await ids({ currency: 'JPY', price: { minMinor: 3000, maxMinor: 5000 } })).toEqual([pid(2), pid(11)]);
      expect(await ids({ currency: 'USD', price: { maxMinor: 3000 } })).toEqual([pid(2), pid(11)]);
      const page = await search({ currency: 'JPY' });
      expect(page.totalCount).toBe(CATALOG.length);
      expect(facet(page, 'price')).toEqual([
        { value: '2500-4999', count: 2 },
        { value: '5000-9999', count: 1 },
        { value: '20000-', count: 1 },
      ]);
      expect(page.priceRange).toEqual({ minMinor: 3200, maxMinor: 20_800 });
      // Without a price in the currency a product comes last, in either direction.
      expect(await ids({ currency: 'JPY', sort: 'PRICE_ASC' })).toEqual([2, 11, 12, 1, 3, 4, 5, 6, 7, 8, 9, 10].map(pid));
      expect(await ids({ currency: 'JPY', sort: 'PRICE_DESC' })).toEqual([1, 12, 11, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(pid));
      expect((await search({ currency: 'CHF' })).priceRange).toBeNull();
    });

    it('filters by stock, an unknown stock counting as none', async () => {
      expect(await ids({ inStock: true })).toEqual([pid(1), pid(4), pid(5)]);
      expect((await search({ inStock: false })).totalCount).toBe(CATALOG.length - 3);
    });

    it('combines text and filters', async () => {
      expect(await ids({ text: 'jacket', inStock: true, price: { maxMinor: 10_000 } })).toEqual([pid(4)]);
    });

    it('counts facets over all matches: by count, then value; price ranges ascending; empty ones left out', async () => {
      const page = await search({ first: 1 });
      expect(page.facets.map((f) => f.field)).toEqual(['brand', 'color', 'size', 'category', 'price']);
      expect(facet(page, 'brand')).toEqual([
        { value: 'Leafwear', count: 3 },
        { value: 'Nordkap', count: 3 },
        { value: 'Stride', count: 3 },
        { value: 'Brühwerk', count: 1 },
        { value: 'Forge & Co', count: 1 },
        { value: 'Tetsu', count: 1 },
      ]);
      expect(facet(page, 'color')).toEqual([
        { value: 'Black', count: 4 },
        { value: 'White', count: 3 },
        { value: 'Grey', count: 2 },
        { value: 'Yellow', count: 2 },
        { value: 'Green', count: 1 },
      ]);
      expect(facet(page, 'size')).toEqual([
        { value: 'M', count: 3 },
        { value: 'L', count: 2 },
        { value: '30', count: 1 },
        { value: '40', count: 1 },
        { value: '42', count: 1 },
        { value: 'One Size', count: 1 },
      ]);
      expect(facet(page, 'category')).toEqual([
        { value: 'cat-clothing', count: 5 },
        { value: 'cat-kitchen', count: 4 },
        { value: 'cat-footwear', count: 3 },
        { value: 'cat-jackets', count: 2 },
        { value: 'cat-sneakers', count: 2 },
        { value: 'cat-tshirts', count: 2 },
      ]);
      expect(facet(page, 'price')).toEqual([
        { value: '0.00-24.99', count: 3 },
        { value: '25.00-49.99', count: 4 },
        { value: '50.00-99.99', count: 2 },
        { value: '100.00-199.99', count: 2 },
      ]);
      expect(page.priceRange).toEqual({ minMinor: 1250, maxMinor: 12900 });
    });

    it('counts each facet under every filter but its own', async () => {
      const page = await search({ brand: 'Leafwear', price: { maxMinor: 2499 } });
      expect(page.hits.map((h) => h.id)).toEqual([pid(2), pid(3)]);
      // Brands: under the price filter only (02, 03, 10 cost at most 24.99).
      expect(facet(page, 'brand')).toEqual([
        { value: 'Leafwear', count: 2 },
        { value: 'Nordkap', count: 1 },
      ]);
      expect(facet(page, 'color')).toEqual([
        { value: 'Black', count: 1 },
        { value: 'White', count: 1 },
      ]);
      // Prices: under the brand filter only (02, 03, 09).
      expect(facet(page, 'price')).toEqual([
        { value: '0.00-24.99', count: 2 },
        { value: '25.00-49.99', count: 1 },
      ]);
      expect(page.priceRange).toEqual({ minMinor: 1999, maxMinor: 2500 });
    });

    it('computes facets over text matches, and reports no price range when nothing is priced in EUR', async () => {
      const page = await search({ text: 'teapot' });
      expect(facet(page, 'brand')).toEqual([{ value: 'Tetsu', count: 1 }]);
      expect(facet(page, 'price')).toEqual([]);
      expect(page.priceRange).toBeNull();
    });

    it('sorts by price, rating and newest, breaking ties by id', async () => {
      // The teapot has no EUR price: last either way.
      expect(await ids({ sort: 'PRICE_ASC' })).toEqual([10, 2, 3, 7, 9, 12, 6, 8, 4, 5, 1, 11].map(pid));
      expect(await ids({ sort: 'PRICE_DESC' })).toEqual([1, 5, 4, 8, 6, 12, 7, 9, 3, 2, 10, 11].map(pid));
      expect(await ids({ sort: 'RATING' })).toEqual([7, 4, 8, 1, 9, 11, 5, 10, 2, 6, 3, 12].map(pid));
      expect(await ids({ sort: 'NEWEST' })).toEqual([12, 11, 9, 10, 8, 7, 6, 5, 4, 3, 2, 1].map(pid));
      expect(await ids({ sort: 'PRICE_ASC', text: 'jacket' })).toEqual([pid(4), pid(1)]);
    });

    it('pages through every match in order, without repeats or gaps, with a stable total', async () => {
      for (const sort of ['RELEVANCE', 'PRICE_ASC', 'PRICE_DESC', 'RATING', 'NEWEST'] as const) {
        for (const [text, currency] of [[undefined, undefined], ['nordkap', undefined], ['kitchen', undefined], [undefined, 'JPY']] as const) {
          const everything = await ids({ sort, text, ...(currency && { currency }) });
          const seen: string[] = [];
          let after: SearchRequest['after'];
          for (let pages = 0; pages < 20; pages++) {
            const page = await search({ sort, text, first: 2, ...(currency && { currency }), ...(after ? { after } : {}) });
            expect(page.totalCount).toBe(everything.length);
            seen.push(...page.hits.map((h) => h.id));
            if (!page.hasNextPage) break;
            after = page.hits.at(-1)!.sortKey;
          }
          expect({ sort, text, seen }).toEqual({ sort, text, seen: everything });
        }
      }
    });

    it('with first 0 returns no hits but the total, the facets and whether hits follow', async () => {
      const page = await search({ first: 0, brand: 'Stride' });
      expect(page.hits).toEqual([]);
      expect(page.hasNextPage).toBe(true);
      expect(page.totalCount).toBe(3);
      expect(page.facets.find((f) => f.field === 'color')?.values).toHaveLength(3);
    });

    describe('writes', () => {
      const V2 = V1 + 60_000;
      const V3 = V1 + 120_000;

      it('updates a product: the new text is found, the old is not, its stock flag stays', async () => {
        await repository.apply([productOperation({ ...byId(pid(1)), name: 'Alpine Parka' }, V2)]);
        await repository.refresh();
        expect(await ids({ text: 'parka' })).toEqual([pid(1)]);
        // "Merino" is left in the socks' description only.
        expect(await ids({ text: 'merino' })).toEqual([pid(10)]);
        expect(await ids({ inStock: true })).toEqual([pid(1), pid(4), pid(5)]);
      });

      it('ignores a write older than what it holds, and applies the same version again harmlessly', async () => {
        await repository.apply([productOperation({ ...byId(pid(1)), name: 'Stale Name' }, V1)]);
        await repository.apply([productOperation({ ...byId(pid(1)), name: 'Alpine Parka' }, V2)]);
        await repository.refresh();
        expect(await ids({ text: 'stale' })).toEqual([]);
        expect(await ids({ text: 'parka' })).toEqual([pid(1)]);
        expect(await repository.countListed()).toBe(CATALOG.length);
      });

      it('hides an archived product, and a late older write does not bring it back', async () => {
        await repository.apply([{ kind: 'archive', id: pid(8), version: V2 }]);
        await repository.apply([productOperation(byId(pid(8)), V1)]);
        await repository.refresh();
        expect(await ids({ text: 'skillet' })).toEqual([]);
        expect((await search({})).totalCount).toBe(CATALOG.length - 1);
        expect(await repository.countListed()).toBe(CATALOG.length - 1);
        // A newer snapshot that is not archived lists it again.
        await repository.apply([productOperation(byId(pid(8)), V3)]);
        await repository.refresh();
        expect(await ids({ text: 'skillet' })).toEqual([pid(8)]);
      });

      it('keeps an archive that came before the product, and stock that came before it', async () => {
        const ghost = { ...byId(pid(3)), id: 'prod-90', name: 'Ghost Lamp' };
        await repository.apply([{ kind: 'archive', id: 'prod-90', version: V2 }, productOperation(ghost, V1)]);
        const early = { ...byId(pid(3)), id: 'prod-91', name: 'Early Kettle' };
        await repository.apply([{ kind: 'stock', id: 'prod-91', inStock: true, version: V1 }]);
        await repository.refresh();
        expect(await ids({ text: 'kettle' })).toEqual([]);
        await repository.apply([productOperation(early, V1)]);
        await repository.refresh();
        expect(await ids({ text: 'ghost' })).toEqual([]);
        expect(await ids({ text: 'kettle', inStock: true })).toEqual(['prod-91']);
      });

      it('orders stock writes by their own version', async () => {
        await repository.apply([
          { kind: 'stock', id: pid(6), inStock: true, version: V3 },
          { kind: 'stock', id: pid(6), inStock: false, version: V2 },
        ]);
        await repository.refresh();
        expect(await ids({ text: 'canvas', inStock: true })).toEqual([pid(6)]);
      });

      it('after a rebuild, hides the listed products it did not see and keeps those written since', async () => {
        const rebuildStart = V3 + 60_000;
        const seen = CATALOG.filter((p) => p.id !== pid(12) && p.id !== pid(11) && p.id !== pid(8));
        await repository.apply(seen.map((p) => productOperation(p, rebuildStart + 1)));
        await repository.apply([productOperation(byId(pid(11)), rebuildStart + 5)]);
        expect(await repository.unlistOlderThan(rebuildStart)).toBe(3); // 08, 12 and prod-91
        await repository.refresh();
        expect(await ids({ text: 'boots' })).toEqual([]);
        expect(await ids({ text: 'teapot' })).toEqual([pid(11)]);
        expect(await repository.countListed()).toBe(CATALOG.length - 2);
      });
    });
  });
}
