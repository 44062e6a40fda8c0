import { toOutput, type MoneyOutput } from '@shop/money';
import type { ResolverMap } from '@shop/subgraph-kit';
import type { ShippingContext } from './context.js';
import type { Quote } from './rates.js';
import type { RateArgs, RatesArgs, ShippingService } from './service.js';

/** Thin: arguments to the service, domain objects to the GraphQL shape. */
export function createResolvers(service: ShippingService): ResolverMap<ShippingContext> {
  return {
    Query: {
      shippingMethods: (_: unknown, _args: unknown, ctx: ShippingContext) => service.methods(ctx),
      shippingRates: (_: unknown, args: RatesArgs, ctx: ShippingContext) => service.rates(ctx, args),
      shippingRate: (_: unknown, args: RateArgs, ctx: ShippingContext) => service.rate(ctx, args),
    },
    ShippingRate: {
      id: (rate: Quote) => rate.method.id,
      name: (rate: Quote) => rate.method.name,
      carrier: (rate: Quote) => rate.method.carrier,
      price: (rate: Quote): MoneyOutput => toOutput(rate.price),
    },
  };
}
