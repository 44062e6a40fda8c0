import { badUserInput, notFound } from '@shop/errors';
import type { Money } from '@shop/money';
import { requireCaller } from '@shop/subgraph-kit';
import type { ShippingContext } from './context.js';
import { cartWeightGrams, quote, type Quote, type ShippingMethod } from './rates.js';

export interface RatesArgs {
  addressId: string;
  cartId: string;
}

export interface RateArgs extends RatesArgs {
  methodId: string;
}

export interface ShippingService {
  /** Active methods, by id. */
  methods(ctx: ShippingContext): Promise<ShippingMethod[]>;
  /** Methods offered for this cart and address, cheapest first. */
  rates(ctx: ShippingContext, args: RatesArgs): Promise<Quote[]>;
  /** One method's quote, or null when it is not offered for this cart and address. */
  rate(ctx: ShippingContext, args: RateArgs): Promise<Quote | null>;
}

export interface PricingRules {
  defaultWeightGrams: number;
  freeShippingThreshold: Money | null;
}

// Ids belong to users and cart; anything this long is not one of theirs.
const MAX_ID_LENGTH = 200;

/** Domain rules and authorization. Every method takes the request context first. */
export function createShippingService(rules: PricingRules): ShippingService {
  const rates = async (ctx: ShippingContext, args: RatesArgs): Promise<Quote[]> => {
    requireCaller(ctx);
    checkId(args.addressId, 'addressId');
    checkId(args.cartId, 'cartId');
    const [card, { addresses, cart }] = await Promise.all([
      ctx.loaders.rateCard(),
      ctx.loaders.checkoutContext(args.cartId),
    ]);
    // Only the caller's own addresses are listed, so someone else's is as unknown as a made-up id.
    const address = addresses.find((candidate) => candidate.id === args.addressId);
    if (!address) throw notFound('Address', args.addressId);
    if (!cart) throw badUserInput(`Cart ${JSON.stringify(args.cartId)} does not exist`, 'cartId');
    if (cart.lines.length === 0) throw badUserInput('The cart is empty: there is nothing to ship', 'cartId');
    const parcel = {
      country: address.country,
      weightGrams: cartWeightGrams(cart.lines, rules.defaultWeightGrams),
      subtotal: cart.subtotal,
    };
    return quote(card, parcel, rules.freeShippingThreshold);
  };

  return {
    async methods(ctx) {
      requireCaller(ctx);
      const card = await ctx.loaders.rateCard();
      return card.methods.filter((method) => method.active);
    },
    rates,
    async rate(ctx, args) {
      const quotes = await rates(ctx, args);
      return quotes.find((candidate) => candidate.method.id === args.methodId) ?? null;
    },
  };
}

function checkId(value: string, field: string): void {
  if (value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw badUserInput(`${field} must be 1 to ${MAX_ID_LENGTH} characters`, field);
  }
}
