import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { enqueueEvents } from '@shop/events';
import type { ShipmentsTable, ShippingDatabase } from './db/schema.js';
import { shipmentCreated, shipmentDelivered } from './events.js';
import type { RateCard } from './rates.js';
import type { Carrier, Shipment } from './shipments.js';

export interface NewShipment {
  orderId: string;
  /** The order's owner, as orders said. */
  customerId: string;
  carrier: Carrier;
  trackingNumber: string;
  /** The ADMIN's user id. */
  createdBy: string;
}

/** What marking a shipment delivered found: the shipment as it is now, and whether this call delivered it. */
export interface DeliveryOutcome {
  shipment: Shipment;
  changed: boolean;
}

export interface ShippingRepository {
  /** The whole tariff (methods, zones, rates, active or not) in ONE SQL statement. */
  loadRateCard(): Promise<RateCard>;
  /**
   * Inserts a SHIPPED shipment and its `shipment.created` event in one transaction. Null when
   * the order already has an active shipment (the unique index decides, so races are safe).
   */
  createShipment(input: NewShipment): Promise<Shipment | null>;
  /**
   * SHIPPED -> DELIVERED with its `shipment.delivered` event, in one transaction. Null for an
   * unknown id; `changed: false` when the shipment was not SHIPPED (nothing written).
   */
  markDelivered(shipmentId: string): Promise<DeliveryOutcome | null>;
  /** One statement; rows in any order. */
  findByIds(ids: readonly string[]): Promise<Shipment[]>;
  /** One statement; oldest first within an order. */
  findByOrderIds(orderIds: readonly string[]): Promise<Shipment[]>;
}

const UNIQUE_VIOLATION = '23505';
const ONE_ACTIVE_PER_ORDER = 'shipments_one_active_per_order';

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: unknown; constraint?: unknown };
  return pgError.code === UNIQUE_VIOLATION && pgError.constraint === constraint;
}

function toShipment(row: Selectable<ShipmentsTable>): Shipment {
  return {
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    carrier: row.carrier as Carrier,
    trackingNumber: row.tracking_number,
    status: row.status,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}

/** The only code that touches the shipping store. */
export function createShippingRepository(db: Kysely<ShippingDatabase>): ShippingRepository {
  return {
    async loadRateCard() {
      const row = await db
        .selectNoFrom((eb) => [
          jsonArrayFrom(
            eb
              .selectFrom('shipping_methods')
              .select(['id', 'name', 'carrier', 'active', 'estimated_days_min', 'estimated_days_max', 'free_shipping_eligible'])
              .orderBy('id'),
          ).as('methods'),
          jsonArrayFrom(eb.selectFrom('shipping_zones').select(['id', 'name', 'countries', 'fallback']).orderBy('id')).as('zones'),
          jsonArrayFrom(
            eb
              .selectFrom('shipping_rates')
              .select(['method_id', 'zone_id', 'max_weight_grams', 'price_minor', 'currency'])
              .orderBy('id'),
          ).as('rates'),
        ])
        .executeTakeFirstOrThrow();
      return {
        methods: row.methods.map((m) => ({
          id: m.id,
          name: m.name,
          carrier: m.carrier,
          active: m.active,
          estimatedDaysMin: m.estimated_days_min,
          estimatedDaysMax: m.estimated_days_max,
          freeShippingEligible: m.free_shipping_eligible,
        })),
        zones: row.zones.map((z) => ({ id: z.id, name: z.name, countries: z.countries, fallback: z.fallback })),
        rates: row.rates.map((r) => ({
          methodId: r.method_id,
          zoneId: r.zone_id,
          maxWeightGrams: r.max_weight_grams,
          // json_agg renders bigint as a JSON number; prices are far below 2^53.
          priceMinor: Number(r.price_minor),
          currency: r.currency,
        })),
      };
    },

    async createShipment(input) {
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('shipments')
            .values({
              id: randomUUID(),
              order_id: input.orderId,
              carrier: input.carrier,
              tracking_number: input.trackingNumber,
              status: 'SHIPPED',
              created_by: input.createdBy,
              customer_id: input.customerId,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          const shipment = toShipment(row);
          await enqueueEvents(trx, [shipmentCreated(shipment)]);
          return shipment;
        });
      } catch (error) {
        if (isUniqueViolation(error, ONE_ACTIVE_PER_ORDER)) return null;
        throw error;
      }
    },

    markDelivered(shipmentId) {
      return db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('shipments')
          .set({ status: 'DELIVERED', delivered_at: new Date() })
          .where('id', '=', shipmentId)
          .where('status', '=', 'SHIPPED')
          .returningAll()
          .executeTakeFirst();
        if (updated) {
          const shipment = toShipment(updated);
          await enqueueEvents(trx, [shipmentDelivered(shipment)]);
          return { shipment, changed: true };
        }
        const current = await trx.selectFrom('shipments').selectAll().where('id', '=', shipmentId).executeTakeFirst();
        return current ? { shipment: toShipment(current), changed: false } : null;
      });
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('shipments').selectAll().where('id', 'in', [...ids]).execute();
      return rows.map(toShipment);
    },

    async findByOrderIds(orderIds) {
      if (orderIds.length === 0) return [];
      const rows = await db
        .selectFrom('shipments')
        .selectAll()
        .where('order_id', 'in', [...orderIds])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toShipment);
    },
  };
}
