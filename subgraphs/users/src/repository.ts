import { sql, type Kysely, type Selectable } from 'kysely';
import { prepared } from '@shop/postgres';
import type { AddressesTable, UsersDatabase, UsersTable } from './db/schema.js';
import type { Address, Preferences, Role, User } from './model.js';
import type { UserCursor, UserPage } from './pagination.js';
import { createRefreshTokenQueries, type RefreshTokenQueries } from './repository/refreshTokens.js';
import { isUuid, type AddressFields } from './validation.js';

export type { NewRefreshToken, RefreshTokenRecord } from './repository/refreshTokens.js';

export interface UserCredentials {
  user: User;
  passwordHash: string;
}

export interface UserListQuery {
  /** Plain text matched anywhere in the email or name, case-insensitively. */
  search: string | null;
  role: Role | null;
  first: number;
  after: UserCursor | null;
}

/** The only code that touches the users database. Reads are batch-shaped for the DataLoaders. */
export interface UsersRepository extends RefreshTokenQueries {
  /** The users that exist among `ids`, in no particular order; ids that are not UUIDs never reach SQL. */
  findUsersByIds(ids: readonly string[]): Promise<User[]>;
  findCredentialsByEmail(email: string): Promise<UserCredentials | null>;
  findCredentialsById(id: string): Promise<UserCredentials | null>;
  /** Newest first, `first` of them after the cursor, with the number matching the filters. */
  findUsersPage(query: UserListQuery): Promise<UserPage>;
  /** Null when the email is already registered (the unique index decides, so races are safe). */
  insertUser(user: { email: string; passwordHash: string; name: string | null }): Promise<User | null>;
  /** Creates the account as ADMIN, or makes an existing one ADMIN with this password hash. */
  upsertAdmin(email: string, passwordHash: string): Promise<User>;
  /**
   * Locks the user's row until the transaction ends, serialising everything that must see a
   * user's addresses as a whole (count, default). False when there is no such user.
   */
  lockUser(id: string): Promise<boolean>;
  /** The current roles of these users, their rows locked (in id order, so lockers never deadlock). */
  findRolesForUpdate(ids: readonly string[]): Promise<Map<string, Role>>;
  /** Null when there is no such user. */
  updateUser(id: string, changes: { name?: string | null; role?: Role; passwordHash?: string }): Promise<User | null>;
  /** Null when there is no such user; with no changes, reads the current preferences. */
  updatePreferences(id: string, changes: Partial<Preferences>): Promise<Preferences | null>;
  /** Each user's addresses oldest first. */
  findAddressesByUserIds(userIds: readonly string[]): Promise<Address[]>;
  /** The address when it is this user's; null for anyone else's, so others never learn it exists. */
  findAddress(userId: string, id: string): Promise<Address | null>;
  countAddresses(userId: string): Promise<number>;
  insertAddress(userId: string, address: AddressFields, isDefault: boolean): Promise<Address>;
  /** Null unless the address is this user's. */
  updateAddress(userId: string, id: string, changes: Partial<AddressFields>): Promise<Address | null>;
  /** The deleted address; null unless it was this user's. */
  deleteAddress(userId: string, id: string): Promise<Address | null>;
  /** Makes the user's newest address the default (after the default was removed). */
  promoteNewestAddress(userId: string): Promise<void>;
  /** Moves the default to this address; null unless it is this user's. Two statements: call in a transaction. */
  makeDefaultAddress(userId: string, id: string): Promise<Address | null>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (repository: UsersRepository) => Promise<T>): Promise<T>;
}

const USERS_EMAIL_UNIQUE = 'users_email_key';
const UNIQUE_VIOLATION = '23505';

const userColumns = ['id', 'email', 'name', 'role', 'created_at', 'locale', 'currency', 'marketing_opt_in'] as const;
const preferenceColumns = ['locale', 'currency', 'marketing_opt_in'] as const;

function toPreferences(row: Pick<Selectable<UsersTable>, (typeof preferenceColumns)[number]>): Preferences {
  return { locale: row.locale, currency: row.currency, marketingOptIn: row.marketing_opt_in };
}

function toUser(row: Pick<Selectable<UsersTable>, (typeof userColumns)[number]>): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    preferences: toPreferences(row),
  };
}

/** Escapes LIKE's wildcards (and the escape character itself) so a search is plain text. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// PostgreSQL's microsecond timestamp in UTC, the exact sort key behind a cursor.
const createdAtText = sql<string>`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

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
    isDefault: row.is_default,
  };
}

/** The columns of an address change; kysely leaves undefined ones out of the SET list. */
function addressChanges(address: Partial<AddressFields>) {
  return {
    name: address.name,
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    postal_code: address.postalCode,
    country: address.country,
  };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: unknown; constraint?: unknown };
  return pgError.code === UNIQUE_VIOLATION && pgError.constraint === constraint;
}

