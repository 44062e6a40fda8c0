import { callService, ServiceUnavailableError, signAccessToken } from '@shop/subgraph-kit';

/** What a message needs to know about its addressee. */
export interface Recipient {
  userId: string;
  email: string;
  name: string | null;
  /** BCP 47, e.g. "de-DE"; null when the users subgraph gave none. */
  locale: string | null;
  marketingOptIn: boolean;
}

/** Names the addressees of messages; the users subgraph owns these details. */
export interface RecipientDirectory {
  /** One recipient per user id, in key order; null for a user that does not exist. One round trip per call. */
  lookup(userIds: readonly string[]): Promise<(Recipient | null)[]>;
}

export class RecipientDirectoryUnavailableError extends ServiceUnavailableError {
  override name = 'RecipientDirectoryUnavailableError';
}

export const RECIPIENTS_QUERY =
  'query($r:[_Any!]!){ _entities(representations:$r){ ... on User { id email name preferences { locale marketingOptIn } } } }';

/** The identity this service acts as towards the users subgraph. */
export const SERVICE_USER_ID = 'service:notifications';
const TOKEN_TTL_SECONDS = 300;
// A token is renewed this long before it expires, so none expires on its way to users.
const TOKEN_RENEW_MARGIN_MS = 60_000;

interface EntitiesData {
  _entities?: Array<Record<string, unknown> | null> | null;
}

/**
 * The users subgraph's `_entities` at `url`, one POST per lookup. Users shows email and
 * preferences only to the user themself or an ADMIN, so this signs a short-lived ADMIN
 * service token (cached until shortly before it expires) with the shared JWT secret.
 */
export function createUsersDirectory(options: { url: string; jwtSecret: string; timeoutMs?: number }): RecipientDirectory {
  let cached: { token: string; renewAt: number } | null = null;

  async function serviceToken(): Promise<string> {
    if (cached && Date.now() < cached.renewAt) return cached.token;
    const token = await signAccessToken({ userId: SERVICE_USER_ID, role: 'ADMIN' }, { secret: options.jwtSecret, ttlSeconds: TOKEN_TTL_SECONDS });
    cached = { token, renewAt: Date.now() + TOKEN_TTL_SECONDS * 1000 - TOKEN_RENEW_MARGIN_MS };
    return token;
  }

  return {
    async lookup(userIds) {
      if (userIds.length === 0) return [];
      const body = await callService<EntitiesData>({
        service: 'Users',
        url: options.url,
        query: RECIPIENTS_QUERY,
        variables: { r: userIds.map((id) => ({ __typename: 'User', id })) },
        forward: { authorization: `Bearer ${await serviceToken()}` },
        timeoutMs: options.timeoutMs,
        unavailableError: RecipientDirectoryUnavailableError,
      });
      const [refusal] = body.errors;
      if (refusal) throw new RecipientDirectoryUnavailableError(`Users refused the recipient lookup: ${refusal.message}`);
      const entities = body.data?._entities;
      if (!Array.isArray(entities) || entities.length !== userIds.length) {
        throw new RecipientDirectoryUnavailableError(`Users returned ${Array.isArray(entities) ? entities.length : 'no'} entities for ${userIds.length} ids`);
      }
      return entities.map((entity, i) => toRecipient(userIds[i]!, entity));
    },
  };
}

function toRecipient(userId: string, entity: Record<string, unknown> | null): Recipient | null {
  if (!entity || entity.id !== userId || typeof entity.email !== 'string') return null;
  const preferences = (entity.preferences ?? {}) as { locale?: unknown; marketingOptIn?: unknown };
  return {
    userId,
    email: entity.email,
    name: typeof entity.name === 'string' && entity.name.trim() !== '' ? entity.name : null,
    locale: typeof preferences.locale === 'string' ? preferences.locale : null,
    marketingOptIn: preferences.marketingOptIn === true,
  };
}
