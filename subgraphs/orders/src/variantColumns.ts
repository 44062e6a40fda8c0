import type { Selectable } from 'kysely';
import type { OrderItemsTable } from './db/schema.js';
import type { VariantSnapshot } from './model.js';

/** A line's variant snapshot as `order_items` stores it: all null for a product sold in one form. */
export function variantColumns(variant: VariantSnapshot | null) {
  return {
    variant_id: variant?.id ?? null,
    variant_sku: variant?.sku ?? null,
    variant_name: variant?.name ?? null,
    variant_size: variant?.size ?? null,
    variant_color: variant?.color ?? null,
  };
}

/** The snapshot a line row holds; null for a product sold in one form (a CHECK keeps id, SKU and name together). */
export function variantOf(row: Pick<Selectable<OrderItemsTable>, 'variant_id' | 'variant_sku' | 'variant_name' | 'variant_size' | 'variant_color'>): VariantSnapshot | null {
  if (row.variant_id === null) return null;
  return { id: row.variant_id, sku: row.variant_sku ?? '', name: row.variant_name ?? '', size: row.variant_size, color: row.variant_color };
}
