import { createServiceClient, ServiceUnavailableError, signAccessToken } from '@shop/subgraph-kit';

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

/** What a message needs of a `User`, read through the users subgraph's `_entities`. */
export const RECIPIENT_FIELDS = 'email name preferences { locale marketingOptIn }';

/** The identity this service acts as towards the users subgraph. */
export const SERVICE_USER_ID = 'service:notifications';
const TOKEN_TTL_SECONDS = 300;
// A token is renewed this long before it expires, so none expires on its way to users.
const TOKEN_RENEW_MARGIN_MS = 60_000;

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

  const users = createServiceClient({ service: 'Users', unavailableError: RecipientDirectoryUnavailableError, url: options.url, timeoutMs: options.timeoutMs });
  return {
    async lookup(userIds) {
      if (userIds.length === 0) return [];
      const entities = await users.entities<Record<string, unknown>>(
        'User',
        RECIPIENT_FIELDS,
        userIds.map((id) => ({ id })),
        { forward: { authorization: `Bearer ${await serviceToken()}` } },
      );
      return entities.map((entity, i) => toRecipient(userIds[i]!, entity));
    },
  };
}

function toRecipient(userId: string, entity: Record<string, unknown> | null): Recipient | null {
  if (!entity || typeof entity.email !== 'string') return null;
  const preferences = (entity.preferences ?? {}) as { locale?: unknown; marketingOptIn?: unknown };
  return {
    userId,
    email: entity.email,
    name: typeof entity.name === 'string' && entity.name.trim() !== '' ? entity.name : null,
    locale: typeof preferences.locale === 'string' ? preferences.locale : null,
    marketingOptIn: preferences.marketingOptIn === true,
  };
}
