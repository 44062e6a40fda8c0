import { randomBytes } from 'node:crypto';

const CART_ID_BYTES = 24;
// 24 bytes in base64url: exactly 32 characters of [A-Za-z0-9_-].
const CART_ID = /^[A-Za-z0-9_-]{32}$/;

/**
 * A new cart id: 192 random bits. A guest cart has no owner to check, so its id is the only
 * key to it and must be impossible to guess or enumerate.
 */
export function newCartId(): string {
  return randomBytes(CART_ID_BYTES).toString('base64url');
}

/** True for something `newCartId` could have produced; anything else matches no cart. */
export function isCartId(value: string): boolean {
  return CART_ID.test(value);
}
