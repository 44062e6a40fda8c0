import type { StockLevel } from './stock.js';

export type ReservationStatus = 'ACTIVE' | 'COMMITTED' | 'RELEASED' | 'EXPIRED';

/** How many units of one product an order wants held. */
export interface ReservationItem {
  productId: string;
  quantity: number;
}

/** Units of one product held in one warehouse. */
export interface Allocation {
  productId: string;
  warehouse: string;
  quantity: number;
}

/** A product that cannot be reserved in the quantity asked for. */
export interface Shortage {
  productId: string;
  requested: number;
  available: number;
}

/** Stock held for one order. */
export interface Reservation {
  orderId: string;
  userId: string;
  status: ReservationStatus;
  expiresAt: Date;
  createdAt: Date;
  /** Ordered by product, then warehouse. */
  items: Allocation[];
}

export type AllocationResult = { ok: true; allocations: Allocation[] } | { ok: false; shortages: Shortage[] };

/**
 * Decides where the units of each item come from. A product is taken from the warehouse with
 * the most available units first, so an order is split over as few warehouses as possible;
 * ties go to the warehouse name, so the same stock always gives the same answer. All or
 * nothing: when any product falls short, every short product is reported and nothing is held.
 */
export function allocate(items: readonly ReservationItem[], levels: readonly StockLevel[]): AllocationResult {
  const allocations: Allocation[] = [];
  const shortages: Shortage[] = [];
  for (const item of items) {
    const candidates = levels
      .filter((level) => level.productId === item.productId && level.onHand > level.reserved)
      .map((level) => ({ warehouse: level.warehouse, available: level.onHand - level.reserved }))
      .sort((a, b) => b.available - a.available || (a.warehouse < b.warehouse ? -1 : 1));
    const available = candidates.reduce((total, c) => total + c.available, 0);
    if (available < item.quantity) {
      shortages.push({ productId: item.productId, requested: item.quantity, available });
      continue;
    }
    let missing = item.quantity;
    for (const candidate of candidates) {
      if (missing === 0) break;
      const take = Math.min(missing, candidate.available);
      allocations.push({ productId: item.productId, warehouse: candidate.warehouse, quantity: take });
      missing -= take;
    }
  }
  return shortages.length > 0 ? { ok: false, shortages } : { ok: true, allocations: sortAllocations(allocations) };
}

/** Merges repeated products into one item each, keeping first-seen order. */
export function mergeItems(items: readonly ReservationItem[]): ReservationItem[] {
  const merged = new Map<string, number>();
  for (const item of items) merged.set(item.productId, (merged.get(item.productId) ?? 0) + item.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

/** Units per product, summed over warehouses, in product order: what `stock.reserved` carries. */
export function unitsPerProduct(allocations: readonly Allocation[]): ReservationItem[] {
  return mergeItems(sortAllocations(allocations));
}

export function sortAllocations(allocations: readonly Allocation[]): Allocation[] {
  return [...allocations].sort((a, b) =>
    a.productId === b.productId ? compare(a.warehouse, b.warehouse) : compare(a.productId, b.productId),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
