import type { ErrorCode } from './index.js';

/**
 * Machine-readable causes of a refusal, in `extensions.reason` beside the code, so a client can
 * tell "out of stock" from "illegal status change" without reading the message. Each reason
 * belongs to one code and names the extensions that come with it. Declined payments are no
 * error at all: `payOrder` answers a FAILED payment with its `failureReason` (the decline code).
 */
export const ERROR_REASONS = {
  OUT_OF_STOCK: {
    code: 'CONFLICT',
    description: 'Not enough stock for the order. `extensions.products` lists `{ productId, requested, available }` for each product short.',
  },
  ILLEGAL_TRANSITION: {
    code: 'CONFLICT',
    description: 'The order status machine does not allow this change. `extensions.from` and `extensions.to` name both statuses.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    code: 'CONFLICT',
    description: 'The idempotency key was already used for a different request; use a new key for a new request.',
  },
  ALREADY_EXISTS: {
    code: 'CONFLICT',
    description: 'Something unique is taken (an email, a SKU, a review of this product by this user). `extensions.field` names it.',
  },
  CONCURRENT_UPDATE: {
    code: 'CONFLICT',
    description: 'Another request is changing the same thing right now; retrying shortly succeeds.',
  },
  LIMIT_REACHED: {
    code: 'CONFLICT',
    description: 'A per-account or per-cart limit is reached (addresses, wishlist products, different products in a cart); remove something first.',
  },
  STOCK_RESERVED: {
    code: 'CONFLICT',
    description: 'Stock cannot be set below what open orders hold. `extensions.reserved` says how many units are reserved.',
  },
  CURRENCY_MISMATCH: {
    code: 'CONFLICT',
    description: 'The cart would hold prices in two currencies; remove the product named in the message.',
  },
} as const satisfies Record<string, { code: ErrorCode; description: string }>;

export type ErrorReason = keyof typeof ERROR_REASONS;

export function isErrorReason(value: unknown): value is ErrorReason {
  return typeof value === 'string' && Object.hasOwn(ERROR_REASONS, value);
}
