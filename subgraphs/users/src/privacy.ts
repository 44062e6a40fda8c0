import type { DataExportPart, UserErased } from '@shop/contracts';
import { PRIVACY_EVENTS } from '@shop/contracts';
import { notFound } from '@shop/errors';
import type { EventEnvelope } from '@shop/events';
import { requireAdmin, requireCaller, type Logger } from '@shop/subgraph-kit';
import type { UsersContext } from './context.js';
import type { AccountDeletion, DataExport, PrivacyRepository } from './privacyRepository.js';

/**
 * Every subgraph that keeps something about a person, users included: an export is ready once
 * each has sent its part, a deletion complete once each has erased. Search and shipping keep
 * nothing about people (docs/privacy.md), so they take no part.
 */
export const PRIVACY_PARTICIPANTS = ['analytics', 'cart', 'inventory', 'notifications', 'orders', 'payments', 'products', 'users'] as const;

/** The consumer group of the answers (parts and erasures) users collects. */
export const PRIVACY_CONSUMER = 'users.privacy';

export type PrivacyService = ReturnType<typeof createPrivacyService>;

export function createPrivacyService(deps: {
  repository: PrivacyRepository;
  /** Checks the caller's own password (throttled like a sign-in); BAD_USER_INPUT on `field` when wrong. */
  confirmPassword(ctx: UsersContext, password: string, field: string): Promise<void>;
  /** Asks the outbox relay to publish now. */
  published: () => void;
  logger: Logger;
}) {
  const { repository, logger } = deps;

  return {
    /** Users' own part is taken now; the others arrive by events within seconds. */
    async requestDataExport(ctx: UsersContext): Promise<DataExport> {
      const caller = requireCaller(ctx);
      const created = await repository.createExport(caller.userId, await repository.ownPart(caller.userId));
      deps.published();
      ctx.logger.info('data export requested', { userId: caller.userId, exportId: created.id });
      return created;
    },

    /** Owner only: anyone else (admins included) gets null, as for an export that does not exist. */
    async dataExport(ctx: UsersContext, id: string): Promise<DataExport | null> {
      const caller = requireCaller(ctx);
      const [found] = await repository.findExportsByIds([id]);
      return found && found.userId === caller.userId ? found : null;
    },

    /**
     * Erases the caller's account here at once and asks every other subgraph to erase theirs by
     * `user.deleted`; the router stops accepting the caller's access tokens on the same event.
     * A second request racing the first finds nothing left to erase and answers true.
     */
    async deleteMyAccount(ctx: UsersContext, password: string): Promise<boolean> {
      const caller = requireCaller(ctx);
      await deps.confirmPassword(ctx, password, 'password');
      const deletedAt = await repository.deleteAccount(caller.userId);
      deps.published();
      if (deletedAt) ctx.logger.info('account deleted: erasure requested everywhere', { userId: caller.userId });
      return true;
    },

    /** ADMIN: how far a deletion has got, for an operator following one up. */
    async accountDeletion(ctx: UsersContext, userId: string): Promise<AccountDeletion & { pendingIn: string[] }> {
      requireAdmin(ctx);
      const deletion = await repository.findDeletion(userId);
      if (!deletion) throw notFound('AccountDeletion', userId);
      return { ...deletion, pendingIn: PRIVACY_PARTICIPANTS.filter((name) => !deletion.erasedIn.includes(name)) };
    },

    /** `data_export.part` and `user.erased` from the participants; idempotent, so redeliveries are harmless. */
    async handleAnswer(event: EventEnvelope): Promise<void> {
      if (event.type === PRIVACY_EVENTS.exportPart) {
        const part = event.data as DataExportPart;
        await repository.recordExportPart(part.exportId, part.service, part.data, PRIVACY_PARTICIPANTS);
        return;
      }
      const erased = event.data as UserErased;
      await repository.recordErasure(erased.userId, erased.service, PRIVACY_PARTICIPANTS);
      logger.info('erasure confirmed', { userId: erased.userId, service: erased.service });
    },
  };
}
