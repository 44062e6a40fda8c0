import { multiply, toOutput, type MoneyOutput } from '@shop/money';
import type { SubgraphServerOptions } from '@shop/subgraph-kit';
import type { CartContext } from './context.js';
import type { Cart, PricedLine } from './model.js';
import type { CartItemArgs } from './service.js';

type Resolvers = SubgraphServerOptions<CartContext>['resolvers'];

/** Thin: arguments to the service, domain objects to the GraphQL shape. */
export const resolvers: Resolvers = {
  Query: {
    cart: (_: unknown, args: { id?: string | null }, ctx: CartContext) => ctx.carts.cart(ctx, args.id),
  },
  Mutation: {
    addToCart: (_: unknown, args: CartItemArgs, ctx: CartContext) => ctx.carts.addToCart(ctx, args),
    updateCartItem: (_: unknown, args: CartItemArgs, ctx: CartContext) => ctx.carts.updateCartItem(ctx, args),
    removeCartItem: (_: unknown, args: { cartId?: string | null; productId: string }, ctx: CartContext) =>
      ctx.carts.removeCartItem(ctx, args),
    mergeCart: (_: unknown, args: { guestCartId: string }, ctx: CartContext) => ctx.carts.mergeCart(ctx, args),
    clearCart: (_: unknown, args: { cartId?: string | null }, ctx: CartContext) => ctx.carts.clearCart(ctx, args),
  },
  Cart: {
    __resolveReference: (reference: { id: string }, ctx: CartContext) => ctx.carts.reference(ctx, reference.id),
    items: (cart: Cart, _: unknown, ctx: CartContext) => ctx.carts.items(ctx, cart),
    subtotal: async (cart: Cart, _: unknown, ctx: CartContext): Promise<MoneyOutput> => toOutput(await ctx.carts.subtotal(ctx, cart)),
    itemCount: (cart: Cart, _: unknown, ctx: CartContext) => ctx.carts.itemCount(ctx, cart),
  },
  CartItem: {
    product: (line: PricedLine) => ({ __typename: 'Product', id: line.productId }),
    unitPrice: (line: PricedLine): MoneyOutput => toOutput(line.unitPrice),
    lineTotal: (line: PricedLine): MoneyOutput => toOutput(multiply(line.unitPrice, line.quantity)),
  },
};
