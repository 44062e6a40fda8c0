import type { ApolloCache } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import { errorMessage } from '@shop/client-core';
import { useState } from 'react';
import { Link } from 'react-router';
import { graphql, useFragment as unmask } from '../gql/index.js';
import type { WishlistQuery as WishlistData } from '../gql/graphql.js';
import { useCurrency } from '../currency.js';
import { useSession } from '../session.js';

export const WishlistQuery = graphql(`
  query Wishlist($currency: String) {
    me {
      id
      wishlist {
        ...WishlistEntry
      }
    }
  }
`);

export const WishlistEntryFields = graphql(`
  fragment WishlistEntry on WishlistItem {
    addedAt
    product {
      id
      name
      ...ProductCard
    }
  }
`);

const AddToWishlist = graphql(`
  mutation AddToWishlist($productId: ID!, $currency: String) {
    addToWishlist(productId: $productId) {
      ...WishlistEntry
    }
  }
`);

const RemoveFromWishlist = graphql(`
  mutation RemoveFromWishlist($productId: ID!, $currency: String) {
    removeFromWishlist(productId: $productId) {
      ...WishlistEntry
    }
  }
`);

/**
 * The signed-in shopper's wishlist and the two changes to it. Each mutation answers the whole
 * list, which is written over `me.wishlist` in the cache: every view of it updates at once.
 */
export function useWishlist() {
  const { user } = useSession();
  const currency = useCurrency();
  const query = useQuery(WishlistQuery, { variables: { currency }, skip: !user });
  const write = (cache: ApolloCache, wishlist: NonNullable<WishlistData['me']>['wishlist']) => {
    const me = query.data?.me;
    if (me) cache.writeQuery({ query: WishlistQuery, variables: { currency }, data: { __typename: 'Query', me: { ...me, wishlist } } });
  };
  // The answer's prices in the same currency as the list they replace.
  const [add, adding] = useMutation(AddToWishlist, { variables: { currency }, update: (cache, { data }) => data && write(cache, data.addToWishlist) });
  const [remove, removing] = useMutation(RemoveFromWishlist, { variables: { currency }, update: (cache, { data }) => data && write(cache, data.removeFromWishlist) });
  return { signedIn: Boolean(user), query, add, remove, busy: adding.loading || removing.loading };
}

/** "Add to wishlist" / "On your wishlist" for one product; a sign-in link for guests. */
export function WishlistToggle({ productId, productName }: { productId: string; productName: string }) {
  const { signedIn, query, add, remove, busy } = useWishlist();
  const [failure, setFailure] = useState<string | null>(null);
  if (!signedIn) {
    return (
      <Link to="/signin" data-testid="wishlist-sign-in">
        Sign in to keep it on a wishlist
      </Link>
    );
  }
  const entries = query.data?.me?.wishlist ?? [];
  const wished = entries.some((entry) => unmask(WishlistEntryFields, entry).product.id === productId);
  const toggle = async () => {
    setFailure(null);
    try {
      await (wished ? remove : add)({ variables: { productId } });
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  return (
    <>
      <button type="button" aria-pressed={wished} disabled={busy || query.loading} onClick={() => void toggle()} data-testid="wishlist-toggle">
        {wished ? '♥ On your wishlist' : '♡ Add to wishlist'}
        <span className="visually-hidden"> {productName}</span>
      </button>
      {failure ? (
        <span className="state error" role="alert" data-testid="wishlist-error">
          {failure}
        </span>
      ) : null}
    </>
  );
}
