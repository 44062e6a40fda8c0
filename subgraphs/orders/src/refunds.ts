import { badUserInput, notFound } from '@shop/errors';
import { requireAdmin } from '@shop/subgraph-kit';
import type { OrdersContext } from './context.js';
import type { Order } from './model.js';
import { validateRefundItems, type RequestedRefundItem } from './refundRules.js';
import { isOrderId, type OrdersRepository } from './repository.js';
import { CHECKOUT_LIMITS } from './checkoutLines.js';

export type RefundsService = ReturnType<typeof createRefundsService>;

/** ADMIN line refunds of returned orders; the amounts are refundRules.ts', the writes refundsRepository.ts'. */
export function createRefundsService(deps: { repository: OrdersRepository }) {
  const { repository } = deps;
  return {
    async refundItems(ctx: OrdersContext, args: { orderId: string; items: readonly RequestedRefundItem[]; idempotencyKey: string }): Promise<Order> {
      const caller = requireAdmin(ctx);
      const key = args.idempotencyKey;
      if (key.length < CHECKOUT_LIMITS.minKeyLength || key.length > CHECKOUT_LIMITS.maxKeyLength) {
        throw badUserInput(`idempotencyKey must be ${CHECKOUT_LIMITS.minKeyLength} to ${CHECKOUT_LIMITS.maxKeyLength} characters`, 'idempotencyKey');
      }
      validateRefundItems(args.items);
      const result = isOrderId(args.orderId)
        ? await repository.refund({ orderId: args.orderId, items: args.items, idempotencyKey: key, actor: caller.userId })
        : null;
      if (!result) throw notFound('Order', args.orderId);
      ctx.loaders.orderById.clear(result.order.id).prime(result.order.id, result.order);
      ctx.loaders.itemsByOrderId.clear(result.order.id);
      ctx.loaders.refundsByOrderId.clear(result.order.id);
      return result.order;
    },

    refunds: (ctx: OrdersContext, order: Order) => ctx.loaders.refundsByOrderId.load(order.id),
  };
}
