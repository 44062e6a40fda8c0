import type { ColumnType, Generated } from 'kysely';

export type RoleColumn = 'CUSTOMER' | 'ADMIN';

/** Columns filled by PostgreSQL (ids, timestamps) are `Generated`: readable, optional on insert. */
export interface UsersTable {
  id: Generated<string>;
  /** Always lower case (a CHECK enforces it) and unique. */
  email: string;
  /** argon2id PHC string; never leaves this subgraph. */
  password_hash: string;
  name: string | null;
  role: ColumnType<RoleColumn, RoleColumn | undefined, RoleColumn>;
  created_at: Generated<Date>;
  /** BCP 47 tag in canonical case, e.g. en-GB; one of the supported locales. */
  locale: Generated<string>;
  /** ISO 4217 code, e.g. EUR; one of the supported currencies. */
  currency: Generated<string>;
  marketing_opt_in: Generated<boolean>;
  /** Set when the account was deleted: the row is a tombstone without the person (docs/privacy.md). */
  deleted_at: ColumnType<Date | null, never, Date | null>;
}

export interface AddressesTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postal_code: string;
  country: string;
  created_at: Generated<Date>;
  /** At most one per user (a partial unique index); exactly one while the user has any address. */
  is_default: Generated<boolean>;
}

/** Refresh tokens are stored only as SHA-256 hashes; a family is one sign-in and its rotations. */
export interface RefreshTokensTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  family_id: Generated<string>;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** A product a user wishes for; the product is products' (an id, never checked by a foreign key). */
export interface WishlistItemsTable {
  user_id: string;
  product_id: string;
  added_at: Generated<Date>;
}

/** A data export: users' own part at once, the other subgraphs' parts as their events arrive. */
export interface DataExportsTable {
  id: Generated<string>;
  user_id: string;
  status: Generated<string>;
  /** Each subgraph's part by its name. */
  parts: ColumnType<unknown, string | undefined, string>;
  created_at: Generated<Date>;
  ready_at: Date | null;
}

/** An account deletion and the subgraphs that have confirmed their erasure. */
export interface AccountDeletionsTable {
  user_id: string;
  requested_at: Generated<Date>;
  erased_in: ColumnType<string[], string[] | undefined, string[]>;
  completed_at: Date | null;
}

export interface UsersDatabase {
  users: UsersTable;
  addresses: AddressesTable;
  refresh_tokens: RefreshTokensTable;
  wishlist_items: WishlistItemsTable;
  data_exports: DataExportsTable;
  account_deletions: AccountDeletionsTable;
}
