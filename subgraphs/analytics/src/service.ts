import type { Kysely } from 'kysely';
import { badUserInput } from '@shop/errors';
import { requireAdmin } from '@shop/subgraph-kit';
import type { AnalyticsContext } from './context.js';
import type { AnalyticsDatabase } from './db/schema.js';
import { utcDay } from './events.js';
import { repository, type ProductSales } from './repository.js';

const MAX_WINDOW_MS = 366 * 24 * 60 * 60 * 1000;
const TOP_PRODUCTS = 10;
// A date, optionally with a time and a zone (a time without a zone would depend on the server's).
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** A report in minor units of `currency`; resolvers turn amounts into Money. */
export interface SalesReport {
  currency: string;
  orderCount: number;
  revenueMinor: number;
  averageOrderValueMinor: number;
  topProducts: ProductSales[];
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;

export function createAnalyticsService(deps: { db: Kysely<AnalyticsDatabase>; storeCurrency: string }) {
  const { db, storeCurrency } = deps;
  return {
    /** ADMIN only; the window is whole UTC days, from `from`'s day through `to`'s day. */
    async salesReport(ctx: AnalyticsContext, fromInput: unknown, toInput: unknown): Promise<SalesReport> {
      requireAdmin(ctx);
      const from = parseDateTime(fromInput, 'from');
      const to = parseDateTime(toInput, 'to');
      if (from.getTime() > to.getTime()) throw badUserInput('from must not be after to', 'from');
      if (to.getTime() - from.getTime() > MAX_WINDOW_MS) throw badUserInput('The window may span at most 366 days', 'to');
      const [fromDay, toDay] = [utcDay(from), utcDay(to)];
      const [totals, topProducts] = await Promise.all([
        repository.salesTotals(db, fromDay, toDay, storeCurrency),
        repository.topProducts(db, fromDay, toDay, storeCurrency, TOP_PRODUCTS),
      ]);
      const revenueMinor = totals.revenueMinor - totals.refundedMinor;
      return {
        currency: storeCurrency,
        orderCount: totals.orderCount,
        revenueMinor,
        averageOrderValueMinor: totals.orderCount === 0 ? 0 : divideRounded(revenueMinor, totals.orderCount),
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

function parseDateTime(value: unknown, field: string): Date {
  const date = typeof value === 'string' && ISO_DATE_TIME.test(value) && isCalendarDate(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw badUserInput(`${field} must be an ISO-8601 date-time such as "2025-01-31T00:00:00.000Z"`, field);
  }
  return date;
}

/** `Date` would roll 2025-02-30 over into March instead of refusing it. */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && new Date(Date.UTC(year, month, 0)).getUTCDate() >= day;
}
