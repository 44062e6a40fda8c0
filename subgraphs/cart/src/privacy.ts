import type { PrivacyParticipant } from '@shop/subgraph-kit';
import type { CartRepository } from './repository.js';

/**
 * Cart's part of privacy rights: the signed-in user's cart (lines and promotion code). Erasure
 * deletes it with the pointer from the user to it; guest carts name nobody.
 */
export function createCartPrivacy(repository: CartRepository): PrivacyParticipant {
  return {
    async exportPart(userId) {
      const cartId = await repository.findUserCartId(userId);
      const [cart] = cartId ? await repository.findByIds([cartId]) : [null];
      return {
        cart: cart ? { id: cart.id, lines: cart.lines, promoCode: cart.promoCode ?? null, createdAt: cart.createdAt, updatedAt: cart.updatedAt } : null,
      };
    },
    erase: (userId) => repository.forgetUser(userId),
  };
}
