import { describe, expect, it } from '@jest/globals';
import { AppError } from '@shop/errors';
import { newDocumentId } from '../src/ids.js';
import { slugCandidates, slugify } from '../src/slug.js';
import { formatPercent, parseNewProduct, parseProductChanges } from '../src/validation.js';
import { fixtureId, product } from './fixtures.js';

const fieldOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.extensions.field as string;
    throw error;
  }
  return undefined;
};

const input = {
  sku: 'V-1',
  name: '  Padded  ',
  categoryId: fixtureId('category', 1),
  basePrice: { amount: '19.90', currencyCode: 'EUR' },
};

describe('parseNewProduct', () => {
  it('trims text, fills empty attributes and SEO texts, and turns a percentage into basis points', () => {
    const fields = parseNewProduct({ ...input, description: '   ', discount: { type: 'PERCENTAGE', value: '12.5' } });
    expect(fields).toEqual({
      sku: 'V-1',
      name: 'Padded',
      description: null,
      categoryId: fixtureId('category', 1),
      basePrice: { minor: 1990, currency: 'EUR' },
      discount: { type: 'PERCENTAGE', value: 1250, startsAt: null, endsAt: null },
      variants: [],
      images: [],
      attributes: { brand: null, color: null, size: null, weightGrams: null, dimensions: null },
      seo: { title: null, description: null },
    });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(parseNewProduct({ ...input, name: '😀'.repeat(200) }).name).toHaveLength(400);
    expect(fieldOf(() => parseNewProduct({ ...input, name: '😀'.repeat(201) }))).toBe('input.name');
  });

  it('names a variant with its size and colour unless given a name', () => {
    const { variants } = parseNewProduct({ ...input, variants: [{ sku: 'V-1-M', size: 'M', color: 'Red' }, { sku: 'V-1-X' }] });
    expect(variants.map((v) => v.name)).toEqual(['M / Red', 'V-1-X']);
  });
});

describe('parseProductChanges', () => {
  const current = product(1, {
    sku: 'V-1',
    name: 'Padded',
    categoryId: fixtureId('category', 1),
    minor: 1990,
    variants: [{ id: fixtureId('product', 77), sku: 'V-1-M', name: 'M', size: 'M', color: null, priceMinor: 2190 }],
  });

  it('returns only what was given', () => {
    expect(parseProductChanges({ name: 'New' }, current)).toEqual({ name: 'New' });
    expect(parseProductChanges({}, current)).toEqual({});
    expect(parseProductChanges({ attributes: null, seo: null, images: null }, current)).toEqual({
      attributes: { brand: null, color: null, size: null, weightGrams: null, dimensions: null },
      seo: { title: null, description: null },
      images: [],
    });
  });

  it('keeps the id of a variant whose SKU stays', () => {
    const { variants } = parseProductChanges({ variants: [{ sku: 'V-1-L' }, { sku: 'V-1-M' }] }, current);
    expect(variants![1]!.id).toBe(fixtureId('product', 77));
    expect(variants![0]!.id).not.toBe(fixtureId('product', 77));
  });

  it('refuses a currency change that would leave prices in the old currency', () => {
    expect(fieldOf(() => parseProductChanges({ basePrice: { amount: '1', currencyCode: 'USD' } }, current))).toBe('input.basePrice.currencyCode');
    expect(parseProductChanges({ basePrice: { amount: '1', currencyCode: 'USD' }, variants: [] }, current)).toMatchObject({
      basePrice: { minor: 100, currency: 'USD' },
      variants: [],
    });
  });
});

describe('formatPercent', () => {
  it('gives back the percentage as written', () => {
    expect([2000, 1250, 3333, 5, 10_000].map(formatPercent)).toEqual(['20', '12.5', '33.33', '0.05', '100']);
  });
});

describe('slugs', () => {
  it('are lower-case ASCII words joined by hyphens', () => {
    expect(slugify('Crème Brûlée & Co. — 2 Pack')).toBe('creme-brulee-and-co-2-pack');
    expect(slugify('{"$gt": ""}')).toBe('gt');
    expect(slugify('日本')).toBe('');
  });

  it('come with alternatives for when the first is taken', () => {
    const candidates = slugCandidates('Tee', 'product', ['Tee TSH-1']);
    expect(candidates.slice(0, 3)).toEqual(['tee', 'tee-tsh-1', 'tee-2']);
    expect(new Set(candidates).size).toBe(candidates.length);
    expect(slugCandidates('日本', 'product')[0]).toBe('product');
  });
});

describe('newDocumentId', () => {
  it('makes ObjectId-shaped ids that sort in creation order', () => {
    const ids = Array.from({ length: 50 }, () => newDocumentId(new Date('2025-01-01T00:00:00Z')));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect([...ids].sort()).toEqual(ids);
  });
});
