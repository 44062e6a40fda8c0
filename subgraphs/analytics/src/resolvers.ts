import { money, toOutput } from '@shop/money';
import type { Resolvers } from './generated/resolvers.js';
import type { AnalyticsService } from './service.js';

/**
 * Thin: arguments to the service, the report to the GraphQL shape. Typed by codegen from
 * schema.graphql: a schema change that breaks a resolver breaks the build.
 */
export function createResolvers(service: AnalyticsService): Resolvers {
  return {
    Query: {
      salesReport: (_, args, ctx) => service.salesReport(ctx, args.from, args.to),
    },
    SalesReport: {
      revenue: (report) => toOutput(money(report.revenueMinor, report.currency)),
      averageOrderValue: (report) => toOutput(money(report.averageOrderValueMinor, report.currency)),
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
