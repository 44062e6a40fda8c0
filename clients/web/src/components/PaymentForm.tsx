import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '@shop/client-core';
import { money, paymentFailure, type MoneyValue } from '@shop/client-core';
import { graphql } from '../gql/index.js';

const PayOrder = graphql(`
  mutation PayOrder($orderId: ID!, $paymentMethod: String!) {
    payOrder(orderId: $orderId, paymentMethod: $paymentMethod) {
      id
      status
      failureReason
    }
  }
`);

// The simulated provider takes Stripe's test payment methods; a real deployment would collect a
// card with the provider's own widget and pass on the payment method it returns.
const TEST_CARDS = [
  { id: 'pm_card_visa', label: 'Visa test card (payment succeeds)' },
  { id: 'pm_card_chargeDeclined', label: 'Declined test card (payment fails)' },
];

export function PaymentForm({ orderId, total, lastPayment }: { orderId: string; total: MoneyValue; lastPayment: { status: string; failureReason?: string | null } | null }) {
  const [card, setCard] = useState(TEST_CARDS[0]!.id);
  const [pay, { loading, data }] = useMutation(PayOrder);
  const [failure, setFailure] = useState<string | null>(null);
  const attempt = data?.payOrder ?? lastPayment;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      await pay({ variables: { orderId, paymentMethod: card } });
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  return (
    <form className="panel stack payment" onSubmit={(e) => void submit(e)} data-testid="payment-form">
      <h2>Payment</h2>
      <fieldset>
        <legend>Pay {money(total)} with</legend>
        {TEST_CARDS.map((c) => (
          <label key={c.id} className="choice">
            <input type="radio" name="card" value={c.id} checked={card === c.id} onChange={() => setCard(c.id)} data-testid={`card-${c.id}`} />
            <span>{c.label}</span>
          </label>
        ))}
      </fieldset>
      {attempt?.status === 'FAILED' ? (
        <p className="state error" role="alert" data-testid="payment-failed">
          {paymentFailure(attempt.failureReason)}
        </p>
      ) : null}
      {attempt?.status === 'SUCCEEDED' || attempt?.status === 'PROCESSING' ? (
        <p role="status" data-testid="payment-status">
          Payment received; confirming your order…
        </p>
      ) : null}
      {failure ? (
        <p className="state error" role="alert" data-testid="error">
          {failure}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={loading} data-testid="pay">
        {loading ? 'Paying…' : `Pay ${money(total)}`}
      </button>
    </form>
  );
}
