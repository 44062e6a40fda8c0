import { formatAmount, money, toOutput } from '@shop/money';
import { currencyCode, type CurrencyService } from './currencies.js';
import { basePrice, currentPrices, effectivePrice, isDiscountActive, priceIn, variantPrice, variantPriceIn } from './pricing.js';
import type { Resolvers } from './generated/resolvers.js';
import type { ImageService } from './images/service.js';
import type { SeoDocument } from './repository.js';
import { ratingOf } from './reviews.js';
import type { ProductService } from './service.js';
import { formatPercent, type ProductUpdateInput } from './validation.js';

// Documents written before SEO fields existed have none.
const seoOf = (document: { seo?: SeoDocument | null }): SeoDocument => document.seo ?? { title: null, description: null };

/** Typed by codegen from schema.graphql: a schema change that breaks a resolver breaks the build. */
export function createResolvers(service: ProductService, currencies: CurrencyService, images: ImageService): Resolvers {
  return {
    Query: {
      product: (_, args, ctx) => service.product(ctx, args),
      products: (_, args, ctx) => service.products(ctx, args),
      categories: (_, __, ctx) => service.categories(ctx),
      exchangeRates: () => currencies.exchangeRates(),
    },
    Mutation: {
      createCategory: (_, args, ctx) => service.createCategory(ctx, args),
      createProduct: (_, args, ctx) => service.createProduct(ctx, args),
      // The schema lets `name`, `categoryId` and `basePrice` be null; the service refuses that at
      // run time ("cannot be cleared") though its input type leaves null out.
      updateProduct: (_, args, ctx) => service.updateProduct(ctx, { id: args.id, input: args.input as ProductUpdateInput }),
      archiveProduct: (_, args, ctx) => service.archiveProduct(ctx, args),
      addReview: (_, args, ctx) => service.addReview(ctx, args),
      setProductPrice: (_, args, ctx) => currencies.setProductPrice(ctx, args),
      setExchangeRate: (_, args, ctx) => currencies.setExchangeRate(ctx, args),
      createProductImageUpload: (_, args, ctx) => images.createUpload(ctx, args),
      attachProductImage: (_, args, ctx) => images.attach(ctx, args),
    },
    Product: {
      __resolveReference: (reference, ctx) => service.productReference(ctx, reference),
      id: (product) => product._id,
      category: (product, _, ctx) => service.categoryOf(ctx, product),
      price: async (product, args, ctx) => {
        if (args.currency === null || args.currency === undefined) return toOutput(effectivePrice(product, ctx.now));
        const currency = currencyCode(args.currency, 'currency');
        return toOutput(priceIn(product, currency, await ctx.loaders.exchangeRates(), ctx.now));
      },
      currentPrices: async (product, _, ctx) => currentPrices(product, await ctx.loaders.exchangeRates(), ctx.now).map(toOutput),
      prices: (product) => Object.entries(product.prices ?? {}).map(([currency, minor]) => toOutput(money(minor, currency))),
      basePrice: (product) => toOutput(basePrice(product)),
      variants: (product) => product.variants.map((variant) => ({ ...variant, product })),
      seo: seoOf,
      discount: (product, _, ctx) => {
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
      rating: (product) => ratingOf(product),
      reviews: (product, args, ctx) => service.reviewsOf(ctx, 'product', product._id, args),
    },
    ProductVariant: {
      __resolveReference: (reference, ctx) => service.variantReference(ctx, reference),
      product: (variant) => variant.product,
      price: async ({ product, ...variant }, args, ctx) => {
        if (args.currency === null || args.currency === undefined) return toOutput(variantPrice(product, variant, ctx.now));
        const currency = currencyCode(args.currency, 'currency');
        return toOutput(variantPriceIn(product, variant, currency, await ctx.loaders.exchangeRates(), ctx.now));
      },
    },
    ExchangeRate: {
      updatedAt: (rate) => rate.updatedAt,
    },
    Category: {
      id: (category) => category._id,
      parent: (category, _, ctx) => category.parentId === null ? null : ctx.loaders.categoryById.load(category.parentId),
      children: (category, _, ctx) => ctx.loaders.categoryChildren.load(category._id),
      seo: seoOf,
    },
    Review: {
      __resolveReference: (reference, ctx) => service.reviewReference(ctx, reference),
      id: (review) => review._id,
      // Users owns User: a reference with the id is all the router needs to fetch the rest.
      author: (review) => ({ __typename: 'User', id: review.userId }),
      product: (review, _, ctx) => service.productOfReview(ctx, review),
    },
    User: {
      __resolveReference: (reference) => ({ id: reference.id }),
      reviews: (user, args, ctx) => service.reviewsOf(ctx, 'user', user.id, args),
    },
  };
}
