/** Where a shipment is: handed to the carrier, then delivered. */
export type ShipmentStatus = 'SHIPPED' | 'DELIVERED';

/** One parcel of an order handed to a carrier. */
export interface Shipment {
  id: string;
  orderId: string;
  /** The user whose order it is: they and admins see it, nobody else. Null: admins only. */
  customerId: string | null;
  /** One of `CARRIERS`. */
  carrier: Carrier;
  trackingNumber: string;
  status: ShipmentStatus;
  createdAt: Date;
  /** Set exactly when `status` is DELIVERED. */
  deliveredAt: Date | null;
}

/** A step of a shipment's history. */
export interface TrackingEvent {
  status: ShipmentStatus;
  at: Date;
}

/**
 * Carriers we hand parcels to, with their public tracking page (null: none, e.g. pickup in
 * store). `{n}` stands for the URL-encoded tracking number.
 */
const TRACKING_PAGES = {
  DHL: 'https://www.dhl.com/de-en/home/tracking/tracking-parcel.html?submit=1&tracking-id={n}',
  UPS: 'https://www.ups.com/track?tracknum={n}',
  DPD: 'https://tracking.dpd.de/status/en_US/parcel/{n}',
  GLS: 'https://gls-group.com/DE/en/parcel-tracking?match={n}',
  HERMES: 'https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#{n}',
  FEDEX: 'https://www.fedex.com/fedextrack/?trknbr={n}',
  PICKUP: null,
} as const satisfies Record<string, string | null>;

export type Carrier = keyof typeof TRACKING_PAGES;

export const CARRIERS = Object.keys(TRACKING_PAGES) as Carrier[];

/** What carriers print on labels: letters, digits and dashes. */
export const TRACKING_NUMBER = /^[A-Za-z0-9-]{4,40}$/;

/** Order statuses from which orders' state machine takes an order to SHIPPED. */
export const SHIPPABLE_ORDER_STATUSES: ReadonlySet<string> = new Set(['PAID', 'FULFILLING']);

/** The carrier named by `input` (case does not matter: admins type "dhl"), or null when unknown. */
export function parseCarrier(input: string): Carrier | null {
  const code = input.trim().toUpperCase();
  return (CARRIERS as string[]).includes(code) ? (code as Carrier) : null;
}

/** The carrier's public tracking page for this parcel, or null when the carrier has none. */
export function trackingUrl(shipment: Pick<Shipment, 'carrier' | 'trackingNumber'>): string | null {
  const page = TRACKING_PAGES[shipment.carrier];
  return page === null ? null : page.replace('{n}', encodeURIComponent(shipment.trackingNumber));
}

/**
 * The shipment's history, oldest first. It follows from the shipment itself: every status
 * we record is entered once and stamped on the row, so a separate table would only repeat it.
 */
export function trackingEvents(shipment: Shipment): TrackingEvent[] {
  const events: TrackingEvent[] = [{ status: 'SHIPPED', at: shipment.createdAt }];
  if (shipment.deliveredAt) events.push({ status: 'DELIVERED', at: shipment.deliveredAt });
  return events;
}
