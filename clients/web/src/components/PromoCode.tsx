import { useMutation } from '@apollo/client/react';
import { errorMessage } from '@shop/client-core';
import { useState, type FormEvent } from 'react';
import { guestCart } from '../cart.js';
import { graphql } from '../gql/index.js';
import { session } from '../session.js';

const ApplyPromoCode = graphql(`
  mutation ApplyPromoCode($cartId: ID, $code: String!) {
    applyPromoCode(cartId: $cartId, code: $code) {
      ...CartFields
    }
  }
`);

const RemovePromoCode = graphql(`
  mutation RemovePromoCode($cartId: ID) {
    removePromoCode(cartId: $cartId) {
      ...CartFields
    }
  }
`);

/**
 * The cart's promotion code: a field to apply one, or the applied one with what it gives now (or
 * why it gives nothing, in the server's words) and a way to remove it.
 */
export function PromoCode({ promotion }: { promotion: { code: string; status: string; message: string } | null }) {
  const [apply, applying] = useMutation(ApplyPromoCode);
  const [remove, removing] = useMutation(RemovePromoCode);
  const [code, setCode] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const cartId = () => (session.accessToken ? null : guestCart.id);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      await apply({ variables: { cartId: cartId(), code: code.trim() } });
      setCode('');
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  const drop = async () => {
    setFailure(null);
    try {
      await remove({ variables: { cartId: cartId() } });
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  return (
    <div className="promo" data-testid="promo">
      {promotion ? (
        <p className={promotion.status === 'APPLIES' ? 'note' : 'state error'} role="status" data-testid="promo-applied">
          <strong>{promotion.code}</strong>: {promotion.message}{' '}
          <button type="button" className="link" onClick={() => void drop()} disabled={removing.loading} data-testid="promo-remove">
            Remove code<span className="visually-hidden"> {promotion.code}</span>
          </button>
        </p>
      ) : (
        <form className="row" onSubmit={(e) => void submit(e)}>
          <label>
            Promotion code
            <input value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" required maxLength={64} aria-invalid={failure ? true : undefined} data-testid="promo-input" />
          </label>
          <button type="submit" disabled={applying.loading || code.trim() === ''} data-testid="promo-apply">
            {applying.loading ? 'Applying…' : 'Apply'}
          </button>
        </form>
      )}
      {failure ? (
        <p className="state error" role="alert" data-testid="promo-error">
          {failure}
        </p>
      ) : null}
    </div>
  );
}
