import { toOutput } from '@shop/money';
import type { SubgraphServerOptions } from '@shop/subgraph-kit';
import type { ProductsContext } from './context.js';
import { basePrice, effectivePrice, variantPrice } from './pricing.js';
import type { CategoryDocument, ProductDocument } from './repository.js';
import { DateTimeScalar } from './scalars.js';
import type { ProductFilterInput, ProductReference, ProductService } from './service.js';

type Resolvers = SubgraphServerOptions<ProductsContext>['resolvers'];

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
    Product: {
      __resolveReference: (reference: ProductReference, ctx: ProductsContext) => service.productReference(ctx, reference),
      id: (product: ProductDocument) => product._id,
      category: (product: ProductDocument, _: unknown, ctx: ProductsContext) => service.categoryOf(ctx, product),
      price: (product: ProductDocument, _: unknown, ctx: ProductsContext) => toOutput(effectivePrice(product, ctx.now)),
      basePrice: (product: ProductDocument) => toOutput(basePrice(product)),
      variants: (product: ProductDocument, _: unknown, ctx: ProductsContext) =>
        product.variants.map((variant) => ({ ...variant, price: toOutput(variantPrice(product, variant, ctx.now)) })),
    },
    Category: {
      id: (category: CategoryDocument) => category._id,
      parent: (category: CategoryDocument, _: unknown, ctx: ProductsContext) =>
        category.parentId === null ? null : ctx.loaders.categoryById.load(category.parentId),
      children: (category: CategoryDocument, _: unknown, ctx: ProductsContext) => ctx.loaders.categoryChildren.load(category._id),
    },
  };
}
