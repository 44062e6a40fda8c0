import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';

/** What shipping needs to know about an order before shipping it. */
export interface OrderSnapshot {
  id: string;
  status: string;
  /** Whose order it is. */
  userId: string;
}

/**
 * Reads an order on behalf of the caller: `null` when it does not exist or the caller may not
 * see it (the orders subgraph decides; shipping never reads another subgraph's store). Throws
 * `OrderReaderUnavailableError` when the router gives no usable answer.
 */
export interface OrderReader {
  read(orderId: string, authorization: string | undefined): Promise<OrderSnapshot | null>;
}

export class OrderReaderUnavailableError extends ServiceUnavailableError {
  override name = 'OrderReaderUnavailableError';
}

/** The one query shipping sends about orders, word for word. */
export const ORDER_QUERY = 'query($id: ID!) { order(id: $id) { id status user { id } } }';

/**
 * The router's public API, with the caller's own `Authorization` header: the orders subgraph
 * applies owner-or-ADMIN exactly as it does for the storefront.
 */
export function createRouterOrderReader(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): OrderReader {
  const { credentials, ...where } = options;
  const router = createServiceClient({ service: 'Router', unavailableError: OrderReaderUnavailableError, ...where, as: { credentials, audience: 'router' } });
  return {
    async read(orderId, authorization) {
      const order = await router.field<{ id?: unknown; status?: unknown; user?: { id?: unknown } | null }>('order', ORDER_QUERY, { id: orderId }, { forward: { authorization } });
      if (!order) return null;
      const userId = order.user?.id;
      if (typeof order.id !== 'string' || typeof order.status !== 'string' || typeof userId !== 'string') {
        throw new OrderReaderUnavailableError(`Router returned an unusable order: ${JSON.stringify(order)}`);
      }
      return { id: order.id, status: order.status, userId };
    },
  };
}
