import { badUserInput, notFound } from '@shop/errors';
import { formatRate, isIsoCurrency, MoneyError, parseAmount, parseRate } from '@shop/money';
import { requireAdmin } from '@shop/subgraph-kit';
import type { ProductsContext } from './context.js';
import { pendingEvent } from './events.js';
import type { PendingEventRelay } from './relay.js';
import type { ExchangeRateDocument, ProductDocument, ProductRepository } from './repository.js';
import { documentId } from './validation.js';

export type CurrencyService = ReturnType<typeof createCurrencyService>;

/**
 * Prices in other currencies: an admin fixes a product's price in a currency, or sets the rate
 * at which prices are converted (pricing.ts `priceIn` applies both).
 */
export function createCurrencyService(deps: { repository: ProductRepository; relay: Pick<PendingEventRelay, 'afterWrite'> }) {
  const { repository, relay } = deps;

  return {
    /** ADMIN: a fixed list price in one currency other than the product's own (`basePrice` is that). */
    async setProductPrice(ctx: ProductsContext, args: { productId: string; price: { amount: string; currencyCode: string } }): Promise<ProductDocument> {
      requireAdmin(ctx);
      const id = documentId(args.productId, 'productId');
      const currency = currencyCode(args.price.currencyCode, 'price.currencyCode');
      const current = await ctx.loaders.productById.load(id);
      if (!current) throw notFound('Product', id);
      if (current.archivedAt !== null) throw badUserInput('An archived product cannot be changed', 'productId');
      if (currency === current.basePrice.currency) {
        throw badUserInput(`${currency} is the product's own currency: change basePrice with updateProduct`, 'price.currencyCode');
      }
      let minor: number;
      try {
        minor = parseAmount(args.price.amount, currency);
      } catch (error) {
        if (error instanceof MoneyError) throw badUserInput(error.message, 'price.amount');
        throw error;
      }
      const now = new Date();
      const updated = await repository.updateProduct(id, { prices: { [currency]: minor } }, now, pendingEvent('product.updated', now));
      if (!updated) throw badUserInput('An archived product cannot be changed', 'productId');
      await relay.afterWrite();
      ctx.loaders.productById.clear(id).prime(id, updated);
      ctx.loaders.productBySku.clear(updated.sku).prime(updated.sku, updated);
      return updated;
    },

    /** ADMIN: 1 `from` = `rate` `to`, replacing the rate of that direction. */
    async setExchangeRate(ctx: ProductsContext, args: { from: string; to: string; rate: string }): Promise<ExchangeRateDocument> {
      requireAdmin(ctx);
      const from = currencyCode(args.from, 'from');
      const to = currencyCode(args.to, 'to');
      if (from === to) throw badUserInput('from and to must be different currencies', 'to');
      let rate: string;
      try {
        rate = formatRate(parseRate(args.rate));
      } catch (error) {
        if (error instanceof MoneyError) throw badUserInput(error.message, 'rate');
        throw error;
      }
      const now = new Date();
      const document: ExchangeRateDocument = { _id: `${from}:${to}`, from, to, rate, updatedAt: now };
      await repository.setExchangeRate(document);
      // Converted prices changed: search indexes each product's prices in every currency.
      await repository.announceProductsIn([from, to], () => pendingEvent('product.updated', now));
      await relay.afterWrite();
      return document;
    },

    exchangeRates: () => repository.listExchangeRates(),
  };
}

/** An ISO 4217 code, else BAD_USER_INPUT on `field`. */
export function currencyCode(value: string, field: string): string {
  const code = value.trim();
  if (!isIsoCurrency(code)) throw badUserInput(`${JSON.stringify(value)} is not an ISO 4217 currency code`, field);
  return code;
}
