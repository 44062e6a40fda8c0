import { sql, type Kysely, type Selectable } from 'kysely';
import type { AddressesTable, UsersDatabase, UsersTable } from './db/database.js';
import type { Address, User } from './model.js';
import { isUuid, type AddressFields } from './validation.js';

export interface UserCredentials {
  user: User;
  passwordHash: string;
}

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

/** The only code that touches the users database. Reads are batch-shaped for the DataLoaders. */
export interface UsersRepository {
  /** The users that exist among `ids`, in no particular order; ids that are not UUIDs never reach SQL. */
  findUsersByIds(ids: readonly string[]): Promise<User[]>;
  findCredentialsByEmail(email: string): Promise<UserCredentials | null>;
  /** Null when the email is already registered (the unique index decides, so races are safe). */
  insertUser(user: { email: string; passwordHash: string; name: string | null }): Promise<User | null>;
  /** Creates the account as ADMIN, or makes an existing one ADMIN with this password hash. */
  upsertAdmin(email: string, passwordHash: string): Promise<User>;
  findAddressesByUserIds(userIds: readonly string[]): Promise<Address[]>;
  insertAddress(userId: string, address: AddressFields): Promise<Address>;
  insertRefreshToken(token: NewRefreshToken): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /** Same, holding a row lock until the transaction ends, so one token is rotated only once. */
  findRefreshTokenForUpdate(tokenHash: string): Promise<RefreshTokenRecord | null>;
  markRefreshTokenUsed(id: string): Promise<void>;
  revokeRefreshTokenFamily(familyId: string): Promise<void>;
  revokeRefreshTokensOfUser(userId: string): Promise<void>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (repository: UsersRepository) => Promise<T>): Promise<T>;
}

const USERS_EMAIL_UNIQUE = 'users_email_key';
const UNIQUE_VIOLATION = '23505';

const userColumns = ['id', 'email', 'name', 'role', 'created_at'] as const;

function toUser(row: Pick<Selectable<UsersTable>, (typeof userColumns)[number]>): User {
  return { id: row.id, email: row.email, name: row.name, role: row.role, createdAt: row.created_at };
}

function toAddress(row: Selectable<AddressesTable>): Address {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    postalCode: row.postal_code,
    country: row.country,
  };
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

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: unknown; constraint?: unknown };
  return pgError.code === UNIQUE_VIOLATION && pgError.constraint === constraint;
}

export function createUsersRepository(db: Kysely<UsersDatabase>): UsersRepository {
  return {
    async findUsersByIds(ids) {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return [];
      const rows = await db.selectFrom('users').select(userColumns).where('id', 'in', valid).execute();
      return rows.map(toUser);
    },

    async findCredentialsByEmail(email) {
      const row = await db
        .selectFrom('users')
        .select([...userColumns, 'password_hash'])
        .where('email', '=', email)
        .executeTakeFirst();
      return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
    },

    async insertUser(user) {
      try {
        const row = await db
          .insertInto('users')
          .values({ email: user.email, password_hash: user.passwordHash, name: user.name })
          .returning(userColumns)
          .executeTakeFirstOrThrow();
        return toUser(row);
      } catch (error) {
        if (isUniqueViolation(error, USERS_EMAIL_UNIQUE)) return null;
        throw error;
      }
    },

    async upsertAdmin(email, passwordHash) {
      const row = await db
        .insertInto('users')
        .values({ email, password_hash: passwordHash, role: 'ADMIN' })
        .onConflict((oc) => oc.column('email').doUpdateSet({ role: 'ADMIN', password_hash: passwordHash }))
        .returning(userColumns)
        .executeTakeFirstOrThrow();
      return toUser(row);
    },

    async findAddressesByUserIds(userIds) {
      const valid = userIds.filter(isUuid);
      if (valid.length === 0) return [];
      const rows = await db
        .selectFrom('addresses')
        .selectAll()
        .where('user_id', 'in', valid)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toAddress);
    },

    async insertAddress(userId, address) {
      const row = await db
        .insertInto('addresses')
        .values({
          user_id: userId,
          name: address.name,
          line1: address.line1,
          line2: address.line2,
          city: address.city,
          postal_code: address.postalCode,
          country: address.country,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAddress(row);
    },

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

    transaction(work) {
      return db.transaction().execute((trx) => work(createUsersRepository(trx)));
    },
  };
}
