import { multiply, toOutput } from '@shop/money';
import type { Resolvers } from './generated/resolvers.js';

/**
 * Thin: arguments to the service, domain objects to the GraphQL shape. Typed by codegen from
 * schema.graphql: a schema change that breaks a resolver breaks the build.
 */
export const resolvers: Resolvers = {
  Query: {
    cart: (_, args, ctx) => ctx.carts.cart(ctx, args.id),
  },
  Mutation: {
    addToCart: (_, args, ctx) => ctx.carts.addToCart(ctx, args),
    updateCartItem: (_, args, ctx) => ctx.carts.updateCartItem(ctx, args),
    removeCartItem: (_, args, ctx) => ctx.carts.removeCartItem(ctx, args),
    mergeCart: (_, args, ctx) => ctx.carts.mergeCart(ctx, args),
    clearCart: (_, args, ctx) => ctx.carts.clearCart(ctx, args),
  },
  Cart: {
    __resolveReference: (reference, ctx) => ctx.carts.reference(ctx, reference.id),
    items: (cart, _, ctx) => ctx.carts.items(ctx, cart),
    subtotal: async (cart, _, ctx) => toOutput(await ctx.carts.subtotal(ctx, cart)),
    itemCount: (cart, _, ctx) => ctx.carts.itemCount(ctx, cart),
  },
  CartItem: {
    product: (line) => ({ __typename: 'Product', id: line.productId }),
    unitPrice: (line) => toOutput(line.unitPrice),
    lineTotal: (line) => toOutput(multiply(line.unitPrice, line.quantity)),
  },
};
