import DataLoader from 'dataloader';
import { unauthenticated } from '@shop/errors';
import { groupByKeys, orderByKeys } from '@shop/subgraph-kit';
import type { CheckoutContext, CheckoutContextReader } from './checkoutContext.js';
import type { RateCard } from './rates.js';
import type { ShippingRepository } from './repository.js';
import type { Shipment } from './shipments.js';

export interface ShippingLoaders {
  /** The tariff, read once per request however many fields need it. */
  rateCard(): Promise<RateCard>;
  /** The caller's addresses and this cart, asked of the router once per cart and request. */
  checkoutContext(cartId: string): Promise<CheckoutContext>;
  /** Shipments by id: one SQL statement per batch, null for an unknown id. */
  shipmentById: DataLoader<string, Shipment | null>;
  /** Every shipment of each order, oldest first: one SQL statement per batch. */
  shipmentsByOrderId: DataLoader<string, Shipment[]>;
}

/**
 * Built per request. The tariff is a handful of rows, so each request reads all of it in one
 * statement rather than keeping a process-wide copy: there is no invalidation to get wrong
 * across replicas, and a price changed in the database counts from the next request on. A
 * DataLoader would add nothing there: there is one key (the whole tariff), not many to batch.
 * Shipments are many, so they go through DataLoaders.
 */
export function createLoaders(
  repository: ShippingRepository,
  reader: CheckoutContextReader,
  caller: { authorization: string | undefined; requestId: string; clientIp: string },
): ShippingLoaders {
  let rateCard: Promise<RateCard> | null = null;
  const contexts = new Map<string, Promise<CheckoutContext>>();
  return {
    rateCard() {
      rateCard ??= repository.loadRateCard();
      return rateCard;
    },
    shipmentById: new DataLoader(async (ids) => orderByKeys(ids, await repository.findByIds(ids), (s) => s.id)),
    shipmentsByOrderId: new DataLoader(async (orderIds) =>
      groupByKeys(orderIds, await repository.findByOrderIds(orderIds), (s) => s.orderId),
    ),
    checkoutContext(cartId) {
      let context = contexts.get(cartId);
      if (!context) {
        const { authorization, requestId, clientIp } = caller;
        // Only a signed-in caller gets this far, and the kit signed them in from this header.
        if (authorization === undefined) return Promise.reject(unauthenticated());
        context = reader.read({ cartId, authorization, requestId, clientIp });
        contexts.set(cartId, context);
      }
      return context;
    },
  };
}
