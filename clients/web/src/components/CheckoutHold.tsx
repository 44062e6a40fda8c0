import { CombinedGraphQLErrors } from '@apollo/client';
import { useMutation, useSubscription } from '@apollo/client/react';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '@shop/client-core';
import { graphql, useFragment, type FragmentType } from '../gql/index.js';
import { CartLineFields } from '../pages/CartPage.js';

/** How long checkout holds the cart's stock: the server's default, said here so the page can count it down. */
const HOLD_SECONDS = 600;
/** The server warns once when a fifth of the hold is left. */
const WARNING_SECONDS = HOLD_SECONDS / 5;

const HoldCart = graphql(`
  mutation HoldCart($cartId: ID, $seconds: Int) {
    holdCart(cartId: $cartId, seconds: $seconds) {
      cartId
      expiresAt
    }
  }
`);

const HoldExpiring = graphql(`
  subscription HoldExpiring($cartId: ID!) {
    reservationExpiring(cartId: $cartId) {
      cartId
      expiresAt
    }
  }
`);

/**
 * The hold as the page counts it down: from when its answer arrived, on the monotonic clock, so
 * a device whose date is wrong still shows the right time left. `expiresAt` (the server's) tells
 * the warning of this hold from a late one of a hold it replaced.
 */
interface Held {
  expiresAt: string;
  endsAt: number;
  warned: boolean;
}

/** Why the hold was refused: the products short of stock, named, or the error's own message. */
interface Refusal {
  message: string;
  short: Array<{ productId: string; requested: number; available: number }>;
}

function refusalOf(error: unknown): Refusal {
  const extensions = CombinedGraphQLErrors.is(error) ? error.errors[0]?.extensions : undefined;
  const short = extensions?.reason === 'OUT_OF_STOCK' && Array.isArray(extensions.products) ? (extensions.products as Refusal['short']) : [];
  return { message: errorMessage(error), short };
}

function clockText(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * Checkout holds the cart's stock while the shopper fills in the form (again whenever the cart's
 * lines change), shows how long for, and, when the server's warning arrives over the socket,
 * offers to hold again for a fresh time. Placing the order takes the hold over (server side).
 */
export function CheckoutHold({ cartId, items }: { cartId: string; items: ReadonlyArray<FragmentType<typeof CartLineFields>> }) {
  const cartLines = useFragment(CartLineFields, items);
  // Changes whenever a product or a quantity does: the page holds the cart as it is now.
  const lines = cartLines.map((line) => `${line.product.id}:${line.quantity}`).join(',');
  const [holdCart, holding] = useMutation(HoldCart);
  const [held, setHeld] = useState<Held | null>(null);
  const [failure, setFailure] = useState<Refusal | null>(null);
  const [now, setNow] = useState(() => performance.now());

  const hold = useCallback(async () => {
    setFailure(null);
    try {
      const result = await holdCart({ variables: { cartId, seconds: HOLD_SECONDS } });
      const answer = result.data?.holdCart;
      if (answer) {
        const at = performance.now();
        setHeld({ expiresAt: answer.expiresAt, endsAt: at + HOLD_SECONDS * 1000, warned: false });
        setNow(at);
      }
    } catch (error) {
      setHeld(null);
      setFailure(refusalOf(error));
    }
  }, [holdCart, cartId]);

  useEffect(() => {
    void hold();
  }, [hold, lines]);

  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  useSubscription(HoldExpiring, {
    variables: { cartId },
    onData: ({ data }) => {
      const warning = data.data?.reservationExpiring;
      if (!warning) return;
      const at = performance.now();
      // The warning comes when at most a fifth is left: the countdown never shows more than that.
      setHeld((current) =>
        current && current.expiresAt === warning.expiresAt ? { ...current, warned: true, endsAt: Math.min(current.endsAt, at + WARNING_SECONDS * 1000) } : current,
      );
      setNow(at);
    },
  });

  if (failure) {
    const nameOf = (productId: string) => cartLines.find((line) => line.product.id === productId)?.product.name ?? productId;
    return (
      <div className="state error hold" role="alert" data-testid="hold-failed">
        {failure.short.length > 0 ? (
          <>
            <p>We cannot hold your items: there is not enough stock for</p>
            <ul>
              {failure.short.map((s) => (
                <li key={s.productId}>
                  {nameOf(s.productId)}: {s.available === 0 ? 'none left' : `only ${s.available} left`} ({s.requested} in your cart)
                </li>
              ))}
            </ul>
            <p>
              <Link to="/cart">Change your cart</Link>
            </p>
          </>
        ) : (
          <p>We could not hold your items: {failure.message}</p>
        )}
        <button type="button" onClick={() => void hold()} disabled={holding.loading}>
          Try again
        </button>
      </div>
    );
  }
  if (!held) return <p className="muted hold">Holding your items…</p>;
  const left = held.endsAt - now;
  if (left <= 0) {
    return (
      <div className="state error hold" role="alert" data-testid="hold-ended">
        <p>Your hold has ended: the items are no longer reserved for you.</p>
        <button type="button" onClick={() => void hold()} disabled={holding.loading}>
          Hold my items again
        </button>
      </div>
    );
  }
  return (
    <div className="hold" data-testid="hold">
      <p role="timer" data-testid="hold-timer">
        Items held for {clockText(left)}
      </p>
      {held.warned ? (
        <div className="state warning" role="alert" data-testid="hold-warning">
          <p>Your hold ends soon: after that, others can buy these items.</p>
          <button type="button" className="primary" onClick={() => void hold()} disabled={holding.loading}>
            Keep holding my items
          </button>
        </div>
      ) : null}
    </div>
  );
}
