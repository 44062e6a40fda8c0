import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';
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
}

export class StockHoldsUnavailableError extends ServiceUnavailableError {
  override name = 'StockHoldsUnavailableError';
}

export const HOLD_STOCK_MUTATION = `mutation CartHoldStock($cartId: ID!, $items: [ReservationItemInput!]!, $seconds: Int!) {
  holdStock(cartId: $cartId, items: $items, seconds: $seconds) { expiresAt items { productId quantity } }
}`;

/** Calls inventory as the cart service (granted `stock:hold` there), not as the shopper: the cart checked them. */
export function createInventoryHolds(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): StockHolds {
  const { credentials, ...where } = options;
  const inventory = createServiceClient({ service: 'Inventory subgraph', unavailableError: StockHoldsUnavailableError, ...where, as: { credentials, audience: 'inventory' } });
  return {
    async hold(cartId, lines, seconds) {
      type Data = { holdStock: { expiresAt: string; items: CartLine[] } | null };
      const items = lines.map(({ productId, quantity }) => ({ productId, quantity }));
      const body = await inventory.request<Data>(HOLD_STOCK_MUTATION, { cartId, items, seconds });
      const error = body.errors[0];
      if (error?.extensions?.reason === 'OUT_OF_STOCK' && Array.isArray(error.extensions.products)) {
        return { ok: false, shortages: error.extensions.products as HoldShortage[] };
      }
      const held = body.data?.holdStock;
      if (error || !held) throw new StockHoldsUnavailableError(`holdStock failed: ${error ? `${String(error.extensions?.code)} ${error.message}` : 'no answer'}`);
      // Units per product, whatever warehouses inventory split them over.
      const units = new Map<string, number>();
      for (const item of held.items) units.set(item.productId, (units.get(item.productId) ?? 0) + item.quantity);
      return { ok: true, expiresAt: held.expiresAt, items: [...units].map(([productId, quantity]) => ({ productId, quantity })) };
    },
  };
}
