import type { Resolvers } from './generated/resolvers.js';
import type { NotificationsService } from './service.js';

/**
 * Thin: arguments to the service, domain objects to the GraphQL shape. Typed by codegen from
 * schema.graphql: a schema change that breaks a resolver breaks the build.
 */
export function createResolvers(service: NotificationsService): Resolvers {
  return {
    User: {
      // Users owns User; a reference carries all notifications needs (the id), so no lookup.
      __resolveReference: (reference) => ({ id: reference.id }),
      notifications: (user, args, ctx) => service.notificationsOf(ctx, user.id, args.first),
    },
    Notification: {
      createdAt: (n) => n.createdAt.toISOString(),
      sentAt: (n) => n.sentAt?.toISOString() ?? null,
    },
  };
}
