import { money, toOutput } from '@shop/money';
import type { Resolvers } from './generated/resolvers.js';
import type { RecommendationsService } from './recommendations.js';
import type { AnalyticsService } from './service.js';

/**
 * Thin: arguments to the service, the report to the GraphQL shape. Typed by codegen from
 * schema.graphql: a schema change that breaks a resolver breaks the build.
 */
export function createResolvers(service: AnalyticsService, recommendations: RecommendationsService): Resolvers {
  return {
    Query: {
      salesReport: (_, args, ctx) => service.salesReport(ctx, args.from, args.to),
      recommendedForMe: async (_, args, ctx) => (await recommendations.recommendedFor(ctx, args.first)).map((id) => ({ id })),
    },
    Product: {
      __resolveReference: (reference) => ({ id: reference.id }),
      frequentlyBoughtTogether: async (product, args, ctx) => (await recommendations.boughtTogether(ctx, product.id, args.first)).map((id) => ({ id })),
    },
    SalesReport: {
      revenue: (report) => toOutput(money(report.revenueMinor, report.currency)),
      averageOrderValue: (report) => toOutput(money(report.averageOrderValueMinor, report.currency)),
      discounts: (report) => toOutput(money(report.discountMinor, report.currency)),
      ordersWithPromotion: (report) => report.promotionOrderCount,
      // Products owns Product: a reference is all the router needs to fetch the rest.
      topProducts: (report) =>
        report.topProducts.map((line) => ({
          product: { __typename: 'Product', id: line.productId },
          unitsSold: line.units,
          revenue: toOutput(money(line.revenueMinor, report.currency)),
        })),
    },
  };
}
