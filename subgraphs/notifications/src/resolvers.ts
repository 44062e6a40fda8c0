import type { ResolverMap } from '@shop/subgraph-kit';
import type { NotificationsContext } from './context.js';
import type { Notification } from './model.js';

interface UserKey {
  id: string;
}

/** Thin: arguments to the service, domain objects to the GraphQL shape. */
export const resolvers: ResolverMap<NotificationsContext> = {
  User: {
    // Users owns User; a reference carries all notifications needs (the id), so no lookup.
    __resolveReference: (reference: UserKey): UserKey => ({ id: reference.id }),
    notifications: (user: UserKey, args: { first?: number | null }, ctx: NotificationsContext) =>
      ctx.notifications.notificationsOf(ctx, user.id, args.first),
  },
  Notification: {
    createdAt: (n: Notification) => n.createdAt.toISOString(),
    sentAt: (n: Notification) => n.sentAt?.toISOString() ?? null,
  },
};
