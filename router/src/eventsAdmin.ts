import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventBus } from '@shop/events';
import { headerValue, isKeysUnavailable, sendJson, type Logger } from '@shop/subgraph-kit';
import type { CallerVerifier } from './auth.js';
import type { ErrorCode } from '@shop/errors';

export const EVENTS_ADMIN_PREFIX = '/admin/events/';

/**
 * The dead letters of the event bus, for admins (`shop-admin events dead-letters|replay`):
 *   GET  /admin/events/dead-letters[?group=&limit=]    -> { deadLetters: DeadLetter[] }
 *   POST /admin/events/dead-letters/<id>/replay        -> { replayed: DeadLetter } | 404 NOT_FOUND
 * An ADMIN bearer token is required (401 UNAUTHENTICATED without one, 403 FORBIDDEN otherwise).
 */
export function createEventsAdmin(options: { bus: EventBus; verifier: CallerVerifier | null; logger: Logger }) {
  const { bus, verifier, logger } = options;
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (!verifier) return refuse(res, 401, 'UNAUTHENTICATED', 'The router verifies no tokens, so it serves no admin routes');
    const { caller, error } = await verifier.verify(headerValue(req, 'authorization'));
    if (error && isKeysUnavailable(error)) return refuse(res, 503, error.code, error.message);
    if (error || !caller) return refuse(res, 401, 'UNAUTHENTICATED', error?.message ?? 'Sign in as an ADMIN');
    if (caller.role !== 'ADMIN') return refuse(res, 403, 'FORBIDDEN', 'Only an ADMIN may see or replay dead letters');
    const path = url.pathname.slice(EVENTS_ADMIN_PREFIX.length);
    if (path === 'dead-letters' && req.method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        return refuse(res, 400, 'BAD_USER_INPUT', 'limit must be an integer from 1 to 1000');
      }
      const group = url.searchParams.get('group') ?? undefined;
      return sendJson(res, 200, { deadLetters: await bus.deadLetters({ limit, ...(group ? { group } : {}) }) });
    }
    const replay = /^dead-letters\/([^/]+)\/replay$/.exec(path);
    if (replay && req.method === 'POST') {
      const id = decodeURIComponent(replay[1]!);
      const replayed = await bus.replayDeadLetter(id);
      if (!replayed) return refuse(res, 404, 'NOT_FOUND', `No dead letter ${id}`);
      logger.info('dead letter replayed', { id, group: replayed.group, eventId: replayed.event.id, type: replayed.event.type, by: caller.userId });
      return sendJson(res, 200, { replayed });
    }
    return sendJson(res, 404, { error: 'not found' });
  };
}

/** An error in the GraphQL shape the admin client reads (`errors[].extensions.code`). */
function refuse(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}
