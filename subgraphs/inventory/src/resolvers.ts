import type { ResolverMap } from '@shop/subgraph-kit';
import type { InventoryContext } from './context.js';
import type { ReservationService, ReserveStockArgs } from './reservationService.js';
import type { Reservation } from './reservations.js';
import type { InventoryService, StockLevelRequest } from './service.js';

interface ProductKey {
  id: string;
}

export function createResolvers(service: InventoryService, reservations: ReservationService): ResolverMap<InventoryContext> {
  return {
    Product: {
      // No query here: stock is loaded per field through the request's batching loader.
      __resolveReference: (reference: ProductKey): ProductKey => ({ id: reference.id }),
      stock: (product: ProductKey, _args: unknown, ctx: InventoryContext) => ctx.loaders.stockByProductId.load(product.id),
      inStock: async (product: ProductKey, _args: unknown, ctx: InventoryContext) =>
        (await ctx.loaders.stockByProductId.load(product.id)).available > 0,
    },
    Mutation: {
      setStock: (_root: unknown, args: StockLevelRequest, ctx: InventoryContext) => service.setStock(ctx, args),
      setStockLevels: (_root: unknown, args: { levels: StockLevelRequest[] }, ctx: InventoryContext) =>
        service.setStockLevels(ctx, args.levels),
      reserveStock: (_root: unknown, args: ReserveStockArgs, ctx: InventoryContext) => reservations.reserveStock(ctx, args),
      releaseReservation: (_root: unknown, args: { orderId: string }, ctx: InventoryContext) =>
        reservations.releaseReservation(ctx, args.orderId),
    },
    StockReservation: {
      expiresAt: (reservation: Reservation) => reservation.expiresAt.toISOString(),
      createdAt: (reservation: Reservation) => reservation.createdAt.toISOString(),
    },
  };
}
