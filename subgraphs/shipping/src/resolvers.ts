import { toOutput } from '@shop/money';
import type { Resolvers } from './generated/resolvers.js';
import type { ShippingService } from './service.js';
import { trackingEvents, trackingUrl } from './shipments.js';

/**
 * Thin: arguments to the service, domain objects to the GraphQL shape. Typed by codegen from
 * schema.graphql: a schema change that breaks a resolver breaks the build.
 */
export function createResolvers(service: ShippingService): Resolvers {
  return {
    Query: {
      shippingMethods: (_, _args, ctx) => service.methods(ctx),
      shippingRates: (_, args, ctx) => service.rates(ctx, args),
      shippingRate: (_, args, ctx) => service.rate(ctx, args),
    },
    Mutation: {
      createShipment: (_, args, ctx) => service.createShipment(ctx, args),
      markDelivered: (_, args, ctx) => service.markDelivered(ctx, args.shipmentId),
    },
    ShippingRate: {
      id: (rate) => rate.method.id,
      name: (rate) => rate.method.name,
      carrier: (rate) => rate.method.carrier,
      price: (rate) => toOutput(rate.price),
    },
    Order: {
      // Orders owns Order; the reference carries all shipping needs (the id), so no lookup.
      __resolveReference: (reference) => ({ id: reference.id }),
      shipments: (order, _, ctx) => service.shipmentsOfOrder(ctx, order.id),
    },
    Shipment: {
      __resolveReference: (reference, ctx) => service.shipment(ctx, reference.id),
      createdAt: (shipment) => shipment.createdAt.toISOString(),
      deliveredAt: (shipment) => shipment.deliveredAt?.toISOString() ?? null,
      trackingUrl: (shipment) => trackingUrl(shipment),
      events: (shipment) => trackingEvents(shipment),
    },
    TrackingEvent: {
      at: (event) => event.at.toISOString(),
    },
  };
}
