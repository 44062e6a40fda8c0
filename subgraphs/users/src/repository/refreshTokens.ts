import { sql, type Kysely } from 'kysely';
import type { UsersDatabase } from '../db/schema.js';

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewRefreshToken {
  tokenHash: string;
  userId: string;
  /** Omitted for a new sign-in: PostgreSQL starts a new family. */
  familyId?: string;
  expiresAt: Date;
}

/** The refresh-token part of the users repository (rotation and reuse detection live in the service). */
export interface RefreshTokenQueries {
  insertRefreshToken(token: NewRefreshToken): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /** Same, holding a row lock until the transaction ends, so one token is rotated only once. */
  findRefreshTokenForUpdate(tokenHash: string): Promise<RefreshTokenRecord | null>;
  markRefreshTokenUsed(id: string): Promise<void>;
  revokeRefreshTokenFamily(familyId: string): Promise<void>;
  revokeRefreshTokensOfUser(userId: string): Promise<void>;
}

const refreshTokenColumns = ['id', 'user_id', 'family_id', 'expires_at', 'used_at', 'revoked_at'] as const;

function toRefreshToken(row: {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}): RefreshTokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    familyId: row.family_id,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    revokedAt: row.revoked_at,
  };
}

export function createRefreshTokenQueries(db: Kysely<UsersDatabase>): RefreshTokenQueries {
  return {
    async insertRefreshToken(token) {
      await db
        .insertInto('refresh_tokens')
        .values({
          token_hash: token.tokenHash,
          user_id: token.userId,
          family_id: token.familyId,
          expires_at: token.expiresAt,
        })
        .execute();
    },

    async findRefreshToken(tokenHash) {
      const row = await db
        .selectFrom('refresh_tokens')
        .select(refreshTokenColumns)
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row ? toRefreshToken(row) : null;
    },

    async findRefreshTokenForUpdate(tokenHash) {
      const row = await db
        .selectFrom('refresh_tokens')
        .select(refreshTokenColumns)
        .where('token_hash', '=', tokenHash)
        .forUpdate()
        .executeTakeFirst();
      return row ? toRefreshToken(row) : null;
    },

    async markRefreshTokenUsed(id) {
      await db.updateTable('refresh_tokens').set({ used_at: sql<Date>`now()` }).where('id', '=', id).execute();
    },

    async revokeRefreshTokenFamily(familyId) {
      await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: sql<Date>`now()` })
        .where('family_id', '=', familyId)
        .where('revoked_at', 'is', null)
        .execute();
    },

    async revokeRefreshTokensOfUser(userId) {
      await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: sql<Date>`now()` })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute();
    },
  };
}
