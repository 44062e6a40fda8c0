import { money, multiply, toOutput, type MoneyOutput } from '@shop/money';
import type { SubgraphServerOptions } from '@shop/subgraph-kit';
import type { OrdersContext } from './context.js';
import type { Order, OrderLine, OrderStatusChange } from './model.js';
import type { CheckoutInput, PageArgs } from './service.js';

type Resolvers = SubgraphServerOptions<OrdersContext>['resolvers'];

/** Thin: arguments to the service, domain objects to the GraphQL shape. */
export const resolvers: Resolvers = {
  Query: {
    order: (_: unknown, args: { id: string }, ctx: OrdersContext) => ctx.orders.order(ctx, args.id),
    orders: (_: unknown, args: PageArgs, ctx: OrdersContext) => ctx.orders.allOrders(ctx, args),
  },
  Mutation: {
    checkout: (_: unknown, args: { input: CheckoutInput }, ctx: OrdersContext) => ctx.orders.checkout(ctx, args.input),
    cancelOrder: (_: unknown, args: { id: string }, ctx: OrdersContext) => ctx.orders.cancel(ctx, args.id),
    requestReturn: (_: unknown, args: { id: string; reason?: string | null }, ctx: OrdersContext) =>
      ctx.orders.requestReturn(ctx, args.id, args.reason),
    fulfilOrder: (_: unknown, args: { id: string }, ctx: OrdersContext) => ctx.orders.fulfil(ctx, args.id),
    refundOrder: (_: unknown, args: { id: string }, ctx: OrdersContext) => ctx.orders.refund(ctx, args.id),
  },
  Order: {
    __resolveReference: (reference: { id: string }, ctx: OrdersContext) => ctx.orders.reference(ctx, reference.id),
    user: (order: Order) => ({ __typename: 'User', id: order.userId }),
    items: (order: Order, _: unknown, ctx: OrdersContext) => ctx.orders.lines(ctx, order),
    subtotal: (order: Order): MoneyOutput => toOutput(money(order.subtotalMinor, order.currency)),
    shipping: (order: Order): MoneyOutput => toOutput(money(order.shippingMinor, order.currency)),
    discount: (order: Order): MoneyOutput => toOutput(money(order.discountMinor, order.currency)),
    total: (order: Order): MoneyOutput => toOutput(money(order.totalMinor, order.currency)),
    createdAt: (order: Order) => order.createdAt.toISOString(),
    statusHistory: (order: Order, _: unknown, ctx: OrdersContext) => ctx.orders.history(ctx, order),
  },
  OrderItem: {
    product: (line: OrderLine) => ({ __typename: 'Product', id: line.productId }),
    unitPrice: (line: OrderLine): MoneyOutput => toOutput(money(line.unitPriceMinor, line.currency)),
    lineTotal: (line: OrderLine): MoneyOutput => toOutput(multiply(money(line.unitPriceMinor, line.currency), line.quantity)),
  },
  OrderStatusChange: {
    at: (change: OrderStatusChange) => change.at.toISOString(),
  },
  User: {
    // Users owns User; a reference carries all orders needs (the id), so no lookup.
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    orders: (user: { id: string }, args: PageArgs, ctx: OrdersContext) => ctx.orders.ordersOfUser(ctx, user.id, args),
  },
};
