import { money, toOutput } from '@shop/money';
import type { Resolvers } from './generated/resolvers.js';
import type { PaymentsService } from './service.js';

/**
 * Thin: arguments to the service, domain objects to the GraphQL shape. Typed by codegen from
 * schema.graphql: a schema change that breaks a resolver breaks the build.
 */
export function createResolvers(service: PaymentsService): Resolvers {
  return {
    Mutation: {
      payOrder: (_, args, ctx) => service.payOrder(ctx, args.orderId, args.paymentMethod),
    },
    Order: {
      // Orders owns Order; a reference carries all payments needs (the id), so no lookup.
      __resolveReference: (reference) => ({ id: reference.id }),
      payment: async (order, _, ctx) => (await service.paymentsOfOrder(ctx, order.id))[0] ?? null,
      payments: (order, _, ctx) => service.paymentsOfOrder(ctx, order.id),
    },
    Payment: {
      amount: (payment) => toOutput(money(payment.amountMinor, payment.currency)),
      refunded: (payment) => toOutput(money(payment.refundedMinor, payment.currency)),
      clientSecret: (payment, _, ctx) => service.clientSecretFor(ctx, payment),
      createdAt: (payment) => payment.createdAt.toISOString(),
      order: (payment) => ({ __typename: 'Order', id: payment.orderId }),
    },
  };
}
