import type { ApolloClient } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import { CURRENCIES } from '@shop/client-core';
import { useSyncExternalStore } from 'react';
import { CartQuery } from './cart.js';
import { graphql } from './gql/index.js';
import { useSession } from './session.js';

/**
 * The currency prices are shown in. A signed-in shopper's is their preference
 * (`Preferences.currency`, which also prices their cart and orders); a guest's is kept in this
 * browser's localStorage, since nothing of a guest is on the server but the cart. Prices come from
 * `price(currency:)`, which answers in the product's own currency where the shop has no price or
 * rate for the one chosen: every amount on screen carries the currency it is really in.
 */

/** The catalogue's own currency, and a guest cart's (cart subgraph). */
export const STORE_CURRENCY = 'EUR';

const KEY = 'shop.currency';
const listeners = new Set<() => void>();
const known = (code: string | null | undefined): string | null => (code && (CURRENCIES as readonly string[]).includes(code) ? code : null);

const guestChoice = {
  get(): string | null {
    return known(localStorage.getItem(KEY));
  },
  set(code: string): void {
    localStorage.setItem(KEY, code);
    for (const listener of listeners) listener();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export const ShopperCurrency = graphql(`
  query ShopperCurrency {
    me {
      id
      preferences {
        currency
      }
    }
  }
`);

const SaveCurrency = graphql(`
  mutation SaveCurrency($currency: String!) {
    updatePreferences(input: { currency: $currency }) {
      currency
    }
  }
`);

// The answer is the preferences alone (no user id to find them by in the cache): the shopper's
// currency is asked again, after the write, and so is their cart, which follows it.
const AFTER_SAVING = { refetchQueries: [ShopperCurrency, CartQuery], awaitRefetchQueries: true };

/** The currency to ask prices in, for whoever is browsing. */
export function useCurrency(): string {
  const { accessToken } = useSession();
  const local = useSyncExternalStore(guestChoice.subscribe, guestChoice.get);
  const { data } = useQuery(ShopperCurrency, { skip: !accessToken });
  const preferred = accessToken ? known(data?.me?.preferences.currency) : null;
  return preferred ?? local ?? STORE_CURRENCY;
}

/**
 * Changes the currency: kept in this browser, and for a signed-in shopper saved as their
 * preference (their cart follows it, so it is asked again).
 */
export function useSetCurrency() {
  const { accessToken } = useSession();
  const [save, state] = useMutation(SaveCurrency, AFTER_SAVING);
  const set = async (code: string) => {
    if (!known(code)) return;
    if (accessToken) await save({ variables: { currency: code } });
    guestChoice.set(code);
  };
  return [set, state] as const;
}

/**
 * A new account starts in the store's currency; the one its shopper chose as a guest becomes
 * its preference (before the guest cart is merged, so the merged cart is priced in it).
 */
export async function keepGuestCurrency(client: ApolloClient): Promise<void> {
  const chosen = guestChoice.get();
  if (chosen && chosen !== STORE_CURRENCY) await client.mutate({ mutation: SaveCurrency, variables: { currency: chosen }, ...AFTER_SAVING });
}
