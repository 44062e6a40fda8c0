import { badUserInput } from '@shop/errors';
import { requireAdmin } from '@shop/subgraph-kit';
import type { AnalyticsContext } from './context.js';
import { utcDay } from './events.js';
import type { ProductSales, SalesReader } from './repository.js';

const MAX_WINDOW_MS = 366 * 24 * 60 * 60 * 1000;
const TOP_PRODUCTS = 10;

/** A report in minor units of `currency`; resolvers turn amounts into Money. */
export interface SalesReport {
  currency: string;
  orderCount: number;
  revenueMinor: number;
  averageOrderValueMinor: number;
  discountMinor: number;
  promotionOrderCount: number;
  topProducts: ProductSales[];
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;

export function createAnalyticsService(deps: { sales: SalesReader; storeCurrency: string }) {
  const { sales, storeCurrency } = deps;
  return {
    /** ADMIN only; the window is whole UTC days, from `from`'s day through `to`'s day. */
    async salesReport(ctx: AnalyticsContext, from: Date, to: Date): Promise<SalesReport> {
      requireAdmin(ctx);
      if (from.getTime() > to.getTime()) throw badUserInput('from must not be after to', 'from');
      if (to.getTime() - from.getTime() > MAX_WINDOW_MS) throw badUserInput('The window may span at most 366 days', 'to');
      const [fromDay, toDay] = [utcDay(from), utcDay(to)];
      const [totals, topProducts] = await Promise.all([
        sales.salesTotals(fromDay, toDay, storeCurrency),
        sales.topProducts(fromDay, toDay, storeCurrency, TOP_PRODUCTS),
      ]);
      const revenueMinor = totals.revenueMinor - totals.refundedMinor;
      return {
        currency: storeCurrency,
        orderCount: totals.orderCount,
        revenueMinor,
        averageOrderValueMinor: totals.orderCount === 0 ? 0 : divideRounded(revenueMinor, totals.orderCount),
        discountMinor: totals.discountMinor,
        promotionOrderCount: totals.promotionOrderCount,
        topProducts,
      };
    },
  };
}

/** Integer division rounded half up (half away from zero for a negative net revenue). */
export function divideRounded(dividend: number, divisor: number): number {
  const quotient = Math.floor((2 * Math.abs(dividend) + divisor) / (2 * divisor));
  return dividend < 0 ? -quotient : quotient;
}
