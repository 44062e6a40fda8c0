import { useMutation } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { guestCart, useCart } from '../cart.js';
import { ProductImage } from '../components/ProductImage.js';
import { PromoCode } from '../components/PromoCode.js';
import { Empty, ErrorNotice, Loading } from '../components/States.js';
import { errorMessage } from '@shop/client-core';
import { money, plural } from '@shop/client-core';
import { graphql, useFragment, type FragmentType } from '../gql/index.js';
import { useCurrency } from '../currency.js';
import { session, useSession } from '../session.js';

export const CartLineFields = graphql(`
  fragment CartLine on CartItem {
    quantity
    variant {
      id
      name
      sku
    }
    unitPrice {
      amount
      currencyCode
    }
    lineTotal {
      amount
      currencyCode
    }
    product {
      id
      name
      images {
        url
        alt
      }
    }
  }
`);

const UpdateCartItem = graphql(`
  mutation UpdateCartItem($cartId: ID, $productId: ID!, $quantity: Int!, $variantId: ID) {
    updateCartItem(cartId: $cartId, productId: $productId, quantity: $quantity, variantId: $variantId) {
      ...CartFields
    }
  }
`);

const RemoveCartItem = graphql(`
  mutation RemoveCartItem($cartId: ID, $productId: ID!, $variantId: ID) {
    removeCartItem(cartId: $cartId, productId: $productId, variantId: $variantId) {
      ...CartFields
    }
  }
`);

function CartRow(props: { line: FragmentType<typeof CartLineFields>; onError: (message: string | null) => void }) {
  const line = useFragment(CartLineFields, props.line);
  const [quantity, setQuantity] = useState(String(line.quantity));
  useEffect(() => setQuantity(String(line.quantity)), [line.quantity]);
  const [update, updating] = useMutation(UpdateCartItem);
  const [remove, removing] = useMutation(RemoveCartItem);
  const cartId = session.accessToken ? null : guestCart.id;
  const busy = updating.loading || removing.loading;
  // The line is the product in one variant: the name says which, and changes address that line.
  const variantId = line.variant?.id ?? null;
  const name = line.variant ? `${line.product.name} (${line.variant.name})` : line.product.name;

  const change = async () => {
    const next = Number(quantity);
    if (!Number.isInteger(next) || next < 0 || next === line.quantity) return setQuantity(String(line.quantity));
    props.onError(null);
    try {
      await update({ variables: { cartId, productId: line.product.id, quantity: next, variantId } });
    } catch (e) {
      props.onError(errorMessage(e));
      setQuantity(String(line.quantity));
    }
  };
  const drop = async () => {
    props.onError(null);
    try {
      await remove({ variables: { cartId, productId: line.product.id, variantId } });
    } catch (e) {
      props.onError(errorMessage(e));
    }
  };
  return (
    <li className="cart-line" data-testid="cart-item" data-product-id={line.product.id} data-variant-id={variantId ?? undefined}>
      <ProductImage name={line.product.name} image={line.product.images[0]} />
      <div className="cart-line-main">
        <Link to={`/product/${encodeURIComponent(line.product.id)}`} className="name">
          {line.product.name}
        </Link>
        {line.variant ? (
          <span className="variant-label" data-testid="cart-variant">
            {line.variant.name} <span className="muted">{line.variant.sku}</span>
          </span>
        ) : null}
        <span className="muted">{money(line.unitPrice)} each</span>
      </div>
      <label className="qty">
        <span className="visually-hidden">Quantity of {name}</span>
        <input
          type="number"
          min={0}
          max={99}
          value={quantity}
          disabled={busy}
          onChange={(e) => setQuantity(e.target.value)}
          onBlur={() => void change()}
          onKeyDown={(e) => e.key === 'Enter' && void change()}
          data-testid="cart-quantity"
        />
      </label>
      <strong data-testid="line-total">{money(line.lineTotal)}</strong>
      <button type="button" className="link" onClick={() => void drop()} disabled={busy} data-testid="cart-remove">
        Remove<span className="visually-hidden"> {name}</span>
      </button>
    </li>
  );
}

/**
 * A cart is priced in one currency (cart subgraph): the signed-in shopper's preference, a
 * guest's in the store's. When that is not the one chosen, say why and what would change it.
 */
function CartCurrencyNote({ cartCurrency, signedIn }: { cartCurrency: string; signedIn: boolean }) {
  const chosen = useCurrency();
  if (chosen === cartCurrency) return null;
  return (
    <p className="muted" role="note" data-testid="cart-currency-note">
      {signedIn
        ? `Your cart is in ${cartCurrency}: the shop has no ${chosen} price for everything in it.`
        : `Your cart is in ${cartCurrency}, the shop's currency for guests. Sign in to shop in ${chosen}.`}
    </p>
  );
}

export function CartPage() {
  const { cart, data, loading, error, refetch } = useCart();
  const { accessToken } = useSession();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);

  if (loading && !data) return <Loading label="Loading your cart…" />;
  if (error && !data) return <ErrorNotice error={error} retry={() => void refetch()} />;
  if (!cart || cart.items.length === 0) {
    return (
      <section data-testid="cart">
        <h1>Your cart</h1>
        <Empty testid="cart-empty">
          Your cart is empty. <Link to="/">Browse the shop</Link>
        </Empty>
      </section>
    );
  }
  return (
    <section data-testid="cart" className="cart">
      <h1>Your cart</h1>
      <p className="muted">{plural(cart.itemCount, 'item', 'items')}</p>
      <ul className="cart-lines">
        {cart.items.map((line) => (
          <CartRow key={`${line.product.id}:${line.variant?.id ?? ''}`} line={line} onError={setFailure} />
        ))}
      </ul>
      {failure ? (
        <p className="state error" role="alert" data-testid="error">
          {failure}
        </p>
      ) : null}
      <PromoCode promotion={cart.promotion ?? null} />
      <dl className="totals">
        <dt>Subtotal</dt>
        <dd data-testid="cart-subtotal">{money(cart.subtotal)}</dd>
        {Number(cart.discount.amount) > 0 ? (
          <>
            <dt>Discount</dt>
            <dd data-testid="cart-discount">−{money(cart.discount)}</dd>
          </>
        ) : null}
        <dt>Total</dt>
        <dd>
          <strong data-testid="cart-total">{money(cart.total)}</strong>
        </dd>
      </dl>
      <p className="muted">Shipping is added at checkout.</p>
      <CartCurrencyNote cartCurrency={cart.subtotal.currencyCode} signedIn={accessToken !== null} />
      <button type="button" className="primary" onClick={() => navigate(accessToken ? '/checkout' : '/signin?next=/checkout')} data-testid="checkout">
        Checkout
      </button>
    </section>
  );
}
