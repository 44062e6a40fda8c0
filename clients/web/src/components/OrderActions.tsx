import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { errorMessage } from '@shop/client-core';
import { graphql } from '../gql/index.js';

const CancelOrder = graphql(`
  mutation CancelMyOrder($id: ID!) {
    cancelOrder(id: $id) {
      id
      status
    }
  }
`);

const RequestReturn = graphql(`
  mutation RequestReturn($id: ID!, $reason: String) {
    requestReturn(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

/** What a shopper may still do with an order: cancel before it ships, ask for a return after delivery. */
export function OrderActions({ orderId, status }: { orderId: string; status: string }) {
  const [cancel, cancelling] = useMutation(CancelOrder);
  const [requestReturn, returning] = useMutation(RequestReturn);
  const [failure, setFailure] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setFailure(null);
    try {
      await action();
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  const cancellable = status === 'PENDING_PAYMENT' || status === 'PAID';
  if (!cancellable && status !== 'DELIVERED') return null;
  return (
    <section className="panel" aria-label="Order actions">
      {cancellable ? (
        <button
          type="button"
          disabled={cancelling.loading}
          onClick={() => window.confirm('Cancel this order?') && void run(() => cancel({ variables: { id: orderId } }))}
          data-testid="cancel-order"
        >
          Cancel order
        </button>
      ) : null}
      {status === 'DELIVERED' ? (
        <button type="button" disabled={returning.loading} onClick={() => void run(() => requestReturn({ variables: { id: orderId, reason: null } }))} data-testid="request-return">
          Return this order
        </button>
      ) : null}
      {failure ? (
        <p className="state error" role="alert">
          {failure}
        </p>
      ) : null}
    </section>
  );
}
