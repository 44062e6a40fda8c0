import type { ColumnType, Generated } from 'kysely';

/** The shipping store, as kysely sees it. Only repository.ts queries it. */
export interface ShippingDatabase {
  shipping_methods: ShippingMethodsTable;
  shipping_zones: ShippingZonesTable;
  shipping_rates: ShippingRatesTable;
  shipments: ShipmentsTable;
}

export interface ShippingMethodsTable {
  /** Lower-case slug, e.g. "standard"; clients pass it to checkout as `shippingMethodId`. */
  id: string;
  name: string;
  carrier: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  estimated_days_min: number;
  estimated_days_max: number;
  free_shipping_eligible: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface ShippingZonesTable {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2 codes, upper case. */
  countries: ColumnType<string[], string[] | undefined, string[]>;
  /** The zone of every country no other zone lists. */
  fallback: ColumnType<boolean, boolean | undefined, boolean>;
}

/** One weight bracket of a method's prices for a zone. */
export interface ShippingRatesTable {
  id: Generated<number>;
  method_id: string;
  zone_id: string;
  /** Null: no upper limit. */
  max_weight_grams: number | null;
  price_minor: number;
  currency: string;
}

/** One parcel of an order handed to a carrier. */
export interface ShipmentsTable {
  id: string;
  /** The orders subgraph's order id, as it was given (opaque). */
  order_id: string;
  /** One of `CARRIERS` (src/carriers.ts), upper case. */
  carrier: string;
  tracking_number: string;
  status: 'SHIPPED' | 'DELIVERED';
  /** The ADMIN's user id. */
  created_by: string;
  /** The user whose order it is (as orders said when it shipped); null for shipments older than the column. */
  customer_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  /** Set exactly when status is DELIVERED. */
  delivered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}
