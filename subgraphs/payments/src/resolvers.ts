import { money, toOutput } from '@shop/money';
import type { Resolvers } from './generated/resolvers.js';

/**
 * Thin: arguments to the service, domain objects to the GraphQL shape. Typed by codegen from
 * schema.graphql: a schema change that breaks a resolver breaks the build.
 */
export const resolvers: Resolvers = {
  Mutation: {
    payOrder: (_, args, ctx) => ctx.payments.payOrder(ctx, args.orderId, args.paymentMethod),
  },
  Order: {
    // Orders owns Order; a reference carries all payments needs (the id), so no lookup.
    __resolveReference: (reference) => ({ id: reference.id }),
    payment: async (order, _, ctx) => (await ctx.payments.paymentsOfOrder(ctx, order.id))[0] ?? null,
    payments: (order, _, ctx) => ctx.payments.paymentsOfOrder(ctx, order.id),
  },
  Payment: {
    amount: (payment) => toOutput(money(payment.amountMinor, payment.currency)),
    clientSecret: (payment, _, ctx) => ctx.payments.clientSecretFor(ctx, payment),
    createdAt: (payment) => payment.createdAt.toISOString(),
    order: (payment) => ({ __typename: 'Order', id: payment.orderId }),
  },
};
