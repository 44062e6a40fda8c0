import { describe, expect, it } from '@jest/globals';
import { decodeProductCursor, encodeProductCursor } from '../src/cursor.js';

describe('product cursors', () => {
  it('carry a product id through an opaque, URL-safe string', () => {
    const cursor = encodeProductCursor('64a000000000000000000042');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('64a0');
    expect(decodeProductCursor(cursor)).toBe('64a000000000000000000042');
  });

  it.each([
    ['empty', ''],
    ['not base64url', '!!not a cursor!!'],
    ['base64 of other text', Buffer.from('hello').toString('base64url')],
    ['our prefix but not an id', Buffer.from('product:{"$gt":""}').toString('base64url')],
    ['an id of the wrong shape', Buffer.from('product:64A000000000000000000042').toString('base64url')],
    ['far too long', 'A'.repeat(5000)],
  ])('refuse %s', (_label, cursor) => {
    expect(decodeProductCursor(cursor)).toBeNull();
  });
});
