import { createEvent, type EventEnvelope } from '@shop/events';
import type { Shipment } from './shipments.js';

export const EVENT_SOURCE = 'shipping';

/** `shipment.created` (docs/events.md): orders moves the order to SHIPPED. */
export function shipmentCreated(shipment: Shipment): EventEnvelope {
  const { id: shipmentId, orderId, carrier, trackingNumber } = shipment;
  return createEvent(EVENT_SOURCE, 'shipment.created', orderId, { shipmentId, orderId, carrier, trackingNumber });
}

/** `shipment.delivered` (docs/events.md): orders moves the order to DELIVERED. */
export function shipmentDelivered(shipment: Shipment): EventEnvelope {
  return createEvent(EVENT_SOURCE, 'shipment.delivered', shipment.orderId, { shipmentId: shipment.id, orderId: shipment.orderId });
}
