import { ConfigError } from '@shop/config';
import { badUserInput, conflict, forbidden, isAppError, notFound, unauthenticated } from '@shop/errors';
import { pageSize, requireAdmin, requireCaller, signAccessToken, type Caller, type Logger, type SigningKey } from '@shop/subgraph-kit';
import type { AdminAccount } from './config.js';
import type { UsersContext } from './context.js';
import type { LoginThrottle } from './loginThrottle.js';
import type { Address, AuthPayload, Preferences, Role, User, UserView } from './model.js';
import { decodeUserCursor, toUserConnection, type UserConnection } from './pagination.js';
import { createDummyHash, hashPassword, verifyPassword } from './passwords.js';
import type { UsersRepository } from './repository.js';
import { assertMayReadPrivate } from './visibility.js';
import { ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_MS, hashRefreshToken, newRefreshToken } from './tokens.js';
import {
  checkPassword,
  normaliseAddress,
  normaliseAddressUpdate,
  normaliseEmail,
  normaliseName,
  normalisePreferences,
  normaliseSearch,
  parseEmail,
  parseId,
  passwordProblem,
  type AddressInput,
  type AddressUpdateInput,
  type PreferencesInput,
} from './validation.js';

export interface RegisterInput {
  email: string;
  password: string;
  name?: string | null;
}

export type UsersService = Awaited<ReturnType<typeof createUsersService>>;

export interface UserListArgs {
  search?: string | null;
  role?: Role | null;
  first?: number | null;
  after?: string | null;
}

/** Granted to a service that addresses users (notifications): their email, name and preferences, never addresses. */
export const READ_CONTACT_SCOPE = 'users:read-contact';

/** Keeps address books usable and bounds what one account can make us store. */
export const MAX_ADDRESSES_PER_USER = 20;

const INVALID_CREDENTIALS = 'Invalid email or password';
// A valid access token whose account has since been deleted.
const ACCOUNT_GONE = 'This account no longer exists';
const INVALID_REFRESH_TOKEN = 'Invalid or expired refresh token: sign in again';
const REUSED_REFRESH_TOKEN = 'Refresh token already used: every session of this sign-in is now revoked, sign in again';

type RefreshOutcome = { kind: 'issued'; payload: AuthPayload } | { kind: 'refused' } | { kind: 'reused'; userId: string };

