import { money, multiply, toOutput } from '@shop/money';
import { selectsPath } from '@shop/subgraph-kit';
import { isActive, promotionValue } from './promotionRules.js';
import type { Resolvers } from './generated/resolvers.js';
import type { PromotionsService } from './promotions.js';
import type { RefundsService } from './refunds.js';
import type { OrdersService } from './service.js';

/**
 * Thin: arguments to the service, domain objects to the GraphQL shape. Typed by codegen from
 * schema.graphql: a schema change that breaks a resolver breaks the build. Dates stay `Date`s
 * (the kit's DateTime scalar writes them; an ISO string it would parse and check again).
 */
export function createResolvers(service: OrdersService, promotions: PromotionsService, refunds: RefundsService): Resolvers {
  return {
    Query: {
      order: (_, args, ctx) => service.order(ctx, args.id),
      orders: (_, args, ctx) => service.allOrders(ctx, args),
      promotion: (_, args, ctx) => promotions.byCode(ctx, args.code),
      promotions: (_, args, ctx) => promotions.list(ctx, args),
      promotionQuotes: (_, args, ctx) => promotions.quotes(ctx, args.requests),
    },
    Mutation: {
      createPromotion: (_, args, ctx) => promotions.create(ctx, args.input),
      checkout: (_, args, ctx) => service.checkout(ctx, args.input),
      cancelOrder: (_, args, ctx) => service.cancel(ctx, args.id),
      requestReturn: (_, args, ctx) => service.requestReturn(ctx, args.id, args.reason),
      fulfilOrder: (_, args, ctx) => service.fulfil(ctx, args.id),
      refundOrder: (_, args, ctx) => service.refund(ctx, args.id),
      refundOrderItems: (_, args, ctx) => refunds.refundItems(ctx, args),
    },
    Order: {
      __resolveReference: (reference, ctx) => service.reference(ctx, reference.id),
      user: (order) => ({ __typename: 'User', id: order.userId }),
      items: (order, _, ctx) => service.lines(ctx, order),
      subtotal: (order) => toOutput(money(order.subtotalMinor, order.currency)),
      shipping: (order) => toOutput(money(order.shippingMinor, order.currency)),
      discount: (order) => toOutput(money(order.discountMinor, order.currency)),
      total: (order) => toOutput(money(order.totalMinor, order.currency)),
      statusHistory: (order, _, ctx) => service.history(ctx, order),
      refunds: (order, _, ctx) => refunds.refunds(ctx, order),
      refunded: (order) => toOutput(money(order.refundedMinor, order.currency)),
    },
    OrderRefund: {
      amount: (refund) => toOutput(money(refund.amountMinor, refund.currency)),
      shipping: (refund) => toOutput(money(refund.shippingMinor, refund.currency)),
      items: (refund) =>
        refund.items.map((item) => ({
          product: { __typename: 'Product' as const, id: item.productId },
          variantId: item.variantId ?? null,
          quantity: item.quantity,
          amount: toOutput(money(item.amountMinor, refund.currency)),
        })),
    },
    OrderItem: {
      product: (line) => ({ __typename: 'Product', id: line.productId }),
      unitPrice: (line) => toOutput(money(line.unitPriceMinor, line.currency)),
      lineTotal: (line) => toOutput(multiply(money(line.unitPriceMinor, line.currency), line.quantity)),
      discount: (line) => toOutput(money(line.discountMinor, line.currency)),
    },
    Promotion: {
      value: (promotion) => promotionValue(promotion),
      minSubtotal: (promotion) => (promotion.minSubtotalMinor === null ? null : toOutput(money(promotion.minSubtotalMinor, promotion.currency!))),
      active: (promotion) => isActive(promotion, new Date()),
    },
    PromotionQuote: {
      discount: (quote) => toOutput(quote.discount),
    },
    User: {
      // Users owns User; a reference carries all orders needs (the id), so no lookup.
      __resolveReference: (reference) => ({ id: reference.id }),
      orders: (user, args, ctx, info) => service.ordersOfUser(ctx, user.id, args, selectsPath(info, ORDER_ITEMS)),
    },
  };
}

const ORDER_ITEMS = ['edges', 'node', 'items'];
