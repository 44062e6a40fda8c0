import type { ColumnType, Generated } from 'kysely';

/** The inventory store, as kysely sees it. Only repository.ts queries it. */
export interface InventoryDatabase {
  stock_levels: StockLevelsTable;
  stock_events: StockEventsTable;
  stock_reservations: StockReservationsTable;
  stock_reservation_items: StockReservationItemsTable;
  stock_holds: StockHoldsTable;
  stock_hold_items: StockHoldItemsTable;
}

export interface StockLevelsTable {
  product_id: string;
  warehouse: string;
  on_hand: number;
  reserved: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/**
 * What happened to a stock level: an admin `set` it, a reservation was made (`reserve`),
 * given back (`release`, also on expiry) or turned into a sale (`commit`), or a cart's hold
 * was placed (`hold`) or given back (`release` with the cart's id).
 */
export type StockEventKind = 'set' | 'reserve' | 'release' | 'commit' | 'hold';

/** Append-only history of stock changes, written in the same transaction as the change. */
export interface StockEventsTable {
  id: Generated<number>;
  product_id: string;
  warehouse: string;
  kind: StockEventKind;
  /** Change of on-hand units, positive or negative. */
  delta: number;
  /** On-hand units after the change. */
  on_hand: number;
  /** Reserved units after the change. */
  reserved: number;
  /** The user who made the change; null for system-made changes. */
  actor_id: string | null;
  /** The order whose reservation caused the change; null for `set`. */
  order_id: ColumnType<string | null, string | null | undefined, never>;
  /** The cart whose hold caused the change; null otherwise. */
  cart_id: ColumnType<string | null, string | null | undefined, never>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type ReservationStatus = 'ACTIVE' | 'COMMITTED' | 'RELEASED' | 'EXPIRED';

/** Stock held for one order, from checkout until it is paid (committed), cancelled or expires. */
export interface StockReservationsTable {
  order_id: string;
  /** The customer whose checkout made it. */
  user_id: string;
  status: ReservationStatus;
  expires_at: Date;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** Units of one product held in one warehouse for a reservation. */
export interface StockReservationItemsTable {
  order_id: string;
  product_id: string;
  warehouse: string;
  quantity: number;
}

/**
 * Where a cart's hold stands: ACTIVE until it expires (EXPIRED) or checkout takes its units
 * into the order's reservation (CONVERTED), or a guest cart's hold goes to the cart it was merged
 * into at sign-in (MOVED).
 */
export type HoldStatus = 'ACTIVE' | 'EXPIRED' | 'CONVERTED' | 'MOVED';

/** Stock a shopper holds for their cart while checking out (`holdCart`); one hold per cart. */
export interface StockHoldsTable {
  cart_id: string;
  status: HoldStatus;
  /** How long the hold was asked for: its warning comes when a fifth of it is left. */
  seconds: number;
  expires_at: Date;
  /** When the cart hears the hold is about to lapse; `warned` once it was told. */
  warn_at: Date;
  warned: ColumnType<boolean, boolean | undefined, boolean>;
  /** The order that took the hold over at checkout. */
  order_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** Units of one product held in one warehouse for a cart. */
export interface StockHoldItemsTable {
  cart_id: string;
  product_id: string;
  warehouse: string;
  quantity: number;
}
