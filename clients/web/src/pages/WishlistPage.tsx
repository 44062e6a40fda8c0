import { errorMessage, plural } from '@shop/client-core';
import { useState } from 'react';
import { Link } from 'react-router';
import { ProductCard } from '../components/ProductCard.js';
import { Empty, ErrorNotice, Loading } from '../components/States.js';
import { useWishlist, WishlistEntryFields } from '../components/Wishlist.js';
import { useFragment as unmask, type FragmentType } from '../gql/index.js';

function WishlistEntry({ entry, onRemove, busy }: { entry: FragmentType<typeof WishlistEntryFields>; onRemove(id: string): void; busy: boolean }) {
  const { product } = unmask(WishlistEntryFields, entry);
  return (
    <ProductCard product={product}>
      <button type="button" className="link" disabled={busy} onClick={() => onRemove(product.id)} data-testid="wishlist-remove">
        Remove<span className="visually-hidden"> {product.name} from the wishlist</span>
      </button>
    </ProductCard>
  );
}

/** The products a signed-in shopper keeps for later, newest first. */
export function WishlistPage() {
  const { signedIn, query, remove, busy } = useWishlist();
  const [failure, setFailure] = useState<string | null>(null);
  if (!signedIn) {
    return (
      <Empty testid="wishlist-signed-out">
        <Link to="/signin">Sign in</Link> to see your wishlist.
      </Empty>
    );
  }
  if (query.loading && !query.data) return <Loading label="Loading your wishlist…" />;
  if (query.error && !query.data) return <ErrorNotice error={query.error} retry={() => void query.refetch()} />;
  const entries = query.data?.me?.wishlist ?? [];
  const onRemove = (productId: string) => {
    setFailure(null);
    remove({ variables: { productId } }).catch((e: unknown) => setFailure(errorMessage(e)));
  };
  return (
    <section aria-labelledby="wishlist-heading" data-testid="wishlist-page">
      <h1 id="wishlist-heading">Wishlist</h1>
      {failure ? (
        <p className="state error" role="alert" data-testid="error">
          {failure}
        </p>
      ) : null}
      {entries.length === 0 ? (
        <Empty testid="wishlist-empty">
          Nothing here yet. Products you add with “Add to wishlist” wait here; you hear from us when one is back in stock.
        </Empty>
      ) : (
        <>
          <p role="status" data-testid="wishlist-count">
            {plural(entries.length, 'product', 'products')}
          </p>
          <ul className="grid" data-testid="wishlist">
            {entries.map((entry, i) => (
              <WishlistEntry key={i} entry={entry} onRemove={onRemove} busy={busy} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
