import { createHash } from 'node:crypto';

/**
 * The id of the order a checkout places, derived from the customer and their idempotency key
 * (a name-based UUID, version 5 layout over SHA-256). Checkout knows it before anything is
 * written, so it can reserve stock under it first: two racing requests with the same key
 * reserve under the same id (inventory is idempotent by order id) and only one order is stored.
 */
export function orderIdFor(userId: string, idempotencyKey: string): string {
  const bytes = createHash('sha256').update(`shop-order\u0000${userId}\u0000${idempotencyKey}`, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
