import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';

/** A product checkout could not reserve in the quantity asked for. */
export interface StockShortage {
  productId: string;
  requested: number;
  available: number;
}

export type ReserveResult =
  /** Stock is held for the order (newly, or by an earlier identical call): units per product. */
  | { ok: true; status: string; items: Array<{ productId: string; quantity: number }> }
  /** Nothing is held: these products fall short. */
  | { ok: false; shortages: StockShortage[] };

/**
 * Inventory's checkout commands (`@inaccessible` fields, called at the inventory subgraph
 * directly), sent with the customer's own `Authorization`.
 */
export interface Inventory {
  /** All or nothing; idempotent by order id. The cart's hold (holdCart), if any, is taken over by the order. */
  reserve(authorization: string | undefined, orderId: string, items: Array<{ productId: string; quantity: number }>, cartId?: string): Promise<ReserveResult>;
  /** Gives back the order's active reservation; false when there was none. */
  release(authorization: string | undefined, orderId: string): Promise<boolean>;
}

export class InventoryUnavailableError extends ServiceUnavailableError {
  override name = 'InventoryUnavailableError';
}

export const RESERVE_MUTATION = `mutation OrdersReserveStock($orderId: ID!, $items: [ReservationItemInput!]!, $cartId: ID) {
  reserveStock(orderId: $orderId, items: $items, cartId: $cartId) { orderId status items { productId warehouse quantity } }
}`;

export const RELEASE_MUTATION = 'mutation OrdersReleaseReservation($orderId: ID!) { releaseReservation(orderId: $orderId) }';

export function createInventoryClient(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): Inventory {
  const inventory = createServiceClient({
    service: 'Inventory',
    url: options.url,
    as: { credentials: options.credentials, audience: 'inventory' },
    timeoutMs: options.timeoutMs ?? 10_000,
    unavailableError: InventoryUnavailableError,
  });
  const post = <T>(authorization: string | undefined, query: string, variables: Record<string, unknown>) =>
    inventory.request<T>(query, variables, { forward: { authorization } });

  return {
    async reserve(authorization, orderId, items, cartId) {
      type Data = { reserveStock: { status: string; items: Array<{ productId: string; quantity: number }> } | null };
      const body = await post<Data>(authorization, RESERVE_MUTATION, { orderId, items, cartId: cartId ?? null });
      const error = body.errors[0];
      if (error) {
        if (error.extensions?.reason === 'OUT_OF_STOCK' && Array.isArray(error.extensions.products)) {
          return { ok: false, shortages: error.extensions.products as StockShortage[] };
        }
        throw new InventoryUnavailableError(`reserveStock failed: ${String(error.extensions?.code)} ${error.message}`);
      }
      const reservation = body.data?.reserveStock;
      if (!reservation) throw new InventoryUnavailableError('reserveStock returned no reservation');
      const units = new Map<string, number>();
      for (const item of reservation.items) units.set(item.productId, (units.get(item.productId) ?? 0) + item.quantity);
      return { ok: true, status: reservation.status, items: [...units].map(([productId, quantity]) => ({ productId, quantity })) };
    },

    async release(authorization, orderId) {
      const body = await post<{ releaseReservation: boolean }>(authorization, RELEASE_MUTATION, { orderId });
      const error = body.errors[0];
      if (error || typeof body.data?.releaseReservation !== 'boolean') {
        throw new InventoryUnavailableError(`releaseReservation failed: ${error?.message ?? 'no answer'}`);
      }
      return body.data.releaseReservation;
    },
  };
}
