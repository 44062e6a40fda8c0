import { describe, expect, it } from '@jest/globals';
import { decodeProductCursor, decodeReviewCursor, encodeProductCursor, encodeReviewCursor } from '../src/cursor.js';

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
  ])('refuse %s as BAD_USER_INPUT on `after`', (_label, cursor) => {
    expect(() => decodeProductCursor(cursor)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', extensions: expect.objectContaining({ field: 'after' }) }));
  });

  it('mean "from the start" when absent', () => {
    expect(decodeProductCursor(undefined)).toBeNull();
  });
});

describe('review cursors', () => {
  it('carry the time and id of a review through an opaque string', () => {
    const position = { createdAt: new Date('2025-03-01T12:00:00.123Z'), id: '64d000000000000000000007' };
    const cursor = encodeReviewCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeReviewCursor(cursor)).toEqual(position);
  });

  it.each([
    ['a product cursor', encodeProductCursor('64a000000000000000000042')],
    ['a bad time', Buffer.from('review:abc:64d000000000000000000007').toString('base64url')],
    ['an operator for an id', Buffer.from('review:1:{"$gt":""}').toString('base64url')],
    ['garbage', '%%%'],
  ])('refuse %s as BAD_USER_INPUT on `after`', (_label, cursor) => {
    expect(() => decodeReviewCursor(cursor)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
