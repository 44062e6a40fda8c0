import { useMutation, useQuery } from '@apollo/client/react';
import { money } from '@shop/client-core';
import { useState, type FormEvent } from 'react';
import { Pager, useCursorPages } from '../components/Pager.js';
import { ErrorNotice, Loading, Outcome, useRun } from '../components/States.js';
import { CreatePromotionDocument, PromotionsDocument, type AdminPromotionFragment, type PromotionKind } from '../gql/graphql.js';

const KINDS: Array<{ value: PromotionKind; label: string }> = [
  { value: 'PERCENTAGE', label: 'Percentage off' },
  { value: 'FIXED_AMOUNT', label: 'Fixed amount off' },
  { value: 'FREE_SHIPPING', label: 'Free shipping' },
];

/** "15 %", "5.00 EUR" or "free shipping", as the table shows a promotion's value. */
function worth(p: AdminPromotionFragment): string {
  if (p.kind === 'PERCENTAGE') return `${p.value} %`;
  if (p.kind === 'FIXED_AMOUNT') return `${p.value} ${p.currency ?? ''}`.trim();
  return 'free shipping';
}

/** A `datetime-local` value as the API's DateTime (the admin's own time zone), or null when empty. */
const instant = (value: string): string | null => (value ? new Date(value).toISOString() : null);

function CreatePromotion() {
  const [create] = useMutation(CreatePromotionDocument, { refetchQueries: [PromotionsDocument] });
  const { outcome, busy, run } = useRun();
  const [kind, setKind] = useState<PromotionKind>('PERCENTAGE');
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    const text = (k: string) => String(form.get(k) ?? '').trim();
    const count = (k: string) => (text(k) ? Number(text(k)) : null);
    const currency = text('currency') || 'EUR';
    // The API checks every rule (BAD_USER_INPUT naming the field); the form only shapes the input.
    void run(async () => {
      await create({
        variables: {
          input: {
            code: text('code'),
            kind,
            value: kind === 'FREE_SHIPPING' ? '0' : text('value'),
            ...(kind === 'FIXED_AMOUNT' || text('minSubtotal') ? { currency } : {}),
            ...(text('minSubtotal') ? { minSubtotal: { amount: text('minSubtotal'), currencyCode: currency } } : {}),
            startsAt: instant(text('startsAt')),
            endsAt: instant(text('endsAt')),
            usageLimit: count('usageLimit'),
            perCustomerLimit: count('perCustomerLimit'),
          },
        },
      });
      target.reset();
    }, 'Promotion created.');
  };
  return (
    <details className="panel">
      <summary data-testid="new-promotion">New promotion</summary>
      <form className="grid-form" onSubmit={submit} data-testid="promotion-form">
        <label>
          Code
          <input name="code" required maxLength={32} autoCapitalize="characters" data-testid="promotion-code" />
        </label>
        <label>
          Kind
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as PromotionKind)} data-testid="promotion-kind">
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        {kind !== 'FREE_SHIPPING' ? (
          <label>
            {kind === 'PERCENTAGE' ? 'Percent off' : 'Amount off'}
            <input name="value" required inputMode="decimal" placeholder={kind === 'PERCENTAGE' ? '15' : '5.00'} data-testid="promotion-value" />
          </label>
        ) : null}
        <label>
          Currency
          <input name="currency" maxLength={3} placeholder="EUR" data-testid="promotion-currency" />
        </label>
        <label>
          Minimum order
          <input name="minSubtotal" inputMode="decimal" placeholder="none" data-testid="promotion-minimum" />
        </label>
        <label>
          Starts
          <input name="startsAt" type="datetime-local" />
        </label>
        <label>
          Ends
          <input name="endsAt" type="datetime-local" />
        </label>
        <label>
          Uses in all
          <input name="usageLimit" type="number" min={1} placeholder="unlimited" data-testid="promotion-usage-limit" />
        </label>
        <label>
          Uses per customer
          <input name="perCustomerLimit" type="number" min={1} placeholder="unlimited" />
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="promotion-create">
          Create promotion
        </button>
        <Outcome state={outcome} />
      </form>
    </details>
  );
}

export function PromotionsPage() {
  const pages = useCursorPages();
  const { data, loading, error, refetch } = useQuery(PromotionsDocument, { variables: { first: 25, after: pages.after } });
  const promotions = data?.promotions;
  return (
    <section data-testid="promotions-page">
      <div className="head">
        <h1>Promotions</h1>
      </div>
      <CreatePromotion />
      {loading && !data ? <Loading label="Loading promotions…" /> : null}
      {error && !data ? <ErrorNotice error={error} retry={() => void refetch()} /> : null}
      {promotions ? (
        <>
          <p className="muted">{promotions.totalCount} promotions</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Gives</th>
                  <th scope="col">Minimum</th>
                  <th scope="col">Valid</th>
                  <th scope="col" className="num">Used</th>
                  <th scope="col">Active</th>
                </tr>
              </thead>
              <tbody>
                {promotions.edges.map(({ node: p }) => (
                  <tr key={p.id} data-testid="promotion-row">
                    <td>{p.code}</td>
                    <td>{worth(p)}</td>
                    <td>{p.minSubtotal ? money(p.minSubtotal) : '—'}</td>
                    <td>
                      {p.startsAt ? new Date(p.startsAt).toLocaleDateString() : '…'} – {p.endsAt ? new Date(p.endsAt).toLocaleDateString() : '…'}
                    </td>
                    <td className="num">
                      {p.timesUsed} / {p.usageLimit ?? '∞'}
                    </td>
                    <td>{p.active ? 'yes' : 'no'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            hasPrevious={pages.hasPrevious}
            hasNext={promotions.pageInfo.hasNextPage}
            onPrevious={pages.previous}
            onNext={() => pages.next(promotions.pageInfo.endCursor)}
          />
        </>
      ) : null}
    </section>
  );
}