export async function createUsersService(deps: { repository: UsersRepository; signingKey: SigningKey; throttle: LoginThrottle }) {
  const { repository, signingKey, throttle } = deps;
  const dummyHash = await createDummyHash();

  /** Stores a new refresh token (in `familyId`, or a new family) and signs an access token. */
  async function issueTokens(repo: UsersRepository, user: User, familyId?: string): Promise<AuthPayload> {
    const { token, tokenHash } = newRefreshToken();
    await repo.insertRefreshToken({
      tokenHash,
      userId: user.id,
      familyId,
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
    });
    const caller: Caller = { userId: user.id, role: user.role };
    const accessToken = await signAccessToken(caller, { key: signingKey, ttlSeconds: ACCESS_TOKEN_TTL_SECONDS });
    return { accessToken, refreshToken: token, user: { ...user, viewer: caller } };
  }

  /** Rate limits every password check (sign-in and password change); call it before any argon2 work. */
  async function admitPasswordAttempt(ctx: UsersContext, email: string, action: string): Promise<void> {
    try {
      await throttle.admit(ctx.clientIp, email);
    } catch (error) {
      if (isAppError(error) && error.code === 'RATE_LIMITED') ctx.logger.warn(`${action} rate limited`, { clientIp: ctx.clientIp });
      throw error;
    }
  }

  /**
   * The caller's own password, before a change only its owner may make (a new password, an
   * account deletion). A stolen access token must not turn this into an unthrottled password
   * oracle, so it is throttled like a sign-in.
   */
  async function confirmPassword(ctx: UsersContext, password: string, field: string): Promise<void> {
    const caller = requireCaller(ctx);
    const account = await repository.findCredentialsById(caller.userId);
    if (account === null) throw unauthenticated(ACCOUNT_GONE);
    await admitPasswordAttempt(ctx, account.user.email, field === 'password' ? 'account deletion' : 'password change');
    if (!(await verifyPassword(account.passwordHash, password))) throw badUserInput('The password is wrong', field);
    await throttle.succeeded(account.user.email);
  }

  /** Runs an address change with the user's row locked, so counts and defaults cannot race. */
  function withAddressesLocked<T>(userId: string, work: (tx: UsersRepository) => Promise<T>): Promise<T> {
    return repository.transaction(async (tx) => {
      if (!(await tx.lockUser(userId))) throw unauthenticated(ACCOUNT_GONE);
      return work(tx);
    });
  }

  return {
    confirmPassword,

    async register(ctx: UsersContext, input: RegisterInput): Promise<AuthPayload> {
      const email = normaliseEmail(input.email);
      checkPassword(input.password);
      const name = normaliseName(input.name);
      const passwordHash = await hashPassword(input.password);
      const payload = await repository.transaction(async (tx) => {
        const user = await tx.insertUser({ email, passwordHash, name });
        if (user === null) throw conflict('An account with this email already exists', { reason: 'ALREADY_EXISTS', field: 'email' });
        return issueTokens(tx, user);
      });
      ctx.logger.info('account registered', { userId: payload.user.id });
      return payload;
    },

    async login(ctx: UsersContext, rawEmail: string, password: string): Promise<AuthPayload> {
      await admitPasswordAttempt(ctx, rawEmail, 'sign-in');
      const email = parseEmail(rawEmail);
      const account = email === null ? null : await repository.findCredentialsByEmail(email);
      // Always one argon2 verification, so the answer time does not tell whether the account exists.
      const valid = await verifyPassword(account?.passwordHash ?? dummyHash, password);
      if (account === null || !valid) {
        ctx.logger.info('sign-in refused', { knownAccount: account !== null });
        throw unauthenticated(INVALID_CREDENTIALS);
      }
      await throttle.succeeded(rawEmail);
      return issueTokens(repository, account.user);
    },

    /** Signs out everywhere: every refresh token of the user is revoked with the new hash stored. */
    async changePassword(ctx: UsersContext, currentPassword: string, newPassword: string): Promise<boolean> {
      const caller = requireCaller(ctx);
      checkPassword(newPassword, 'newPassword');
      await confirmPassword(ctx, currentPassword, 'currentPassword');
      const passwordHash = await hashPassword(newPassword);
      await repository.transaction(async (tx) => {
        await tx.updateUser(caller.userId, { passwordHash });
        await tx.revokeRefreshTokensOfUser(caller.userId);
      });
      ctx.logger.info('password changed: every session signed out', { userId: caller.userId });
      return true;
    },

    /** `name` absent leaves it; null or blank removes it. */
    async updateProfile(ctx: UsersContext, changes: { name?: string | null }): Promise<User> {
      const caller = requireCaller(ctx);
      const user =
        changes.name === undefined
          ? await ctx.loaders.userById.load(caller.userId)
          : await repository.updateUser(caller.userId, { name: normaliseName(changes.name) });
      if (user === null) throw unauthenticated(ACCOUNT_GONE);
      ctx.loaders.userById.clear(caller.userId).prime(caller.userId, user);
      return user;
    },

    async updatePreferences(ctx: UsersContext, input: PreferencesInput): Promise<Preferences> {
      const caller = requireCaller(ctx);
      const preferences = await repository.updatePreferences(caller.userId, normalisePreferences(input));
      if (preferences === null) throw unauthenticated(ACCOUNT_GONE);
      ctx.loaders.userById.clear(caller.userId);
      return preferences;
    },

    async refresh(ctx: UsersContext, refreshToken: string): Promise<AuthPayload> {
      const tokenHash = hashRefreshToken(refreshToken);
      // The revocation of a reused token's family must be committed, so the transaction returns
      // the refusal instead of throwing it (which would roll the revocation back).
      const outcome = await repository.transaction(async (tx): Promise<RefreshOutcome> => {
        const record = await tx.findRefreshTokenForUpdate(tokenHash);
        if (record === null) return { kind: 'refused' };
        if (record.usedAt !== null) {
          // Either the client or a thief already rotated this token: whoever holds the newer
          // token cannot be told apart from the other, so the whole family goes.
          await tx.revokeRefreshTokenFamily(record.familyId);
          return { kind: 'reused', userId: record.userId };
        }
        if (record.revokedAt !== null || record.expiresAt.getTime() <= Date.now()) return { kind: 'refused' };
        const [user] = await tx.findUsersByIds([record.userId]);
        if (user === undefined) return { kind: 'refused' };
        await tx.markRefreshTokenUsed(record.id);
        return { kind: 'issued', payload: await issueTokens(tx, user, record.familyId) };
      });
      switch (outcome.kind) {
        case 'issued':
          return outcome.payload;
        case 'reused':
          ctx.logger.warn('refresh token reused: session family revoked', { userId: outcome.userId });
          throw unauthenticated(REUSED_REFRESH_TOKEN);
        case 'refused':
          throw unauthenticated(INVALID_REFRESH_TOKEN);
      }
    },

    async logout(ctx: UsersContext, refreshToken: string): Promise<boolean> {
      const record = await repository.findRefreshToken(hashRefreshToken(refreshToken));
      if (record === null) return false;
      await repository.revokeRefreshTokenFamily(record.familyId);
      ctx.logger.info('signed out', { userId: record.userId });
      return true;
    },

    async me(ctx: UsersContext): Promise<User | null> {
      if (ctx.authError) throw ctx.authError;
      if (!ctx.caller) return null;
      return ctx.loaders.userById.load(ctx.caller.userId);
    },

    async user(ctx: UsersContext, id: string): Promise<User | null> {
      requireAdmin(ctx);
      return ctx.loaders.userById.load(id);
    },

    async users(ctx: UsersContext, args: UserListArgs): Promise<UserConnection> {
      requireAdmin(ctx);
      const query = {
        search: normaliseSearch(args.search),
        role: args.role ?? null,
        first: pageSize(args.first),
        after: decodeUserCursor(args.after),
      };
      return toUserConnection(await repository.findUsersPage(query));
    },

    async setUserRole(ctx: UsersContext, userId: string, role: Role): Promise<User> {
      const caller = requireAdmin(ctx);
      const targetId = parseId(userId, 'userId');
      if (targetId === caller.userId && role !== 'ADMIN') {
        throw conflict('An admin cannot take away their own ADMIN role: ask another admin', { field: 'role' });
      }
      const user = await repository.transaction(async (tx) => {
        const roles = await tx.findRolesForUpdate([caller.userId, targetId]);
        // The access token may predate a demotion: what counts is the caller's role right now.
        // The lock also stops two admins from demoting each other at the same moment.
        if (roles.get(caller.userId) !== 'ADMIN') throw forbidden('Only an ADMIN may do this');
        const updated = roles.has(targetId) ? await tx.updateUser(targetId, { role }) : null;
        if (updated === null) throw notFound('User', userId);
        return updated;
      });
      ctx.logger.info('role set', { userId: user.id, role, by: caller.userId });
      ctx.loaders.userById.clear(user.id).prime(user.id, user);
      return user;
    },

    /** For `_entities`: null when the id is unknown or not even one of our ids. */
    userReference(ctx: UsersContext, id: string): Promise<User | null> {
      return ctx.loaders.userById.load(id);
    },

    email(ctx: UsersContext, user: UserView): string {
      assertMayReadPrivate(ctx, user, 'email', READ_CONTACT_SCOPE);
      return user.email;
    },

    /** Private like email: a review's author must not tell anyone who the admins are. */
    role(ctx: UsersContext, user: UserView): Role {
      assertMayReadPrivate(ctx, user, 'role');
      return user.role;
    },

    async addresses(ctx: UsersContext, user: UserView): Promise<Address[]> {
      assertMayReadPrivate(ctx, user, 'addresses');
      return ctx.loaders.addressesByUserId.load(user.id);
    },

    preferences(ctx: UsersContext, user: UserView): Preferences {
      assertMayReadPrivate(ctx, user, 'preferences', READ_CONTACT_SCOPE);
      return user.preferences;
    },

    async defaultAddress(ctx: UsersContext, user: UserView): Promise<Address | null> {
      assertMayReadPrivate(ctx, user, 'defaultAddress');
      const addresses = await ctx.loaders.addressesByUserId.load(user.id);
      return addresses.find((address) => address.isDefault) ?? null;
    },

    /** The first address becomes the default. CONFLICT beyond MAX_ADDRESSES_PER_USER. */
    async addAddress(ctx: UsersContext, input: AddressInput): Promise<Address> {
      const caller = requireCaller(ctx);
      const fields = normaliseAddress(input);
      const address = await withAddressesLocked(caller.userId, async (tx) => {
        const count = await tx.countAddresses(caller.userId);
        if (count >= MAX_ADDRESSES_PER_USER) {
          throw conflict(`An account can keep at most ${MAX_ADDRESSES_PER_USER} addresses: remove one first`, { reason: 'LIMIT_REACHED' });
        }
        return tx.insertAddress(caller.userId, fields, count === 0);
      });
      ctx.loaders.addressesByUserId.clear(caller.userId);
      return address;
    },

    /** Only the owner's addresses: anyone else's is NOT_FOUND, exactly like one that does not exist. */
    async updateAddress(ctx: UsersContext, id: string, input: AddressUpdateInput): Promise<Address> {
      const caller = requireCaller(ctx);
      const addressId = parseId(id, 'id');
      const address = await repository.updateAddress(caller.userId, addressId, normaliseAddressUpdate(input));
      if (address === null) throw notFound('Address', id);
      ctx.loaders.addressesByUserId.clear(caller.userId);
      return address;
    },

    /** Removing the default makes the newest remaining address the default. */
    async removeAddress(ctx: UsersContext, id: string): Promise<boolean> {
      const caller = requireCaller(ctx);
      const addressId = parseId(id, 'id');
      await withAddressesLocked(caller.userId, async (tx) => {
        const removed = await tx.deleteAddress(caller.userId, addressId);
        if (removed === null) throw notFound('Address', id);
        if (removed.isDefault) await tx.promoteNewestAddress(caller.userId);
      });
      ctx.loaders.addressesByUserId.clear(caller.userId);
      return true;
    },

    async setDefaultAddress(ctx: UsersContext, id: string): Promise<Address> {
      const caller = requireCaller(ctx);
      const addressId = parseId(id, 'id');
      const address = await withAddressesLocked(caller.userId, (tx) => tx.makeDefaultAddress(caller.userId, addressId));
      if (address === null) throw notFound('Address', id);
      ctx.loaders.addressesByUserId.clear(caller.userId);
      return address;
    },

    /**
     * Makes sure the configured ADMIN account exists with exactly this password. A changed
     * password also signs out every session started with the old one.
     */
    async ensureAdmin(admin: AdminAccount, logger: Logger): Promise<User> {
      const email = parseEmail(admin.email);
      const weakness = passwordProblem(admin.password);
      const problems = [
        ...(email === null ? [`ADMIN_EMAIL "${admin.email}" is not a valid email address`] : []),
        ...(weakness === null ? [] : [`ADMIN_PASSWORD is too weak: ${weakness}`]),
      ];
      if (email === null || problems.length > 0) throw new ConfigError(problems);

      const existing = await repository.findCredentialsByEmail(email);
      const samePassword = existing !== null && (await verifyPassword(existing.passwordHash, admin.password));
      if (existing !== null && samePassword && existing.user.role === 'ADMIN') return existing.user;

      const passwordHash = existing !== null && samePassword ? existing.passwordHash : await hashPassword(admin.password);
      const user = await repository.transaction(async (tx) => {
        const upserted = await tx.upsertAdmin(email, passwordHash);
        if (existing !== null && !samePassword) await tx.revokeRefreshTokensOfUser(upserted.id);
        return upserted;
      });
      logger.info(existing === null ? 'admin account created' : 'admin account updated', { userId: user.id, email });
      return user;
    },
  };
}
