import { formatAmount, toOutput } from '@shop/money';
import type { SubgraphServerOptions } from '@shop/subgraph-kit';
import type { ProductsContext } from './context.js';
import { basePrice, effectivePrice, isDiscountActive, variantPrice } from './pricing.js';
import type { CategoryDocument, ProductDocument, ReviewDocument, SeoDocument } from './repository.js';
import { ratingOf } from './reviews.js';
import { DateTimeScalar } from './scalars.js';
import type { AddReviewArgs, PageArgs, ProductFilterInput, ProductReference, ProductService } from './service.js';
import { formatPercent, type ProductInput, type ProductUpdateInput, type SeoInput } from './validation.js';

type Resolvers = SubgraphServerOptions<ProductsContext>['resolvers'];

// Documents written before SEO fields existed have none.
const seoOf = (document: { seo?: SeoDocument | null }): SeoDocument => document.seo ?? { title: null, description: null };

export function createResolvers(service: ProductService): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Query: {
      product: (_: unknown, args: { id?: string | null; sku?: string | null }, ctx: ProductsContext) => service.product(ctx, args),
      products: (
        _: unknown,
        args: { filter?: ProductFilterInput | null; first?: number | null; after?: string | null },
        ctx: ProductsContext,
      ) => service.products(ctx, args),
      categories: (_: unknown, __: unknown, ctx: ProductsContext) => service.categories(ctx),
    },
    Mutation: {
      createCategory: (_: unknown, args: { name: string; parentId?: string | null; seo?: SeoInput | null }, ctx: ProductsContext) =>
        service.createCategory(ctx, args),
      createProduct: (_: unknown, args: { input: ProductInput }, ctx: ProductsContext) => service.createProduct(ctx, args),
      updateProduct: (_: unknown, args: { id: string; input: ProductUpdateInput }, ctx: ProductsContext) =>
        service.updateProduct(ctx, args),
      archiveProduct: (_: unknown, args: { id: string }, ctx: ProductsContext) => service.archiveProduct(ctx, args),
      addReview: (_: unknown, args: AddReviewArgs, ctx: ProductsContext) => service.addReview(ctx, args),
    },
    Product: {
      __resolveReference: (reference: ProductReference, ctx: ProductsContext) => service.productReference(ctx, reference),
      id: (product: ProductDocument) => product._id,
      category: (product: ProductDocument, _: unknown, ctx: ProductsContext) => service.categoryOf(ctx, product),
      price: (product: ProductDocument, _: unknown, ctx: ProductsContext) => toOutput(effectivePrice(product, ctx.now)),
      basePrice: (product: ProductDocument) => toOutput(basePrice(product)),
      variants: (product: ProductDocument, _: unknown, ctx: ProductsContext) =>
        product.variants.map((variant) => ({ ...variant, price: toOutput(variantPrice(product, variant, ctx.now)) })),
      seo: seoOf,
      discount: (product: ProductDocument, _: unknown, ctx: ProductsContext) => {
        const { discount } = product;
        if (!discount) return null;
        return {
          type: discount.type,
          value: discount.type === 'PERCENTAGE' ? formatPercent(discount.value) : formatAmount(discount.value, product.basePrice.currency),
          startsAt: discount.startsAt,
          endsAt: discount.endsAt,
          active: isDiscountActive(discount, ctx.now),
        };
      },
      rating: (product: ProductDocument) => ratingOf(product),
      reviews: (product: ProductDocument, args: PageArgs, ctx: ProductsContext) => service.reviewsOf(ctx, 'product', product._id, args),
    },
    Category: {
      id: (category: CategoryDocument) => category._id,
      parent: (category: CategoryDocument, _: unknown, ctx: ProductsContext) =>
        category.parentId === null ? null : ctx.loaders.categoryById.load(category.parentId),
      children: (category: CategoryDocument, _: unknown, ctx: ProductsContext) => ctx.loaders.categoryChildren.load(category._id),
      seo: seoOf,
    },
    Review: {
      __resolveReference: (reference: { id?: string }, ctx: ProductsContext) => service.reviewReference(ctx, reference),
      id: (review: ReviewDocument) => review._id,
      // Users owns User: a reference with the id is all the router needs to fetch the rest.
      author: (review: ReviewDocument) => ({ __typename: 'User', id: review.userId }),
      product: (review: ReviewDocument, _: unknown, ctx: ProductsContext) => service.productOfReview(ctx, review),
    },
    User: {
      __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
      reviews: (user: { id: string }, args: PageArgs, ctx: ProductsContext) => service.reviewsOf(ctx, 'user', user.id, args),
    },
  };
}
