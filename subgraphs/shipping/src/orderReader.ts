import { AppError } from '@shop/errors';

/** What shipping needs to know about an order before shipping it. */
export interface OrderSnapshot {
  id: string;
  status: string;
}

/**
 * Reads an order on behalf of the caller: `null` when it does not exist or the caller may not
 * see it (the orders subgraph decides; shipping never reads another subgraph's store). Throws
 * `OrderReaderUnavailableError` when the router gives no usable answer.
 */
export interface OrderReader {
  read(orderId: string, authorization: string | undefined): Promise<OrderSnapshot | null>;
}

export class OrderReaderUnavailableError extends Error {
  override name = 'OrderReaderUnavailableError';
}

/** The one query shipping sends about orders, word for word. */
export const ORDER_QUERY = 'query($id: ID!) { order(id: $id) { id status } }';

// The router's answer when the caller may not ask: passed on as it is.
const PASS_THROUGH = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

interface OrderResponse {
  data?: { order?: { id?: unknown; status?: unknown } | null } | null;
  errors?: Array<{ message?: string; extensions?: { code?: unknown } }>;
}

/**
 * The router's public API, with the caller's own `Authorization` header: the orders subgraph
 * applies owner-or-ADMIN exactly as it does for the storefront.
 */
export function createRouterOrderReader(options: { url: string; timeoutMs?: number }): OrderReader {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    async read(orderId, authorization) {
      let body: OrderResponse;
      try {
        const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
        if (authorization) headers.authorization = authorization;
        const response = await fetch(options.url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query: ORDER_QUERY, variables: { id: orderId } }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = (await response.json()) as OrderResponse;
        if (!response.ok && !body.errors) throw new Error(`HTTP ${response.status}`);
      } catch (error) {
        throw new OrderReaderUnavailableError(`Router at ${options.url} did not answer: ${(error as Error).message}`);
      }
      for (const error of body.errors ?? []) {
        const code = String(error.extensions?.code);
        if (code === 'NOT_FOUND') return null;
        if (PASS_THROUGH.has(code)) throw new AppError(code as 'UNAUTHENTICATED' | 'FORBIDDEN', error.message ?? code);
        throw new OrderReaderUnavailableError(`Router failed to read order ${orderId}: ${error.message ?? code}`);
      }
      const order = body.data?.order;
      if (!order) return null;
      if (typeof order.id !== 'string' || typeof order.status !== 'string') {
        throw new OrderReaderUnavailableError(`Router returned an unusable order: ${JSON.stringify(order)}`);
      }
      return { id: order.id, status: order.status };
    },
  };
}
