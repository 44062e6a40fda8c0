import { sql, type Kysely, type Selectable } from 'kysely';
import type { OrdersDatabase, PromotionsTable } from './db/schema.js';
import type { NewPromotion, Promotion, PromotionKind } from './promotionRules.js';

type Executor = Kysely<OrdersDatabase>;

/** A position in the newest-first list of promotions. */
export interface PromotionCursor {
  createdAt: Date;
  id: string;
}

/** Why checkout could not redeem a code it had quoted a moment before (someone else got there first). */
export class PromotionRefusedError extends Error {
  override name = 'PromotionRefusedError';
  constructor(readonly status: 'USED_UP' | 'ALREADY_USED') {
    super(`promotion refused: ${status}`);
  }
}

export type PromotionsRepository = ReturnType<typeof createPromotionsRepository>;

/** The promotions tables; batch-shaped reads. Redemption runs inside the order's own transaction. */
export function createPromotionsRepository(db: Executor) {
  return {
    /** Null, having written nothing, when the code exists already. */
    async insert(promotion: NewPromotion): Promise<Promotion | null> {
      const row = await db
        .insertInto('promotions')
        .values({
          code: promotion.code,
          kind: promotion.kind,
          percent_bp: promotion.percentBp,
          amount_minor: promotion.amountMinor,
          currency: promotion.currency,
          min_subtotal_minor: promotion.minSubtotalMinor,
          starts_at: promotion.startsAt,
          ends_at: promotion.endsAt,
          usage_limit: promotion.usageLimit,
          per_customer_limit: promotion.perCustomerLimit,
        })
        .onConflict((oc) => oc.column('code').doNothing())
        .returningAll()
        .executeTakeFirst();
      return row ? toPromotion(row) : null;
    },

    /** Codes already normalised; the ones that exist, in no particular order. */
    async findByCodes(codes: readonly string[]): Promise<Promotion[]> {
      if (codes.length === 0) return [];
      const rows = await db.selectFrom('promotions').selectAll().where('code', 'in', [...new Set(codes)]).execute();
      return rows.map(toPromotion);
    },

    async page(first: number, after: PromotionCursor | null): Promise<{ promotions: Promotion[]; hasNextPage: boolean }> {
      const rows = await db
        .selectFrom('promotions')
        .selectAll()
        .$if(after !== null, (qb) => qb.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after!.createdAt, after!.id))))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(first + 1)
        .execute();
      return { promotions: rows.slice(0, first).map(toPromotion), hasNextPage: rows.length > first };
    },

    async count(): Promise<number> {
      const row = await db.selectFrom('promotions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** How many of the user's orders hold each promotion (cancelled orders gave theirs back). */
    async customerUses(promotionIds: readonly string[], userId: string): Promise<Map<string, number>> {
      if (promotionIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('promotion_redemptions')
        .select(['promotion_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('promotion_id', 'in', [...new Set(promotionIds)])
        .where('user_id', '=', userId)
        .where('released_at', 'is', null)
        .groupBy('promotion_id')
        .execute();
      return new Map(rows.map((row) => [row.promotion_id, Number(row.n)]));
    },
  };
}

/**
 * Redeems a promotion for an order inside the order's transaction. The conditional UPDATE takes
 * the promotion's row lock and counts the use only while uses are left, so concurrent checkouts
 * line up on it and the ones after the last use find none; the customer's count is read under
 * the same lock. Throws PromotionRefusedError (rolling the order back) when nothing is left.
 */
export async function redeemPromotion(
  trx: Executor,
  redemption: { promotionId: string; perCustomerLimit: number | null; orderId: string; userId: string },
): Promise<void> {
  const counted = await trx
    .updateTable('promotions')
    .set((eb) => ({ times_used: eb('times_used', '+', 1) }))
    .where('id', '=', redemption.promotionId)
    .where((eb) => eb.or([eb('usage_limit', 'is', null), eb('times_used', '<', eb.ref('usage_limit'))]))
    .returning('id')
    .executeTakeFirst();
  if (!counted) throw new PromotionRefusedError('USED_UP');
  if (redemption.perCustomerLimit !== null) {
    const { n } = await trx
      .selectFrom('promotion_redemptions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('promotion_id', '=', redemption.promotionId)
      .where('user_id', '=', redemption.userId)
      .where('released_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(n) >= redemption.perCustomerLimit) throw new PromotionRefusedError('ALREADY_USED');
  }
  await trx
    .insertInto('promotion_redemptions')
    .values({ order_id: redemption.orderId, promotion_id: redemption.promotionId, user_id: redemption.userId, released_at: null })
    .execute();
}

/** A cancelled order gives its use of a code back, in the transaction of the cancellation. */
export async function releasePromotion(trx: Executor, orderId: string): Promise<void> {
  const released = await trx
    .updateTable('promotion_redemptions')
    .set({ released_at: sql<Date>`now()` })
    .where('order_id', '=', orderId)
    .where('released_at', 'is', null)
    .returning('promotion_id')
    .executeTakeFirst();
  if (!released) return;
  await trx
    .updateTable('promotions')
    .set((eb) => ({ times_used: eb('times_used', '-', 1) }))
    .where('id', '=', released.promotion_id)
    .execute();
}

function toPromotion(row: Selectable<PromotionsTable>): Promotion {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind as PromotionKind,
    percentBp: row.percent_bp,
    amountMinor: row.amount_minor,
    currency: row.currency,
    minSubtotalMinor: row.min_subtotal_minor,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    usageLimit: row.usage_limit,
    perCustomerLimit: row.per_customer_limit,
    timesUsed: row.times_used,
    createdAt: row.created_at,
  };
}
