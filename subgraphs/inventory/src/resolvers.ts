import type { Resolvers } from './generated/resolvers.js';
import type { HoldService } from './holdService.js';
import type { ReservationService } from './reservationService.js';
import type { InventoryService } from './service.js';

/** Typed by codegen from schema.graphql: a schema change that breaks a resolver breaks the build. */
export function createResolvers(service: InventoryService, reservations: ReservationService, holds: HoldService): Resolvers {
  return {
    Product: {
      // No query here: stock is loaded per field through the request's batching loader.
      __resolveReference: (reference) => ({ id: reference.id }),
      stock: (product, _args, ctx) => ctx.loaders.stockByProductId.load(product.id),
      inStock: async (product, _args, ctx) => (await ctx.loaders.stockByProductId.load(product.id)).available > 0,
    },
    Mutation: {
      setStock: (_root, args, ctx) => service.setStock(ctx, args),
      setStockLevels: (_root, args, ctx) => service.setStockLevels(ctx, args.levels),
      reserveStock: (_root, args, ctx) => reservations.reserveStock(ctx, args),
      releaseReservation: (_root, args, ctx) => reservations.releaseReservation(ctx, args.orderId),
      holdStock: (_root, args, ctx) => holds.holdStock(ctx, args),
      moveHold: (_root, args, ctx) => holds.moveHold(ctx, args),
    },
    StockHold: {
      expiresAt: (hold) => hold.expiresAt.toISOString(),
    },
    StockReservation: {
      expiresAt: (reservation) => reservation.expiresAt.toISOString(),
      createdAt: (reservation) => reservation.createdAt.toISOString(),
    },
  };
}
