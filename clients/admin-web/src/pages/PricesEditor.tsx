import { useMutation, useQuery } from '@apollo/client/react';
import { CURRENCIES, money } from '@shop/client-core';
import type { FormEvent } from 'react';
import { Outcome, useRun } from '../components/States.js';
import { graphql } from '../gql/index.js';
import { SetProductPriceDocument } from '../gql/graphql.js';

const ProductPrices = graphql(`
  query ProductPrices($id: ID!) {
    product(id: $id) {
      id
      basePrice {
        amount
        currencyCode
      }
      prices {
        amount
        currencyCode
      }
    }
  }
`);

/**
 * Fixed list prices in other currencies than the product's own (`setProductPrice`); without one,
 * shoppers in that currency see the base price converted at the exchange rate (Currencies page).
 */
export function PricesEditor({ productId, name }: { productId: string; name: string }) {
  const { data } = useQuery(ProductPrices, { variables: { id: productId } });
  const [setPrice] = useMutation(SetProductPriceDocument, { refetchQueries: [ProductPrices] });
  const { outcome, run } = useRun();
  const product = data?.product;
  if (!product) return null;
  const others = CURRENCIES.filter((code) => code !== product.basePrice.currencyCode);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const currencyCode = String(form.get('currency'));
    await run(() => setPrice({ variables: { productId, price: { amount: String(form.get('amount') ?? '').trim(), currencyCode } } }), `${currencyCode} price saved.`);
  };
  return (
    <div className="prices-editor" data-testid="prices-editor">
      <p className="muted" data-testid="fixed-prices">
        {product.prices.length === 0
          ? `No fixed prices: other currencies convert the ${product.basePrice.currencyCode} price at the exchange rate.`
          : `Fixed prices: ${product.prices.map((p) => money(p)).join(', ')}`}
      </p>
      <form className="row" onSubmit={(e) => void submit(e)} aria-label={`Fixed price of ${name}`}>
        <label>
          Currency
          <select name="currency" data-testid="fixed-price-currency">
            {others.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </label>
        <label>
          List price
          <input name="amount" required inputMode="decimal" pattern="\d+(\.\d{1,2})?" data-testid="fixed-price-amount" />
        </label>
        <button type="submit" data-testid="fixed-price-save">
          Set price
        </button>
        <Outcome state={outcome} />
      </form>
    </div>
  );
}
