import { type AppError, badUserInput, conflict } from '@shop/errors';
import { fromOutput, money, MoneyError, type Money } from '@shop/money';
import { decodeCursor, encodeCursor, pageSize, requireAdmin, toConnection, type Connection } from '@shop/subgraph-kit';
import type { OrdersContext } from './context.js';
import {
  allocateDiscount,
  isPromotionCode,
  normaliseCode,
  parsePromotionInput,
  quote,
  type Promotion,
  type PromotionInput,
  type Quote,
} from './promotionRules.js';
import { type PromotionRefusedError, type PromotionCursor, type PromotionsRepository } from './promotionsRepository.js';

export type PromotionConnection = Connection<Promotion, () => Promise<number>>;

/** What the cart asks about a code: its worth for the cart's subtotal, for the calling customer. */
export interface QuoteInput {
  code: string;
  subtotal: { amount: string; currencyCode: string };
}

/** A code as checkout redeems it: the discount, each line's share of it and what to redeem. */
export interface CheckoutDiscount {
  discount: Money;
  lineShares: number[];
  promotion: { id: string; code: string; perCustomerLimit: number | null };
}

const MAX_QUOTES = 100;

export type PromotionsService = ReturnType<typeof createPromotionsService>;

/**
 * Promotions: admins create and read them, the cart asks what a code is worth (`quotes`), and
 * checkout turns the cart's code into a discount (`checkoutDiscount`) that the order's own
 * transaction redeems. `now` is injectable so validity windows are tested without waiting.
 */
export function createPromotionsService(deps: { repository: PromotionsRepository; now?: () => Date }) {
  const { repository } = deps;
  const now = deps.now ?? (() => new Date());

  /** Quotes for many codes in two statements: the promotions, then the caller's uses of them. */
  async function quoteAll(
    ctx: OrdersContext,
    requests: ReadonlyArray<{ code: string; subtotal: Money; shipping?: Money }>,
  ): Promise<Array<{ quote: Quote; promotion: Promotion | null }>> {
    const codes = requests.map((request) => normaliseCode(request.code)).filter(isPromotionCode);
    const found = await repository.findByCodes(codes);
    const byCode = new Map(found.map((promotion) => [promotion.code, promotion]));
    const userId = ctx.caller?.userId;
    const uses = userId && found.length > 0 ? await repository.customerUses(found.map((p) => p.id), userId) : new Map<string, number>();
    const at = now();
    return requests.map((request) => {
      const promotion = byCode.get(normaliseCode(request.code)) ?? null;
      return { promotion, quote: quote(promotion, { ...request, now: at, customerUses: promotion ? (uses.get(promotion.id) ?? 0) : 0 }) };
    });
  }

  return {
    async create(ctx: OrdersContext, input: PromotionInput): Promise<Promotion> {
      requireAdmin(ctx);
      const promotion = await repository.insert(parsePromotionInput(input));
      if (!promotion) throw conflict(`A promotion with the code ${normaliseCode(input.code)} exists already`, { field: 'input.code' });
      return promotion;
    },

    async byCode(ctx: OrdersContext, code: string): Promise<Promotion | null> {
      requireAdmin(ctx);
      return ctx.loaders.promotionByCode.load(normaliseCode(code));
    },

    async list(ctx: OrdersContext, args: { first?: number | null; after?: string | null }): Promise<PromotionConnection> {
      requireAdmin(ctx);
      const first = pageSize(args.first);
      const after = decodeCursor<PromotionCursor>(args.after, 'promotion', ([at, id]) =>
        typeof at === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) && !Number.isNaN(Date.parse(at)) ? { createdAt: new Date(at), id } : null,
      );
      const page = await repository.page(first, after);
      return toConnection(
        page.promotions,
        (promotion) => ({ cursor: encodeCursor('promotion', [promotion.createdAt.toISOString(), promotion.id]), node: promotion }),
        { hasNextPage: page.hasNextPage, totalCount: () => repository.count() },
      );
    },

    /** For the cart (an internal field): what each code is worth now, for the caller. */
    async quotes(ctx: OrdersContext, requests: readonly QuoteInput[]): Promise<Quote[]> {
      if (requests.length > MAX_QUOTES) throw badUserInput(`At most ${MAX_QUOTES} quotes per request`, 'requests');
      const parsed = requests.map((request, i) => {
        try {
          return { code: request.code, subtotal: fromOutput(request.subtotal) };
        } catch (error) {
          if (error instanceof MoneyError) throw badUserInput(error.message, `requests.${i}.subtotal`);
          throw error;
        }
      });
      return (await quoteAll(ctx, parsed)).map((quoted) => quoted.quote);
    },

    /**
     * The discount of the cart's code at checkout, or null without a code. A code that gives
     * nothing now is refused (BAD_USER_INPUT on `code`, with the reason), before any stock is held.
     */
    async checkoutDiscount(ctx: OrdersContext, code: string | null, lines: readonly Money[], shipping: Money): Promise<CheckoutDiscount | null> {
      if (code === null) return null;
      const subtotal = money(lines.reduce((sum, line) => sum + line.minor, 0), shipping.currency);
      const [{ quote: quoted, promotion }] = (await quoteAll(ctx, [{ code, subtotal, shipping }])) as [{ quote: Quote; promotion: Promotion | null }];
      if (quoted.status !== 'APPLIES' || !promotion) throw refusal(quoted.message);
      // Free shipping is off the shipping, not off any line.
      const lineShares = quoted.freeShipping ? lines.map(() => 0) : allocateDiscount(lines.map((line) => line.minor), quoted.discount.minor);
      return { discount: quoted.discount, lineShares, promotion: { id: promotion.id, code: promotion.code, perCustomerLimit: promotion.perCustomerLimit } };
    },

    /** The shopper's error when the order's transaction found the code used up after all. */
    refusedAtCheckout(error: PromotionRefusedError, code: string): AppError {
      return refusal(
        error.status === 'USED_UP'
          ? `${code} has just been used up and can no longer be redeemed; remove it to check out without it`
          : `You have already used ${code}; remove it to check out without it`,
      );
    },
  };
}

function refusal(message: string): AppError {
  return badUserInput(message, 'code');
}
