import { money, toOutput, type MoneyOutput } from '@shop/money';
import type { ResolverMap } from '@shop/subgraph-kit';
import type { AnalyticsContext } from './context.js';
import type { ProductSales } from './repository.js';
import type { SalesReport } from './service.js';

interface TopProductOutput {
  product: { __typename: 'Product'; id: string };
  unitsSold: number;
  revenue: MoneyOutput;
}

/** Thin: arguments to the service, the report to the GraphQL shape. */
export const resolvers: ResolverMap<AnalyticsContext> = {
  Query: {
    salesReport: (_: unknown, args: { from: unknown; to: unknown }, ctx: AnalyticsContext) =>
      ctx.analytics.salesReport(ctx, args.from, args.to),
  },
  SalesReport: {
    revenue: (report: SalesReport): MoneyOutput => toOutput(money(report.revenueMinor, report.currency)),
    averageOrderValue: (report: SalesReport): MoneyOutput => toOutput(money(report.averageOrderValueMinor, report.currency)),
    // Products owns Product: a reference is all the router needs to fetch the rest.
    topProducts: (report: SalesReport): TopProductOutput[] =>
      report.topProducts.map((line: ProductSales) => ({
        product: { __typename: 'Product', id: line.productId },
        unitsSold: line.units,
        revenue: toOutput(money(line.revenueMinor, report.currency)),
      })),
  },
};
