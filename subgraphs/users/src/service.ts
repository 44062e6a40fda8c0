import { ConfigError } from '@shop/config';
import { conflict, forbidden, unauthenticated } from '@shop/errors';
import { requireAdmin, requireCaller, signAccessToken, type Caller, type Logger } from '@shop/subgraph-kit';
import type { AdminAccount } from './config.js';
import type { UsersContext } from './context.js';
import type { Address, AuthPayload, User, UserView } from './model.js';
import { createDummyHash, hashPassword, verifyPassword } from './passwords.js';
import type { UsersRepository } from './repository.js';
import { ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_MS, hashRefreshToken, newRefreshToken } from './tokens.js';
import {
  checkPassword,
  normaliseAddress,
  normaliseEmail,
  normaliseName,
  parseEmail,
  passwordProblem,
  type AddressInput,
} from './validation.js';

export interface RegisterInput {
  email: string;
  password: string;
  name?: string | null;
}

export type UsersService = Awaited<ReturnType<typeof createUsersService>>;

const INVALID_CREDENTIALS = 'Invalid email or password';
const INVALID_REFRESH_TOKEN = 'Invalid or expired refresh token: sign in again';
const REUSED_REFRESH_TOKEN = 'Refresh token already used: every session of this sign-in is now revoked, sign in again';

type RefreshOutcome = { kind: 'issued'; payload: AuthPayload } | { kind: 'refused' } | { kind: 'reused'; userId: string };

export async function createUsersService(deps: { repository: UsersRepository; jwtSecret: string }) {
  const { repository, jwtSecret } = deps;
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
    const accessToken = await signAccessToken(caller, { secret: jwtSecret, ttlSeconds: ACCESS_TOKEN_TTL_SECONDS });
    return { accessToken, refreshToken: token, user: { ...user, viewer: caller } };
  }

  /** Email and addresses belong to the user; only they and admins may read them. */
  function assertMayReadPrivate(ctx: UsersContext, user: UserView, field: string): void {
    let viewer = user.viewer;
    if (viewer === undefined) {
      if (ctx.authError) throw ctx.authError;
      viewer = ctx.caller ?? undefined;
    }
    if (viewer && (viewer.userId === user.id || viewer.role === 'ADMIN')) return;
    throw forbidden(`Only the user themself or an admin may see ${field}`);
  }

  return {
    async register(ctx: UsersContext, input: RegisterInput): Promise<AuthPayload> {
      const email = normaliseEmail(input.email);
      checkPassword(input.password);
      const name = normaliseName(input.name);
      const passwordHash = await hashPassword(input.password);
      const payload = await repository.transaction(async (tx) => {
        const user = await tx.insertUser({ email, passwordHash, name });
        if (user === null) throw conflict('An account with this email already exists', { field: 'email' });
        return issueTokens(tx, user);
      });
      ctx.logger.info('account registered', { userId: payload.user.id });
      return payload;
    },

    async login(ctx: UsersContext, rawEmail: string, password: string): Promise<AuthPayload> {
      const email = parseEmail(rawEmail);
      const account = email === null ? null : await repository.findCredentialsByEmail(email);
      // Always one argon2 verification, so the answer time does not tell whether the account exists.
      const valid = await verifyPassword(account?.passwordHash ?? dummyHash, password);
      if (account === null || !valid) {
        ctx.logger.info('sign-in refused', { knownAccount: account !== null });
        throw unauthenticated(INVALID_CREDENTIALS);
      }
      return issueTokens(repository, account.user);
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

    /** For `_entities`: null when the id is unknown or not even one of our ids. */
    userReference(ctx: UsersContext, id: string): Promise<User | null> {
      return ctx.loaders.userById.load(id);
    },

    email(ctx: UsersContext, user: UserView): string {
      assertMayReadPrivate(ctx, user, 'email');
      return user.email;
    },

    async addresses(ctx: UsersContext, user: UserView): Promise<Address[]> {
      assertMayReadPrivate(ctx, user, 'addresses');
      return ctx.loaders.addressesByUserId.load(user.id);
    },

    async addAddress(ctx: UsersContext, input: AddressInput): Promise<Address> {
      const caller = requireCaller(ctx);
      const address = await repository.insertAddress(caller.userId, normaliseAddress(input));
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
