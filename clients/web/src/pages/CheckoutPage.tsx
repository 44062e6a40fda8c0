import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { CartQuery, useCart } from '../cart.js';
import { AddressForm, AddressFields, addressLine } from '../components/AddressForm.js';
import { CheckoutHold } from '../components/CheckoutHold.js';
import { Empty, ErrorNotice, Loading } from '../components/States.js';
import { errorMessage } from '@shop/client-core';
import { money, plural } from '@shop/client-core';
import { graphql, useFragment } from '../gql/index.js';
import { useSession } from '../session.js';

const MyAddresses = graphql(`
  query MyAddresses {
    me {
      id
      name
      addresses {
        ...AddressFields
      }
    }
  }
`);

const Rates = graphql(`
  query ShippingRates($addressId: ID!, $cartId: ID!) {
    shippingRates(addressId: $addressId, cartId: $cartId) {
      id
      name
      carrier
      estimatedDays
      price {
        amount
        currencyCode
      }
    }
  }
`);

const PlaceOrder = graphql(`
  mutation PlaceOrder($input: CheckoutInput!) {
    checkout(input: $input) {
      id
      orderNumber
      status
    }
  }
`);

/** One idempotency key per cart until its order is placed, so a retried click never orders twice. */
function idempotencyKey(cartId: string): string {
  const key = `shop.checkout.${cartId}`;
  let value = sessionStorage.getItem(key);
  if (!value) {
    value = `web-${crypto.randomUUID()}`;
    sessionStorage.setItem(key, value);
  }
  return value;
}

function Addresses({ selected, onSelect }: { selected: string | null; onSelect: (id: string) => void }) {
  const { data, loading, error, refetch } = useQuery(MyAddresses);
  const addresses = useFragment(AddressFields, data?.me?.addresses ?? []);
  const [adding, setAdding] = useState(false);
  const fallback = addresses.find((a) => a.isDefault) ?? addresses[0];
  useEffect(() => {
    if (!selected && fallback) onSelect(fallback.id);
  }, [selected, fallback, onSelect]);

  if (loading && !data) return <Loading label="Loading your addresses…" />;
  if (error && !data) return <ErrorNotice error={error} retry={() => void refetch()} />;
  return (
    <fieldset className="stack" data-testid="addresses">
      <legend>Ship to</legend>
      {addresses.map((a) => (
        <label key={a.id} className="choice">
          <input type="radio" name="address" value={a.id} checked={selected === a.id} onChange={() => onSelect(a.id)} data-testid="address-option" />
          <span>
            {addressLine(a)}
            {a.isDefault ? <span className="muted"> (default)</span> : null}
          </span>
        </label>
      ))}
      {addresses.length === 0 || adding ? (
        <AddressForm
          defaultName={data?.me?.name ?? ''}
          onSaved={(id) => {
            setAdding(false);
            onSelect(id);
          }}
        />
      ) : (
        <button type="button" className="link" onClick={() => setAdding(true)} data-testid="add-address">
          Add another address
        </button>
      )}
    </fieldset>
  );
}

export function CheckoutPage() {
  const { accessToken } = useSession();
  const navigate = useNavigate();
  const { cart, loading: cartLoading } = useCart();
  const [addressId, setAddressId] = useState<string | null>(null);
  const [rateId, setRateId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const rates = useQuery(Rates, { variables: { addressId: addressId ?? '', cartId: cart?.id ?? '' }, skip: !addressId || !cart });
  const [placeOrder, placing] = useMutation(PlaceOrder, { refetchQueries: [CartQuery] });
  useEffect(() => setRateId(null), [addressId]);

  if (!accessToken) return <Navigate to="/signin?next=/checkout" replace />;
  if (cartLoading && !cart) return <Loading label="Loading your cart…" />;
  if (!cart || cart.items.length === 0) {
    return (
      <Empty testid="cart-empty">
        Your cart is empty. <Link to="/">Browse the shop</Link>
      </Empty>
    );
  }
  const rate = rates.data?.shippingRates.find((r) => r.id === rateId);

  const submit = async () => {
    if (!addressId || !rateId) return;
    setFailure(null);
    try {
      const result = await placeOrder({ variables: { input: { cartId: cart.id, shippingAddressId: addressId, shippingMethodId: rateId, idempotencyKey: idempotencyKey(cart.id) } } });
      const order = result.data?.checkout;
      if (order) {
        sessionStorage.removeItem(`shop.checkout.${cart.id}`);
        navigate(`/orders/${encodeURIComponent(order.id)}`);
      }
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  return (
    <section className="checkout" data-testid="checkout-page">
      <h1>Checkout</h1>
      <CheckoutHold cartId={cart.id} items={cart.items} />
      <Addresses selected={addressId} onSelect={setAddressId} />
      {addressId ? (
        <fieldset className="stack" data-testid="shipping-rates">
          <legend>Delivery</legend>
          {rates.loading && !rates.data ? <Loading label="Finding delivery options…" /> : null}
          {rates.error ? <ErrorNotice error={rates.error} retry={() => void rates.refetch()} /> : null}
          {rates.data?.shippingRates.length === 0 ? <p>We cannot deliver to this address yet.</p> : null}
          {rates.data?.shippingRates.map((r) => (
            <label key={r.id} className="choice">
              <input type="radio" name="rate" value={r.id} checked={rateId === r.id} onChange={() => setRateId(r.id)} data-testid={`rate-${r.id}`} />
              <span>
                {r.name} — {money(r.price)} <span className="muted">({plural(r.estimatedDays, 'day', 'days')})</span>
              </span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <section className="summary" aria-labelledby="summary-heading">
        <h2 id="summary-heading">Summary</h2>
        <p>
          {plural(cart.itemCount, 'item', 'items')}: <strong>{money(cart.subtotal)}</strong>
        </p>
        {rate ? (
          <p>
            Delivery: <strong>{money(rate.price)}</strong>
          </p>
        ) : null}
        <p className="muted">You pay on the next page, once the order is placed.</p>
        {failure ? (
          <p className="state error" role="alert" data-testid="error">
            {failure}
          </p>
        ) : null}
        <button type="button" className="primary" disabled={!rateId || placing.loading} onClick={() => void submit()} data-testid="place-order">
          {placing.loading ? 'Placing order…' : 'Place order'}
        </button>
      </section>
    </section>
  );
}
