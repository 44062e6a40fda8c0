import { PRIVACY_EVENTS, type DataExportRequested, type UserDeleted } from '@shop/contracts';
import { createEvent, enqueueEvents } from '@shop/events';
import { sql, type Kysely } from 'kysely';
import type { UsersDatabase } from './db/schema.js';
import { isUuid } from './validation.js';

export type DataExportStatus = 'EXPORT_PENDING' | 'EXPORT_READY';

export interface DataExport {
  id: string;
  userId: string;
  status: DataExportStatus;
  /** Each subgraph's part by its name, as far as they have arrived. */
  parts: Record<string, unknown>;
  createdAt: Date;
  readyAt: Date | null;
}

export interface AccountDeletion {
  userId: string;
  requestedAt: Date;
  /** The subgraphs that have erased their data, in name order. */
  erasedIn: string[];
  completedAt: Date | null;
}

/** The only code that touches the privacy tables (and the tombstone columns of `users`). */
export interface PrivacyRepository {
  /** What users itself keeps about the user: account, preferences, addresses, wishlist. */
  ownPart(userId: string): Promise<unknown>;
  /** A new export holding users' own part, and its `data_export.requested` in the same transaction. */
  createExport(userId: string, ownPart: unknown): Promise<DataExport>;
  findExportsByIds(ids: readonly string[]): Promise<DataExport[]>;
  /** Adds (or replaces) one subgraph's part; the export is ready once every one of `participants` has one. */
  recordExportPart(exportId: string, service: string, data: unknown, participants: readonly string[]): Promise<void>;
  /**
   * Erases the account in one transaction: the row becomes a tombstone (no email, name, password
   * or preferences of the person; `deleted_at` set), addresses, wishlist, refresh tokens and
   * exports go, and `user.deleted` is enqueued. Null when the account was deleted before.
   */
  deleteAccount(userId: string): Promise<Date | null>;
  /** Notes that `service` has erased the user's data; complete once every one of `participants` has. */
  recordErasure(userId: string, service: string, participants: readonly string[]): Promise<void>;
  findDeletion(userId: string): Promise<AccountDeletion | null>;
}

interface ExportRow {
  id: string;
  user_id: string;
  status: string;
  parts: unknown;
  created_at: Date;
  ready_at: Date | null;
}

function toExport(row: ExportRow): DataExport {
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status as DataExportStatus,
    parts: (row.parts ?? {}) as Record<string, unknown>,
    createdAt: row.created_at,
    readyAt: row.ready_at,
  };
}

export function createPrivacyRepository(db: Kysely<UsersDatabase>): PrivacyRepository {
  return {
    async ownPart(userId) {
      const [account, addresses, wishlist] = await Promise.all([
        db
          .selectFrom('users')
          .select(['id', 'email', 'name', 'role', 'created_at', 'locale', 'currency', 'marketing_opt_in'])
          .where('id', '=', userId)
          .executeTakeFirst(),
        db
          .selectFrom('addresses')
          .select(['name', 'line1', 'line2', 'city', 'postal_code', 'country', 'is_default', 'created_at'])
          .where('user_id', '=', userId)
          .orderBy('created_at')
          .execute(),
        db.selectFrom('wishlist_items').select(['product_id', 'added_at']).where('user_id', '=', userId).orderBy('added_at').execute(),
      ]);
      return {
        account: account && {
          id: account.id,
          email: account.email,
          name: account.name,
          role: account.role,
          createdAt: account.created_at.toISOString(),
          preferences: { locale: account.locale, currency: account.currency, marketingOptIn: account.marketing_opt_in },
        },
        addresses: addresses.map((a) => ({
          name: a.name,
          line1: a.line1,
          line2: a.line2,
          city: a.city,
          postalCode: a.postal_code,
          country: a.country,
          isDefault: a.is_default,
          createdAt: a.created_at.toISOString(),
        })),
        wishlist: wishlist.map((w) => ({ productId: w.product_id, addedAt: w.added_at.toISOString() })),
      };
    },

    createExport(userId, ownPart) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('data_exports')
          .values({ user_id: userId, parts: JSON.stringify({ users: ownPart }) })
          .returningAll()
          .executeTakeFirstOrThrow();
        const request: DataExportRequested = { exportId: row.id, userId, requestedAt: row.created_at.toISOString() };
        await enqueueEvents(trx, [createEvent('users', PRIVACY_EVENTS.exportRequested, userId, request)]);
        return toExport(row);
      });
    },

    async findExportsByIds(ids) {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return [];
      const rows = await db.selectFrom('data_exports').selectAll().where('id', 'in', valid).execute();
      return rows.map(toExport);
    },

    async recordExportPart(exportId, service, data, participants) {
      if (!isUuid(exportId)) return;
      // One statement under the row's lock: two parts arriving together both count.
      const part = sql`jsonb_build_object(${service}::text, ${JSON.stringify(data)}::jsonb)`;
      await sql`
        UPDATE data_exports
        SET parts = parts || ${part},
            status = CASE WHEN (parts || ${part}) ?& ${sql.val([...participants])}::text[] THEN 'EXPORT_READY' ELSE status END,
            ready_at = CASE WHEN ready_at IS NULL AND (parts || ${part}) ?& ${sql.val([...participants])}::text[] THEN now() ELSE ready_at END
        WHERE id = ${exportId}`.execute(db);
    },

    deleteAccount(userId) {
      return db.transaction().execute(async (trx) => {
        const tombstone = await trx
          .updateTable('users')
          .set({
            email: sql<string>`'deleted-' || id || '@deleted.invalid'`,
            name: null,
            // Not an argon2 string: no password ever verifies against it.
            password_hash: 'erased',
            marketing_opt_in: false,
            deleted_at: sql<Date>`now()`,
          })
          .where('id', '=', userId)
          .where('deleted_at', 'is', null)
          .returning('deleted_at')
          .executeTakeFirst();
        if (!tombstone?.deleted_at) return null;
        await trx.deleteFrom('addresses').where('user_id', '=', userId).execute();
        await trx.deleteFrom('wishlist_items').where('user_id', '=', userId).execute();
        await trx.deleteFrom('refresh_tokens').where('user_id', '=', userId).execute();
        await trx.deleteFrom('data_exports').where('user_id', '=', userId).execute();
        await trx.insertInto('account_deletions').values({ user_id: userId, erased_in: ['users'] }).execute();
        const deleted: UserDeleted = { userId, deletedAt: tombstone.deleted_at.toISOString() };
        await enqueueEvents(trx, [createEvent('users', PRIVACY_EVENTS.userDeleted, userId, deleted)]);
        return tombstone.deleted_at;
      });
    },

    async recordErasure(userId, service, participants) {
      if (!isUuid(userId)) return;
      const erased = sql`(SELECT array_agg(DISTINCT s ORDER BY s) FROM unnest(erased_in || ${service}::text) AS s)`;
      await sql`
        UPDATE account_deletions
        SET erased_in = ${erased},
            completed_at = CASE WHEN completed_at IS NULL AND ${erased} @> ${sql.val([...participants])}::text[] THEN now() ELSE completed_at END
        WHERE user_id = ${userId}`.execute(db);
    },

    async findDeletion(userId) {
      if (!isUuid(userId)) return null;
      const row = await db.selectFrom('account_deletions').selectAll().where('user_id', '=', userId).executeTakeFirst();
      return row ? { userId: row.user_id, requestedAt: row.requested_at, erasedIn: row.erased_in, completedAt: row.completed_at } : null;
    },
  };
}
