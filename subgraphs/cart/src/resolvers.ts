import { money, multiply, toOutput } from '@shop/money';
import type { Resolvers } from './generated/resolvers.js';
import type { CartHold, CartHolds } from './holds.js';
import type { CartService } from './service.js';

/**
 * Thin: arguments to the service, domain objects to the GraphQL shape. Typed by codegen from
 * schema.graphql: a schema change that breaks a resolver breaks the build.
 */
export function createResolvers(service: CartService, holds: CartHolds): Resolvers {
  return {
    Query: {
      cart: (_, args, ctx) => service.cart(ctx, args.id),
    },
    Mutation: {
      addToCart: (_, args, ctx) => service.addToCart(ctx, args),
      updateCartItem: (_, args, ctx) => service.updateCartItem(ctx, args),
      removeCartItem: (_, args, ctx) => service.removeCartItem(ctx, args),
      mergeCart: (_, args, ctx) => service.mergeCart(ctx, args),
      clearCart: (_, args, ctx) => service.clearCart(ctx, args),
      applyPromoCode: (_, args, ctx) => service.applyPromoCode(ctx, args),
      removePromoCode: (_, args, ctx) => service.removePromoCode(ctx, args),
      holdCart: (_, args, ctx) => holds.holdCart(ctx, args),
    },
    Subscription: {
      reservationExpiring: {
        subscribe: (_, args, ctx) => holds.subscribe(ctx, args.cartId),
        resolve: (hold: CartHold) => hold,
      },
    },
    CartHold: {
      items: (hold, _, ctx) => service.items(ctx, hold),
    },
    Cart: {
      __resolveReference: (reference, ctx) => service.reference(ctx, reference.id),
      items: (cart, _, ctx) => service.items(ctx, cart),
      subtotal: async (cart, _, ctx) => toOutput(await service.subtotal(ctx, cart)),
      itemCount: (cart, _, ctx) => service.itemCount(ctx, cart),
      promoCode: (cart) => cart.promoCode ?? null,
      promotion: (cart, _, ctx) => service.promotion(ctx, cart),
      discount: async (cart, _, ctx) => toOutput(await service.discount(ctx, cart)),
      total: async (cart, _, ctx) => {
        const [subtotal, discount] = await Promise.all([service.subtotal(ctx, cart), service.discount(ctx, cart)]);
        return toOutput(money(subtotal.minor - discount.minor, subtotal.currency));
      },
    },
    CartPromotion: {
      freeShipping: (quote) => quote.freeShipping,
    },
    CartItem: {
      product: (line) => ({ __typename: 'Product', id: line.productId }),
      // Products resolves the variant through its product: the reference carries both ids.
      variant: (line) => (line.variantId ? { __typename: 'ProductVariant', id: line.variantId, product: { id: line.productId } } : null),
      unitPrice: (line) => toOutput(line.unitPrice),
      lineTotal: (line) => toOutput(multiply(line.unitPrice, line.quantity)),
    },
  };
}
