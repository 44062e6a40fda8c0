import { AppError } from '@shop/errors';
import { fromOutput, toOutput, type Money } from '@shop/money';
import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';

/** What a promotion code is worth for a subtotal, as orders (the owner of promotions) says. */
export interface PromoQuote {
  /** The code as orders stores it (upper-case). */
  code: string;
  /** APPLIES, or why it takes nothing off now (UNKNOWN, EXPIRED, BELOW_MINIMUM, ...). */
  status: PromoStatus;
  /** For the shopper: what the code gives, or why it gives nothing now. */
  message: string;
  discount: Money;
  freeShipping: boolean;
}

export const PROMO_STATUSES = ['APPLIES', 'UNKNOWN', 'NOT_STARTED', 'EXPIRED', 'USED_UP', 'ALREADY_USED', 'WRONG_CURRENCY', 'BELOW_MINIMUM'] as const;
export type PromoStatus = (typeof PROMO_STATUSES)[number];

export interface QuoteRequest {
  code: string;
  subtotal: Money;
}

/**
 * Where the cart learns what a code is worth: the orders subgraph, which owns promotions so that
 * redeeming a code commits with its order. Asked as the shopper (their `Authorization`), since
 * per-customer limits depend on who asks.
 */
export interface Promotions {
  /** One answer per request, in order, in ONE call. */
  quotes(requests: readonly QuoteRequest[], authorization: string | undefined): Promise<PromoQuote[]>;
}

export class PromotionsUnavailableError extends ServiceUnavailableError {
  override name = 'PromotionsUnavailableError';
}

const QUOTES_QUERY = `query CartPromotionQuotes($requests: [PromotionQuoteRequest!]!) {
  promotionQuotes(requests: $requests) { code status message discount { amount currencyCode } freeShipping }
}`;

export function createOrdersPromotions(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): Promotions {
  const { credentials, ...where } = options;
  const orders = createServiceClient({ service: 'Orders subgraph', unavailableError: PromotionsUnavailableError, ...where, as: { credentials, audience: 'orders' } });
  return {
    async quotes(requests, authorization) {
      if (requests.length === 0) return [];
      const variables = { requests: requests.map((request) => ({ code: request.code, subtotal: toOutput(request.subtotal) })) };
      const body = await orders.request<{ promotionQuotes?: unknown }>(QUOTES_QUERY, variables, { forward: { authorization } });
      const refusal = body.errors.find((error) => error.extensions?.code === 'UNAUTHENTICATED');
      if (refusal) throw new AppError('UNAUTHENTICATED', refusal.message);
      const quotes = body.data?.promotionQuotes;
      if (body.errors.length > 0 || !Array.isArray(quotes) || quotes.length !== requests.length) {
        throw new PromotionsUnavailableError(`Orders subgraph gave no usable promotion quotes: ${JSON.stringify(body.errors)}`);
      }
      return quotes.map(toQuote);
    },
  };
}

function toQuote(raw: unknown): PromoQuote {
  const { code, status, message, discount, freeShipping } = (raw ?? {}) as Record<string, unknown>;
  if (
    typeof code !== 'string' ||
    typeof message !== 'string' ||
    typeof freeShipping !== 'boolean' ||
    !PROMO_STATUSES.includes(status as PromoStatus)
  ) {
    throw new PromotionsUnavailableError(`Orders subgraph sent an unusable promotion quote: ${JSON.stringify(raw)}`);
  }
  return { code, status: status as PromoStatus, message, discount: fromOutput(discount), freeShipping };
}
