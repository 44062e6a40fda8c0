import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';

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

/**
 * The users subgraph's `_entities` at `url`, one POST per lookup. Users shows email and
 * preferences only to the user themself, an ADMIN, or a service it granted `users:read-contact`:
 * this one, proving it is notifications with a service token (no user token is involved).
 */
export function createUsersDirectory(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): RecipientDirectory {
  const users = createServiceClient({
    service: 'Users',
    unavailableError: RecipientDirectoryUnavailableError,
    url: options.url,
    timeoutMs: options.timeoutMs,
    as: { credentials: options.credentials, audience: 'users' },
  });
  return {
    async lookup(userIds) {
      if (userIds.length === 0) return [];
      const entities = await users.entities<Record<string, unknown>>('User', RECIPIENT_FIELDS, userIds.map((id) => ({ id })));
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
