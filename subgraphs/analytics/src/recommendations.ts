import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';
import { badUserInput } from '@shop/errors';
import { groupByKeys, requireCaller } from '@shop/subgraph-kit';
import type { AnalyticsContext } from './context.js';
import type { AnalyticsDatabase } from './db/schema.js';
import { recommendationRepository } from './recommendationRepository.js';

export const DEFAULT_RECOMMENDATIONS = 4;
export const MAX_RECOMMENDATIONS = 20;

/** Per request: "bought together" for every product of a page in one statement, per `first`. */
export interface RecommendationLoaders {
  boughtTogether(first: number): DataLoader<string, string[]>;
}

export type RecommendationsService = ReturnType<typeof createRecommendationsService>;

function parseFirst(first: number | null | undefined): number {
  const n = first ?? DEFAULT_RECOMMENDATIONS;
  if (!Number.isInteger(n) || n < 0 || n > MAX_RECOMMENDATIONS) throw badUserInput(`first must be between 0 and ${MAX_RECOMMENDATIONS}`, 'first');
  return n;
}

export function createRecommendationsService(deps: { db: Kysely<AnalyticsDatabase> }) {
  const { db } = deps;
  return {
    loaders(): RecommendationLoaders {
      const byFirst = new Map<number, DataLoader<string, string[]>>();
      return {
        boughtTogether(first) {
          let loader = byFirst.get(first);
          if (!loader) {
            loader = new DataLoader(async (ids) =>
              groupByKeys(ids, await recommendationRepository.boughtTogether(db, ids, first), (row) => row.productId).map((rows) => rows.map((r) => r.otherId)),
            );
            byFirst.set(first, loader);
          }
          return loader;
        },
      };
    },

    /** Product ids most often bought with `productId` in paid orders. */
    boughtTogether(ctx: AnalyticsContext, productId: string, first: number | null | undefined): Promise<string[]> {
      return ctx.loaders.boughtTogether(parseFirst(first)).load(productId);
    },

    /** Signed-in callers only: from their paid orders, best sellers when those say nothing. */
    async recommendedFor(ctx: AnalyticsContext, first: number | null | undefined): Promise<string[]> {
      const caller = requireCaller(ctx);
      return recommendationRepository.recommendedFor(db, caller.userId, parseFirst(first));
    },
  };
}