export function createUsersRepository(db: Kysely<UsersDatabase>): UsersRepository {
  async function findAddress(userId: string, id: string): Promise<Address | null> {
    const row = await db.selectFrom('addresses').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return row ? toAddress(row) : null;
  }

  return {
    ...createRefreshTokenQueries(db),

    async findUsersByIds(ids) {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return [];
      // One user (`me`, every signed-in page): a statement of one text, prepared once per connection.
      const query = db.selectFrom('users').select(userColumns);
      const { rows } = await db.executeQuery(
        valid.length === 1 ? prepared(query.where('id', '=', valid[0]!).compile()) : query.where('id', 'in', valid).compile(),
      );
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

    async findCredentialsById(id) {
      if (!isUuid(id)) return null;
      const row = await db
        .selectFrom('users')
        .select([...userColumns, 'password_hash'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
    },

    async findUsersPage(query) {
      const filtered = db
        .selectFrom('users')
        .$if(query.search !== null, (qb) =>
          qb.where((eb) => {
            const pattern = likePattern(query.search!);
            return eb.or([
              sql<boolean>`${eb.ref('email')} ILIKE ${pattern} ESCAPE '\\'`,
              sql<boolean>`${eb.ref('name')} ILIKE ${pattern} ESCAPE '\\'`,
            ]);
          }),
        )
        .$if(query.role !== null, (qb) => qb.where('role', '=', query.role!));
      const [rows, count] = await Promise.all([
        filtered
          .select([...userColumns, createdAtText.as('created_at_text')])
          .$if(query.after !== null, (qb) =>
            qb.where(sql<boolean>`(created_at, id) < (${query.after!.createdAt}::timestamptz, ${query.after!.id}::uuid)`),
          )
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(query.first + 1)
          .execute(),
        filtered.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        users: rows.slice(0, query.first).map((row) => ({ user: toUser(row), cursor: { createdAt: row.created_at_text, id: row.id } })),
        hasNextPage: rows.length > query.first,
        totalCount: Number(count.n),
      };
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

    async lockUser(id) {
      if (!isUuid(id)) return false;
      const row = await db.selectFrom('users').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
      return row !== undefined;
    },

    async findRolesForUpdate(ids) {
      const valid = [...new Set(ids.filter(isUuid))].sort();
      if (valid.length === 0) return new Map();
      const rows = await db.selectFrom('users').select(['id', 'role']).where('id', 'in', valid).orderBy('id').forUpdate().execute();
      return new Map(rows.map((row) => [row.id, row.role]));
    },

    async updateUser(id, changes) {
      if (!isUuid(id)) return null;
      const row = await db
        .updateTable('users')
        .set({ name: changes.name, role: changes.role, password_hash: changes.passwordHash })
        .where('id', '=', id)
        .returning(userColumns)
        .executeTakeFirst();
      return row ? toUser(row) : null;
    },

    async updatePreferences(id, changes) {
      if (!isUuid(id)) return null;
      const values = { locale: changes.locale, currency: changes.currency, marketing_opt_in: changes.marketingOptIn };
      const row = Object.values(values).every((value) => value === undefined)
        ? await db.selectFrom('users').select(preferenceColumns).where('id', '=', id).executeTakeFirst()
        : await db.updateTable('users').set(values).where('id', '=', id).returning(preferenceColumns).executeTakeFirst();
      return row ? toPreferences(row) : null;
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

    findAddress,

    async countAddresses(userId) {
      const { n } = await db
        .selectFrom('addresses')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(n);
    },

    async insertAddress(userId, address, isDefault) {
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
          is_default: isDefault,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAddress(row);
    },

    async updateAddress(userId, id, changes) {
      if (Object.values(changes).every((value) => value === undefined)) return findAddress(userId, id);
      const row = await db
        .updateTable('addresses')
        .set(addressChanges(changes))
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      return row ? toAddress(row) : null;
    },

    async deleteAddress(userId, id) {
      const row = await db.deleteFrom('addresses').where('id', '=', id).where('user_id', '=', userId).returningAll().executeTakeFirst();
      return row ? toAddress(row) : null;
    },

    async promoteNewestAddress(userId) {
      await db
        .updateTable('addresses')
        .set({ is_default: true })
        .where('id', '=', (eb) =>
          eb
            .selectFrom('addresses')
            .select('id')
            .where('user_id', '=', userId)
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(1),
        )
        .execute();
    },

    async makeDefaultAddress(userId, id) {
      const target = await findAddress(userId, id);
      if (target === null) return null;
      if (target.isDefault) return target;
      // Two statements in this order: the partial unique index allows one default at any moment.
      await db.updateTable('addresses').set({ is_default: false }).where('user_id', '=', userId).where('is_default', '=', true).execute();
      const row = await db
        .updateTable('addresses')
        .set({ is_default: true })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAddress(row);
    },

    transaction(work) {
      return db.transaction().execute((trx) => work(createUsersRepository(trx)));
    },
  };
}
