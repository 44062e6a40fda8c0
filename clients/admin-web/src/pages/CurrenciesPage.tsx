import { useMutation, useQuery } from '@apollo/client/react';
import { CURRENCIES, dateTime } from '@shop/client-core';
import type { FormEvent } from 'react';
import { ErrorNotice, Loading, Outcome, useRun } from '../components/States.js';
import { ExchangeRatesDocument, SetExchangeRateDocument } from '../gql/graphql.js';

/**
 * The exchange rates shoppers' prices convert with (`setExchangeRate`), where a product has no
 * fixed price in their currency (Products, Manage). A pair is used in both directions.
 */
export function CurrenciesPage() {
  const { data, loading, error, refetch } = useQuery(ExchangeRatesDocument);
  const [setRate] = useMutation(SetExchangeRateDocument, { refetchQueries: [ExchangeRatesDocument] });
  const { outcome, run } = useRun();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const [from, to, rate] = ['from', 'to', 'rate'].map((field) => String(form.get(field) ?? '').trim()) as [string, string, string];
    await run(() => setRate({ variables: { from, to, rate } }), `1 ${from} = ${rate} ${to} saved.`);
  };
  const select = (name: string, initial: string) => (
    <select name={name} defaultValue={initial} data-testid={`rate-${name}`}>
      {CURRENCIES.map((code) => (
        <option key={code} value={code}>
          {code}
        </option>
      ))}
    </select>
  );
  return (
    <section data-testid="currencies-page" aria-labelledby="currencies-heading">
      <h1 id="currencies-heading">Currencies</h1>
      <form className="panel row" onSubmit={(e) => void submit(e)} aria-label="Set an exchange rate">
        <label>
          From {select('from', 'EUR')}
        </label>
        <label>
          To {select('to', 'USD')}
        </label>
        <label>
          Rate
          <input name="rate" required inputMode="decimal" pattern="\d+(\.\d{1,12})?" data-testid="rate-value" />
        </label>
        <button type="submit" className="primary" data-testid="rate-save">
          Set rate
        </button>
        <Outcome state={outcome} />
      </form>
      {loading && !data ? <Loading label="Loading exchange rates…" /> : null}
      {error && !data ? <ErrorNotice error={error} retry={() => void refetch()} /> : null}
      {data ? (
        data.exchangeRates.length === 0 ? (
          <p className="muted">No exchange rates yet: shoppers see prices in other currencies only where a product has a fixed price.</p>
        ) : (
          <div className="table-wrap">
            <table aria-label="Exchange rates">
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col" className="num">Rate</th>
                  <th scope="col">Set</th>
                </tr>
              </thead>
              <tbody>
                {data.exchangeRates.map((r) => (
                  <tr key={`${r.from}:${r.to}`} data-testid="rate-row">
                    <td>{r.from}</td>
                    <td>{r.to}</td>
                    <td className="num">{r.rate}</td>
                    <td>{dateTime(r.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </section>
  );
}
