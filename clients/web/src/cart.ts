import { useMutation, useQuery } from '@apollo/client/react';
import { useSyncExternalStore } from 'react';
import { graphql, useFragment } from './gql/index.js';
import { session, useSession } from './session.js';

/**
 * The cart: a guest's is kept by id in localStorage; a signed-in shopper's is theirs on the
 * server (`cart` without an id). On sign-in the guest cart is merged into the account's.
 */
const GUEST_KEY = 'shop.guestCartId';
const listeners = new Set<() => void>();

export const guestCart = {
  get id(): string | null {
    return localStorage.getItem(GUEST_KEY);
  },
  set(id: string | null): void {
    if (id) localStorage.setItem(GUEST_KEY, id);
    else localStorage.removeItem(GUEST_KEY);
    for (const listener of listeners) listener();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export const CartFields = graphql(`
  fragment CartFields on Cart {
    id
    itemCount
    subtotal {
      amount
      currencyCode
    }
    discount {
      amount
      currencyCode
    }
    total {
      amount
      currencyCode
    }
    promotion {
      code
      status
      message
    }
    items {
      product {
        id
      }
      variant {
        id
      }
      ...CartLine
    }
  }
`);

export const CartQuery = graphql(`
  query Cart($id: ID) {
    cart(id: $id) {
      ...CartFields
    }
  }
`);

const AddToCart = graphql(`
  mutation AddToCart($cartId: ID, $productId: ID!, $quantity: Int!, $variantId: ID) {
    addToCart(cartId: $cartId, productId: $productId, quantity: $quantity, variantId: $variantId) {
      id
      itemCount
      ...CartFields
    }
  }
`);

export const MergeCart = graphql(`
  mutation MergeCart($guestCartId: ID!) {
    mergeCart(guestCartId: $guestCartId) {
      id
      itemCount
    }
  }
`);

/** The current cart (null when there is none yet) for whoever is browsing. */
export function useCart() {
  const { accessToken } = useSession();
  const guestId = useSyncExternalStore(guestCart.subscribe, () => guestCart.id);
  const signedIn = accessToken !== null;
  const result = useQuery(CartQuery, {
    variables: { id: signedIn ? null : guestId },
    // A guest with no cart id has no cart to ask for.
    skip: !signedIn && !guestId,
    fetchPolicy: 'cache-and-network',
  });
  return { ...result, cart: useFragment(CartFields, result.data?.cart ?? null) };
}

/** Adds to the cart (in the variant chosen, for a product that has variants), creating a guest cart on the first add. */
export function useAddToCart() {
  const [mutate, state] = useMutation(AddToCart, { refetchQueries: [CartQuery] });
  const add = async (productId: string, quantity: number, variantId: string | null = null) => {
    const cartId = session.accessToken ? null : guestCart.id;
    const result = await mutate({ variables: { cartId, productId, quantity, variantId } });
    const cart = result.data?.addToCart;
    if (cart && !session.accessToken) guestCart.set(cart.id);
    return cart ?? null;
  };
  return [add, state] as const;
}
