import { AppError } from '@shop/errors';
import { parseAmount } from '@shop/money';
import { callService, ServiceUnavailableError } from '@shop/subgraph-kit';

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

// The router's answer when the order is not the caller's: passed on as it is.
const PASS_THROUGH = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

interface OrderData {
  order?: { id?: unknown; status?: unknown; total?: { amount?: unknown; currencyCode?: unknown } | null } | null;
}

/**
 * The router's public API, with the caller's own `Authorization` header: the orders subgraph
 * enforces owner-or-ADMIN exactly as it does for the storefront.
 */
export function createRouterOrderReader(options: { url: string; timeoutMs?: number }): OrderReader {
  return {
    async read(orderId, authorization) {
      const body = await callService<OrderData>({
        service: 'Router',
        url: options.url,
        query: ORDER_QUERY,
        variables: { id: orderId },
        forward: { authorization },
        timeoutMs: options.timeoutMs,
        unavailableError: OrderReaderUnavailableError,
      });
      for (const error of body.errors) {
        const code = String(error.extensions?.code);
        if (code === 'NOT_FOUND') return null;
        if (PASS_THROUGH.has(code)) throw new AppError(code as 'UNAUTHENTICATED' | 'FORBIDDEN', error.message);
        throw new OrderReaderUnavailableError(`Router failed to read order ${orderId}: ${error.message}`);
      }
      const order = body.data?.order;
      if (!order) return null;
      const { amount, currencyCode } = order.total ?? {};
      if (typeof order.id !== 'string' || typeof order.status !== 'string' || typeof amount !== 'string' || typeof currencyCode !== 'string') {
        throw new OrderReaderUnavailableError(`Router returned an unusable order: ${JSON.stringify(order)}`);
      }
      return { id: order.id, status: order.status, totalMinor: parseAmount(amount, currencyCode), currency: currencyCode };
    },
  };
}
