import { money, toOutput, type MoneyOutput } from '@shop/money';
import type { ResolverMap } from '@shop/subgraph-kit';
import type { PaymentsContext } from './context.js';
import type { Payment } from './model.js';

interface OrderKey {
  id: string;
}

/** Thin: arguments to the service, domain objects to the GraphQL shape. */
export const resolvers: ResolverMap<PaymentsContext> = {
  Mutation: {
    payOrder: (_: unknown, args: { orderId: string; paymentMethod: string }, ctx: PaymentsContext) =>
      ctx.payments.payOrder(ctx, args.orderId, args.paymentMethod),
  },
  Order: {
    // Orders owns Order; a reference carries all payments needs (the id), so no lookup.
    __resolveReference: (reference: OrderKey): OrderKey => ({ id: reference.id }),
    payment: async (order: OrderKey, _: unknown, ctx: PaymentsContext) =>
      (await ctx.payments.paymentsOfOrder(ctx, order.id))[0] ?? null,
    payments: (order: OrderKey, _: unknown, ctx: PaymentsContext) => ctx.payments.paymentsOfOrder(ctx, order.id),
  },
  Payment: {
    amount: (payment: Payment): MoneyOutput => toOutput(money(payment.amountMinor, payment.currency)),
    clientSecret: (payment: Payment, _: unknown, ctx: PaymentsContext) => ctx.payments.clientSecretFor(ctx, payment),
    createdAt: (payment: Payment) => payment.createdAt.toISOString(),
    order: (payment: Payment) => ({ __typename: 'Order', id: payment.orderId }),
  },
};
