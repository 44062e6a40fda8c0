import { isCurrencyCode } from '@shop/money';
import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';

/**
 * Which currency a signed-in shopper's cart is in: their preference, as the users subgraph keeps
 * it (read as the shopper, with their own token). Guests have none: the store's currency.
 */
export interface ShopperPreferences {
  /** The caller's preferred currency (ISO 4217); null when the caller is not signed in. */
  currency(authorization: string | undefined): Promise<string | null>;
}

export class PreferencesUnavailableError extends ServiceUnavailableError {
  override name = 'PreferencesUnavailableError';
}

const PREFERENCES_QUERY = 'query CartShopperCurrency { me { preferences { currency } } }';

export function createUsersPreferences(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): ShopperPreferences {
  const { credentials, ...where } = options;
  const users = createServiceClient({ service: 'Users subgraph', unavailableError: PreferencesUnavailableError, ...where, as: { credentials, audience: 'users' } });
  return {
    async currency(authorization) {
      if (!authorization) return null;
      const me = await users.field<{ preferences?: { currency?: unknown } }>('me', PREFERENCES_QUERY, {}, { forward: { authorization } });
      const currency = me?.preferences?.currency;
      if (me === null) return null;
      if (typeof currency !== 'string' || !isCurrencyCode(currency)) {
        throw new PreferencesUnavailableError(`Users subgraph sent an unusable currency preference: ${JSON.stringify(me)}`);
      }
      return currency;
    },
  };
}
