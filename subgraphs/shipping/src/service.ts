import { badUserInput, conflict, notFound } from '@shop/errors';
import type { Money } from '@shop/money';
import { requireAdmin, requireCaller } from '@shop/subgraph-kit';
import type { ShippingContext } from './context.js';
import type { OrderReader } from './orderReader.js';
import { cartWeightGrams, quote, type Quote, type ShippingMethod } from './rates.js';
import type { ShippingRepository } from './repository.js';
import { CARRIERS, parseCarrier, SHIPPABLE_ORDER_STATUSES, TRACKING_NUMBER, type Shipment } from './shipments.js';

export interface RatesArgs {
  addressId: string;
  cartId: string;
}

export interface RateArgs extends RatesArgs {
  methodId: string;
}

export interface CreateShipmentArgs {
  orderId: string;
  carrier: string;
  trackingNumber: string;
}

export interface ShippingService {
  /** Active methods, by id. */
  methods(ctx: ShippingContext): Promise<ShippingMethod[]>;
  /** Methods offered for this cart and address, cheapest first. */
  rates(ctx: ShippingContext, args: RatesArgs): Promise<Quote[]>;
  /** One method's quote, or null when it is not offered for this cart and address. */
  rate(ctx: ShippingContext, args: RateArgs): Promise<Quote | null>;
  /** ADMIN: hands a PAID or FULFILLING order to a carrier; orders moves it to SHIPPED by event. */
  createShipment(ctx: ShippingContext, args: CreateShipmentArgs): Promise<Shipment>;
  /** ADMIN: a SHIPPED shipment arrived; orders moves the order to DELIVERED by event. */
  markDelivered(ctx: ShippingContext, shipmentId: string): Promise<Shipment>;
  /** The order's shipments, oldest first; none for an anonymous caller. */
  shipmentsOfOrder(ctx: ShippingContext, orderId: string): Promise<Shipment[]>;
  /** A shipment by its id; null when unknown or the caller is anonymous. */
  shipment(ctx: ShippingContext, id: string): Promise<Shipment | null>;
}

export interface ShipmentDeps {
  repository: ShippingRepository;
  orderReader: OrderReader;
  /** Called after a commit that wrote outbox events (wakes the relay). */
  published(): void;
}

export interface PricingRules {
  defaultWeightGrams: number;
  freeShippingThreshold: Money | null;
}

// Ids belong to users and cart; anything this long is not one of theirs.
const MAX_ID_LENGTH = 200;

/** Domain rules and authorization. Every method takes the request context first. */
export function createShippingService(rules: PricingRules, deps: ShipmentDeps): ShippingService {
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

    async createShipment(ctx, args) {
      const admin = requireAdmin(ctx);
      checkId(args.orderId, 'orderId');
      const carrier = parseCarrier(args.carrier);
      if (!carrier) throw badUserInput(`carrier must be one of ${CARRIERS.join(', ')}`, 'carrier');
      if (!TRACKING_NUMBER.test(args.trackingNumber)) {
        throw badUserInput('trackingNumber must be 4 to 40 letters, digits or dashes', 'trackingNumber');
      }
      // As the admin: orders decides whether they may see it, and says what state it is in.
      const order = await deps.orderReader.read(args.orderId, ctx.authorization);
      if (!order) throw notFound('Order', args.orderId);
      if (!SHIPPABLE_ORDER_STATUSES.has(order.status)) {
        throw conflict(`Order ${JSON.stringify(args.orderId)} is ${order.status}: only PAID or FULFILLING orders ship`, {
          reason: 'ILLEGAL_TRANSITION',
          status: order.status,
          from: order.status,
          to: 'SHIPPED',
        });
      }
      const shipment = await deps.repository.createShipment({
        orderId: args.orderId,
        customerId: order.userId,
        carrier,
        trackingNumber: args.trackingNumber,
        createdBy: admin.userId,
      });
      if (!shipment) throw conflict(`Order ${JSON.stringify(args.orderId)} already has an active shipment`, { reason: 'ALREADY_EXISTS' });
      deps.published();
      return shipment;
    },

    async markDelivered(ctx, shipmentId) {
      requireAdmin(ctx);
      checkId(shipmentId, 'shipmentId');
      const outcome = await deps.repository.markDelivered(shipmentId);
      if (!outcome) throw notFound('Shipment', shipmentId);
      if (!outcome.changed) {
        throw conflict(`Shipment ${JSON.stringify(shipmentId)} is ${outcome.shipment.status}: only a SHIPPED one can be delivered`, {
          reason: 'ILLEGAL_TRANSITION',
          status: outcome.shipment.status,
          from: outcome.shipment.status,
          to: 'DELIVERED',
        });
      }
      deps.published();
      return outcome.shipment;
    },

    // The router only brings an Order here for a caller who could read it through orders, but
    // shipping does not rely on that: a shipment is shown to its customer and to admins only.
    async shipmentsOfOrder(ctx, orderId) {
      const shipments = ctx.caller ? await ctx.loaders.shipmentsByOrderId.load(orderId) : [];
      return shipments.filter((shipment) => maySee(ctx, shipment));
    },

    async shipment(ctx, id) {
      const shipment = ctx.caller ? await ctx.loaders.shipmentById.load(id) : null;
      return shipment && maySee(ctx, shipment) ? shipment : null;
    },
  };
}

function maySee(ctx: ShippingContext, shipment: Shipment): boolean {
  const caller = ctx.caller;
  return caller !== null && (caller.role === 'ADMIN' || shipment.customerId === caller.userId);
}

function checkId(value: string, field: string): void {
  if (value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw badUserInput(`${field} must be 1 to ${MAX_ID_LENGTH} characters`, field);
  }
}
