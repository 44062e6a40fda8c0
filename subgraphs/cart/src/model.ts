import type { Money } from '@shop/money';

/**
 * One product in a cart, in one of its forms: a line is keyed by product and variant. No price:
 * prices are the catalog's, asked for on every read.
 */
export interface CartLine {
  productId: string;
  /** The variant (size, colour) chosen; absent or null for a product sold in one form (and in carts from before variants). */
  variantId?: string | null;
  quantity: number;
}

/** A cart as stored: one JSON document per cart under `cart:<id>`. */
export interface Cart {
  id: string;
  /** The owner of a user cart; null for a guest cart. */
  userId: string | null;
  /** Bumped by every write, for compare-and-set. 0: not stored yet. */
  version: number;
  lines: CartLine[];
  /**
   * Guest carts already merged into this one (the latest few). Written together with the
   * merged lines, so a merge retried after a crash between "write the user's cart" and
   * "delete the guest cart" never adds the same items twice.
   */
  mergedCartIds: string[];
  /** The promotion code the shopper applied (as orders stores it); absent in carts from before promotions. */
  promoCode?: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A line as clients see it: priced at the catalog's current price. */
export interface PricedLine {
  productId: string;
  /** Null or absent: a product sold in one form. */
  variantId?: string | null;
  quantity: number;
  unitPrice: Money;
}

export const CART_LIMITS = {
  minQuantity: 1,
  maxQuantity: 99,
  maxLines: 100,
  maxProductIdLength: 200,
  /** How many merged guest cart ids a cart remembers. */
  mergedIdsKept: 20,
} as const;

/** The subtotal of a guest's empty cart needs a currency: the store's (the catalog's own). */
export const EMPTY_CART_CURRENCY = 'EUR';
