/** A product's stock in one warehouse, as clients see it. */
export interface WarehouseStock {
  warehouse: string;
  onHand: number;
  reserved: number;
  available: number;
}

/** A product's stock summed over its warehouses, as clients see it. */
export interface ProductStock {
  available: number;
  reserved: number;
  onHand: number;
  warehouses: WarehouseStock[];
}

/** What the store holds for one product in one warehouse. */
export interface StockLevel {
  productId: string;
  warehouse: string;
  onHand: number;
  reserved: number;
}

/**
 * Sums a product's levels. Available is what can still be sold: on hand minus reserved.
 * No levels (never stocked) gives all zeros, which is what a client should see.
 */
export function summarizeStock(levels: readonly StockLevel[]): ProductStock {
  const warehouses = levels.map((level) => ({
    warehouse: level.warehouse,
    onHand: level.onHand,
    reserved: level.reserved,
    available: level.onHand - level.reserved,
  }));
  return {
    onHand: sum(warehouses, (w) => w.onHand),
    reserved: sum(warehouses, (w) => w.reserved),
    available: sum(warehouses, (w) => w.available),
    warehouses,
  };
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
