import { fromOutput, type Money } from '@shop/money';
import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';

/** What paying needs to know about an order, as the caller is allowed to see it. */
export interface OrderSnapshot {
  id: string;
  status: string;
  totalMinor: number;
  currency: string;
}

/**
 * Reads an order on behalf of the caller: `null` when it does not exist or the caller may not
 * see it (the orders subgraph decides; payments never reads another subgraph's store).
 */
export interface OrderReader {
  read(orderId: string, authorization: string | undefined): Promise<OrderSnapshot | null>;
}

export class OrderReaderUnavailableError extends ServiceUnavailableError {
  override name = 'OrderReaderUnavailableError';
}

const ORDER_QUERY = 'query($id: ID!) { order(id: $id) { id status total { amount currencyCode } } }';

/**
 * The router's public API, with the caller's own `Authorization` header: the orders subgraph
 * enforces owner-or-ADMIN exactly as it does for the storefront.
 */
export function createRouterOrderReader(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): OrderReader {
  const { credentials, ...where } = options;
  const router = createServiceClient({ service: 'Router', unavailableError: OrderReaderUnavailableError, ...where, as: { credentials, audience: 'router' } });
  return {
    async read(orderId, authorization) {
      const order = await router.field<{ id?: unknown; status?: unknown; total?: unknown }>('order', ORDER_QUERY, { id: orderId }, { forward: { authorization } });
      if (!order) return null;
      const unusable = () => new OrderReaderUnavailableError(`Router returned an unusable order: ${JSON.stringify(order)}`);
      if (typeof order.id !== 'string' || typeof order.status !== 'string') throw unusable();
      let total: Money;
      try {
        total = fromOutput(order.total);
      } catch {
        throw unusable();
      }
      return { id: order.id, status: order.status, totalMinor: total.minor, currency: total.currency };
    },
  };
}
