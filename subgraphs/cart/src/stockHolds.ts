import { createServiceClient, ServiceUnavailableError, type ServiceCredentials, type ServiceResponse } from '@shop/subgraph-kit';
import type { CartLine } from './model.js';

/** A product the cart could not hold in the quantity asked for. */
export interface HoldShortage {
  productId: string;
  requested: number;
  available: number;
}

export type HoldOutcome =
  /** The units are held until `expiresAt` (ISO-8601), per product. */
  | { ok: true; expiresAt: string; items: CartLine[] }
  /** Nothing changed: these products fall short. */
  | { ok: false; shortages: HoldShortage[] };

/** Where holds live: inventory, which owns the stock they keep (its `holdStock`, `@inaccessible`). */
export interface StockHolds {
  hold(cartId: string, lines: readonly CartLine[], seconds: number): Promise<HoldOutcome>;
  /** A guest cart merged into `cartId`: its hold, if any, becomes `cartId`'s, for the merged lines (inventory's `moveHold`); null when it held nothing. */
  move(fromCartId: string, cartId: string, lines: readonly CartLine[]): Promise<HoldOutcome | null>;
}

export class StockHoldsUnavailableError extends ServiceUnavailableError {
  override name = 'StockHoldsUnavailableError';
}

export const HOLD_STOCK_MUTATION = `mutation CartHoldStock($cartId: ID!, $items: [ReservationItemInput!]!, $seconds: Int!) {
  holdStock(cartId: $cartId, items: $items, seconds: $seconds) { expiresAt items { productId quantity } }
}`;

export const MOVE_HOLD_MUTATION = `mutation CartMoveHold($fromCartId: ID!, $cartId: ID!, $items: [ReservationItemInput!]!) {
  moveHold(fromCartId: $fromCartId, cartId: $cartId, items: $items) { expiresAt items { productId quantity } }
}`;

type HeldAnswer = { expiresAt: string; items: CartLine[] };

/** Inventory's answer to `holdStock` or `moveHold`: a shortage, the hold in units per product, or null for "no hold". */
function outcomeOf(errors: ServiceResponse<unknown>['errors'], held: HeldAnswer | null | undefined, what: string): HoldOutcome | null {
  const error = errors[0];
  if (error?.extensions?.reason === 'OUT_OF_STOCK' && Array.isArray(error.extensions.products)) {
    return { ok: false, shortages: error.extensions.products as HoldShortage[] };
  }
  if (error) throw new StockHoldsUnavailableError(`${what} failed: ${String(error.extensions?.code)} ${error.message}`);
  if (!held) return null;
  // Units per product, whatever warehouses inventory split them over.
  const units = new Map<string, number>();
  for (const item of held.items) units.set(item.productId, (units.get(item.productId) ?? 0) + item.quantity);
  return { ok: true, expiresAt: held.expiresAt, items: [...units].map(([productId, quantity]) => ({ productId, quantity })) };
}

/** Calls inventory as the cart service (granted `stock:hold` there), not as the shopper: the cart checked them. */
export function createInventoryHolds(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): StockHolds {
  const { credentials, ...where } = options;
  const inventory = createServiceClient({ service: 'Inventory subgraph', unavailableError: StockHoldsUnavailableError, ...where, as: { credentials, audience: 'inventory' } });
  return {
    async hold(cartId, lines, seconds) {
      const items = lines.map(({ productId, quantity }) => ({ productId, quantity }));
      const body = await inventory.request<{ holdStock: HeldAnswer | null }>(HOLD_STOCK_MUTATION, { cartId, items, seconds });
      const outcome = outcomeOf(body.errors, body.data?.holdStock, 'holdStock');
      if (!outcome) throw new StockHoldsUnavailableError('holdStock failed: no answer');
      return outcome;
    },
    async move(fromCartId, cartId, lines) {
      const items = lines.map(({ productId, quantity }) => ({ productId, quantity }));
      const body = await inventory.request<{ moveHold: HeldAnswer | null }>(MOVE_HOLD_MUTATION, { fromCartId, cartId, items });
      return outcomeOf(body.errors, body.data?.moveHold, 'moveHold');
    },
  };
}
