import { forbidden } from '@shop/errors';
import type { UsersContext } from './context.js';
import type { UserView } from './model.js';

/**
 * Email, addresses, preferences and the wishlist belong to the user; only they and admins may
 * read them, and a service granted `scope` (when one is given) without any user signed in.
 */
export function assertMayReadPrivate(ctx: UsersContext, user: UserView, field: string, scope?: string): void {
  if (scope !== undefined && ctx.service?.scopes.includes(scope)) return;
  let viewer = user.viewer;
  if (viewer === undefined) {
    if (ctx.authError) throw ctx.authError;
    viewer = ctx.caller ?? undefined;
  }
  if (viewer && (viewer.userId === user.id || viewer.role === 'ADMIN')) return;
  throw forbidden(`Only the user themself or an admin may see ${field}`);
}
