import { describe, expect, it } from '@jest/globals';
import { createEvent } from '@shop/events';
import { EventPayloadError, operationFromEvent } from '../src/indexer.js';
import { SnapshotError, toIndexedProduct } from '../src/snapshot.js';
import { byId, pid } from './fixtures.js';

const at = (iso: string) => Date.parse(iso);
const event = (type: string, data: unknown, occurredAt = '2025-02-01T12:00:00.000Z') => ({
  ...createEvent('products', type, 'key', data),
  occurredAt,
});

describe('operationFromEvent', () => {
  it('writes a created or updated product, versioned by its updatedAt when sent, else by the event time', () => {
    const snapshot = byId(pid(2));
    expect(operationFromEvent(event('product.created', { product: snapshot }))).toEqual({
      kind: 'product',
      product: toIndexedProduct(snapshot).product,
      listed: true,
      version: at('2025-02-01T12:00:00.000Z'),
    });
    const updated = operationFromEvent(event('product.updated', { product: { ...snapshot, updatedAt: '2025-01-31T08:00:00.000Z' } }));
    expect(updated).toMatchObject({ kind: 'product', version: at('2025-01-31T08:00:00.000Z') });
  });

  it('writes an archived snapshot as not listed', () => {
    expect(operationFromEvent(event('product.updated', { product: { ...byId(pid(2)), archived: true } }))).toMatchObject({ listed: false });
  });

  it('archives by product id, versioned by archivedAt', () => {
    const archived = event('product.archived', { productId: pid(3), sku: 'SKU-3', archivedAt: '2025-02-01T11:59:00.000Z' });
    expect(operationFromEvent(archived)).toEqual({ kind: 'archive', id: pid(3), version: at('2025-02-01T11:59:00.000Z') });
  });

  it('sets the stock flag from inStock, or from available when only that is sent', () => {
    const stock = { productId: pid(4), available: 3, reserved: 1, onHand: 4, inStock: true };
    expect(operationFromEvent(event('stock.changed', stock))).toEqual({
      kind: 'stock',
      id: pid(4),
      inStock: true,
      version: at('2025-02-01T12:00:00.000Z'),
    });
    expect(operationFromEvent(event('stock.changed', { productId: pid(4), available: 0 }))).toMatchObject({ inStock: false });
  });

  it('refuses payloads without the documented shape', () => {
    expect(() => operationFromEvent(event('product.archived', { sku: 'x' }))).toThrow(EventPayloadError);
    expect(() => operationFromEvent(event('stock.changed', { productId: pid(1) }))).toThrow(EventPayloadError);
    expect(() => operationFromEvent(event('stock.changed', { productId: pid(1), inStock: true }, 'yesterday'))).toThrow(EventPayloadError);
    expect(() => operationFromEvent(event('product.created', { product: { ...byId(pid(1)), priceMinor: 12.5 } }))).toThrow(SnapshotError);
    expect(() => operationFromEvent(event('order.placed', {}))).toThrow(EventPayloadError);
  });
});

describe('toIndexedProduct', () => {
  it('keeps what search reads, always counting the own category among the categories above', () => {
    const { product, listed } = toIndexedProduct({ ...byId(pid(5)), categoryIds: ['cat-footwear'] });
    expect(listed).toBe(true);
    expect(product.categoryIds).toEqual(['cat-sneakers', 'cat-footwear']);
    expect(product).not.toHaveProperty('slug');
  });

  it('defaults what may be missing (text, ratings, base price) and refuses what may not', () => {
    const minimal = { id: 'p', name: 'Thing', categoryId: 'c', priceMinor: 100, currency: 'EUR', createdAt: '2025-01-01T00:00:00Z' };
    expect(toIndexedProduct(minimal).product).toEqual({
      id: 'p',
      sku: '',
      name: 'Thing',
      description: null,
      categoryId: 'c',
      categoryIds: ['c'],
      categoryName: null,
      brand: null,
      color: null,
      size: null,
      priceMinor: 100,
      basePriceMinor: 100,
      currency: 'EUR',
      prices: { EUR: 100 },
      ratingAverage: 0,
      ratingCount: 0,
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    const broken: [string, unknown][] = [
      ['id', { ...minimal, id: '' }],
      ['name', { ...minimal, name: 42 }],
      ['priceMinor', { ...minimal, priceMinor: -1 }],
      ['currency', { ...minimal, currency: 'euro' }],
      ['createdAt', { ...minimal, createdAt: 'soon' }],
      ['categoryIds', { ...minimal, categoryIds: 'c' }],
      ['ratingAverage', { ...minimal, ratingAverage: 9 }],
      ['archived', { ...minimal, archived: 'no' }],
      ['prices', { ...minimal, prices: [100] }],
      ['prices.USD', { ...minimal, prices: { USD: 1.5 } }],
      ['object', null],
    ];
    for (const [field, value] of broken) {
      expect(() => toIndexedProduct(value)).toThrow(SnapshotError);
      expect(() => toIndexedProduct(value)).toThrow(field === 'object' ? 'not an object' : `snapshot.${field}`);
    }
  });
});
