import { toOutput, type MoneyOutput } from '@shop/money';
import type { ResolverMap } from '@shop/subgraph-kit';
import type { ShippingContext } from './context.js';
import type { Quote } from './rates.js';
import type { CreateShipmentArgs, RateArgs, RatesArgs, ShippingService } from './service.js';
import { trackingEvents, trackingUrl, type Shipment, type TrackingEvent } from './shipments.js';

interface EntityKey {
  id: string;
}

/** Thin: arguments to the service, domain objects to the GraphQL shape. */
export function createResolvers(service: ShippingService): ResolverMap<ShippingContext> {
  return {
    Query: {
      shippingMethods: (_: unknown, _args: unknown, ctx: ShippingContext) => service.methods(ctx),
      shippingRates: (_: unknown, args: RatesArgs, ctx: ShippingContext) => service.rates(ctx, args),
      shippingRate: (_: unknown, args: RateArgs, ctx: ShippingContext) => service.rate(ctx, args),
    },
    Mutation: {
      createShipment: (_: unknown, args: CreateShipmentArgs, ctx: ShippingContext) => service.createShipment(ctx, args),
      markDelivered: (_: unknown, args: { shipmentId: string }, ctx: ShippingContext) => service.markDelivered(ctx, args.shipmentId),
    },
    ShippingRate: {
      id: (rate: Quote) => rate.method.id,
      name: (rate: Quote) => rate.method.name,
      carrier: (rate: Quote) => rate.method.carrier,
      price: (rate: Quote): MoneyOutput => toOutput(rate.price),
    },
    Order: {
      // Orders owns Order; the reference carries all shipping needs (the id), so no lookup.
      __resolveReference: (reference: EntityKey): EntityKey => ({ id: reference.id }),
      shipments: (order: EntityKey, _: unknown, ctx: ShippingContext) => service.shipmentsOfOrder(ctx, order.id),
    },
    Shipment: {
      __resolveReference: (reference: EntityKey, ctx: ShippingContext) => service.shipment(ctx, reference.id),
      createdAt: (shipment: Shipment) => shipment.createdAt.toISOString(),
      deliveredAt: (shipment: Shipment) => shipment.deliveredAt?.toISOString() ?? null,
      trackingUrl: (shipment: Shipment) => trackingUrl(shipment),
      events: (shipment: Shipment) => trackingEvents(shipment),
    },
    TrackingEvent: {
      at: (event: TrackingEvent) => event.at.toISOString(),
    },
  };
}
