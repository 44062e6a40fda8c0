import { describe, expect, it } from '@jest/globals';
import { decodeSearchCursor, encodeSearchCursor, searchFingerprint } from '../src/cursor.js';

describe('search cursors', () => {
  const fingerprint = searchFingerprint({ terms: ['wool'], brand: 'Nordkap' }, 'PRICE_ASC');

  it('carry a sort key through an opaque, URL-safe string', () => {
    const cursor = encodeSearchCursor(fingerprint, [1999, 'prod-02']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('prod');
    expect(decodeSearchCursor(cursor, fingerprint, 'PRICE_ASC')).toEqual([1999, 'prod-02']);
  });

  it('belong to one search: another query, filter or sort refuses them', () => {
    const cursor = encodeSearchCursor(fingerprint, [1999, 'prod-02']);
    const others = [
      searchFingerprint({ terms: ['wool'], brand: 'Nordkap' }, 'PRICE_DESC'),
      searchFingerprint({ terms: ['wol'], brand: 'Nordkap' }, 'PRICE_ASC'),
      searchFingerprint({ terms: ['wool'] }, 'PRICE_ASC'),
      searchFingerprint({ terms: ['wool'], brand: 'Nordkap', price: { minMinor: 1 } }, 'PRICE_ASC'),
    ];
    for (const other of others) expect(decodeSearchCursor(cursor, other, 'PRICE_ASC')).toBe('another search');
  });

  it.each([
    ['empty', ''],
    ['not base64url', '!!not a cursor!!'],
    ['base64 of other text', Buffer.from('hello').toString('base64url')],
    ['JSON of another shape', Buffer.from('{"$gt":""}').toString('base64url')],
    ['a key of the wrong length', encodeSearchCursor(fingerprint, [1999])],
    ['a key of the wrong types', encodeSearchCursor(fingerprint, ['1999', 2])],
    ['a key that is not finite', Buffer.from(`{"f":"${fingerprint}","k":[1e999,"x"]}`).toString('base64url')],
    ['far too long', 'A'.repeat(5000)],
  ])('refuse %s', (_label, cursor) => {
    expect(decodeSearchCursor(cursor, fingerprint, 'PRICE_ASC')).toBe('not a cursor');
  });
});
