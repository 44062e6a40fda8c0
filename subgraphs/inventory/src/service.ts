import { badUserInput, conflict } from '@shop/errors';
import { requireAdmin, type Caller } from '@shop/subgraph-kit';
import type { InventoryContext } from './context.js';
import type { OnHandWrite, StockRepository } from './repository.js';

export const DEFAULT_WAREHOUSE = 'main';
export const MAX_QUANTITY = 1_000_000;
export const MAX_LEVELS_PER_CALL = 500;

// Product ids belong to the products subgraph; we only insist they are sane to store.
export const PRODUCT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const WAREHOUSE = /^[a-z0-9-]{1,32}$/;

/** An on-hand quantity as a client asks for it, before validation. */
export interface StockLevelRequest {
  productId: string;
  warehouse?: string | null;
  quantity: number;
}

/** A Product the router completes from whichever subgraphs own the fields asked for. */
export interface ProductReference {
  __typename: 'Product';
  id: string;
}

export interface InventoryService {
  setStock(ctx: InventoryContext, request: StockLevelRequest): Promise<ProductReference>;
  /** All levels are validated, then written in one transaction; each product is returned once. */
  setStockLevels(ctx: InventoryContext, requests: readonly StockLevelRequest[]): Promise<ProductReference[]>;
}

/** Names an argument in errors: `productId` for setStock, `levels[3].productId` in bulk. */
type FieldName = (index: number, name: keyof StockLevelRequest) => string;

export function createInventoryService(repository: StockRepository): InventoryService {
  const write = async (
    ctx: InventoryContext,
    caller: Caller,
    requests: readonly StockLevelRequest[],
    field: FieldName,
  ): Promise<ProductReference[]> => {
    const writes = requests.map((request, index) => validate(request, index, field));
    rejectRepeats(writes, field);
    const result = await repository.setOnHand(writes, caller.userId);
    if (!result.ok) {
      const blocked = writes[result.index]!;
      throw conflict(
        `Cannot set ${blocked.productId} in warehouse "${blocked.warehouse}" to ${blocked.quantity}: ` +
          `${result.reserved} units are reserved there`,
        { reason: 'STOCK_RESERVED', field: field(result.index, 'quantity'), reserved: result.reserved },
      );
    }
    // This request may already have read the old stock; later fields must see the new one.
    for (const w of writes) ctx.loaders.stockByProductId.clear(w.productId);
    return [...new Set(writes.map((w) => w.productId))].map((id) => ({ __typename: 'Product' as const, id }));
  };

  return {
    async setStock(ctx, request) {
      const caller = requireAdmin(ctx);
      const [product] = await write(ctx, caller, [request], (_index, name) => name);
      return product!;
    },
    async setStockLevels(ctx, requests) {
      const caller = requireAdmin(ctx);
      if (requests.length > MAX_LEVELS_PER_CALL) {
        throw badUserInput(`At most ${MAX_LEVELS_PER_CALL} levels per call, got ${requests.length}`, 'levels');
      }
      return write(ctx, caller, requests, (index, name) => `levels[${index}].${name}`);
    },
  };
}

function validate(request: StockLevelRequest, index: number, field: FieldName): OnHandWrite {
  const { productId, quantity } = request;
  if (!PRODUCT_ID.test(productId)) {
    throw badUserInput(`${field(index, 'productId')} must be 1 to 64 letters, digits, "_" or "-"`, field(index, 'productId'));
  }
  const warehouse = (request.warehouse ?? DEFAULT_WAREHOUSE).toLowerCase();
  if (!WAREHOUSE.test(warehouse)) {
    throw badUserInput(
      `${field(index, 'warehouse')} must be 1 to 32 lower-case letters, digits or "-", got ${JSON.stringify(request.warehouse)}`,
      field(index, 'warehouse'),
    );
  }
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY) {
    throw badUserInput(`${field(index, 'quantity')} must be a whole number from 0 to ${MAX_QUANTITY}, got ${quantity}`, field(index, 'quantity'));
  }
  return { productId, warehouse, quantity };
}

// Two values for one product and warehouse in one call is ambiguous: refuse rather than guess.
function rejectRepeats(writes: readonly OnHandWrite[], field: FieldName): void {
  const seen = new Map<string, number>();
  writes.forEach((w, index) => {
    const key = JSON.stringify([w.productId, w.warehouse]);
    const first = seen.get(key);
    if (first !== undefined) {
      throw badUserInput(
        `${field(index, 'warehouse')} repeats ${w.productId} in warehouse "${w.warehouse}" (already set by levels[${first}])`,
        field(index, 'warehouse'),
      );
    }
    seen.set(key, index);
  });
}
