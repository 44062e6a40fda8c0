import type { PrivacyParticipant } from '@shop/subgraph-kit';
import type { ProductRepository } from './repository.js';

/** More reviews than one person can write: one per product. */
const EXPORT_LIMIT = 100_000;

/**
 * Products' part of privacy rights: the person's reviews. Erasure removes what they wrote (title
 * and body) and keeps the rating, so products' averages stay true; the review still names the
 * user id, which is users' anonymous tombstone by then.
 */
export function createProductsPrivacy(repository: ProductRepository): PrivacyParticipant {
  return {
    async exportPart(userId) {
      const [page] = await repository.findReviewPages({ by: 'user', ownerIds: [userId], first: EXPORT_LIMIT });
      return {
        reviews: (page?.documents ?? []).map((review) => ({
          id: review._id,
          productId: review.productId,
          rating: review.rating,
          title: review.title,
          body: review.body,
          createdAt: review.createdAt.toISOString(),
        })),
      };
    },
    erase: (userId) => repository.eraseReviewTexts(userId),
  };
}
