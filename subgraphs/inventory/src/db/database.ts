import type { ColumnType, Generated } from 'kysely';

/** The inventory store, as kysely sees it. Only repository.ts queries it. */
export interface InventoryDatabase {
  stock_levels: StockLevelsTable;
  stock_events: StockEventsTable;
}

export interface StockLevelsTable {
  product_id: string;
  warehouse: string;
  on_hand: number;
  reserved: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** What happened to a stock level; reservations will add their own kinds. */
export type StockEventKind = 'set';

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
  created_at: ColumnType<Date, Date | undefined, never>;
}
