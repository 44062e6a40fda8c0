import { useEffect, useRef, useState } from 'react';
import { money } from '@shop/client-core';

export interface FacetGroup {
  field: string;
  values: Array<{ value: string; count: number }>;
}

const LABELS: Record<string, string> = { brand: 'Brand', color: 'Colour', size: 'Size', price: 'Price', category: 'Category' };
const SHOWN = 6;
// Wide screens show the filters beside the results; small ones fold them behind one button.
const WIDE = '(min-width: 48rem)';

/** A price facet's range ("25.00-49.99", "5000-"), in the currency the search was made in. */
function priceLabel(range: string, currencyCode: string): string {
  const [min, max] = range.split('-');
  const amount = (value: string) => money({ amount: value, currencyCode });
  return max ? `${amount(min ?? '0')} – ${amount(max)}` : `${amount(min ?? '0')} and more`;
}

/**
 * The search facets as checkbox groups. One value per field is chosen at a time (the API takes one
 * brand, one colour, ...); long lists show their first values and a "Show all" button.
 */
export function Facets(props: {
  facets: FacetGroup[];
  selected: Record<string, string | undefined>;
  /** The currency of the price ranges. */
  currency: string;
  categoryName: (id: string) => string;
  onChange: (field: string, value: string | undefined) => void;
}) {
  const details = useRef<HTMLDetailsElement>(null);
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});
  useEffect(() => {
    if (details.current && window.matchMedia(WIDE).matches) details.current.open = true;
  }, []);
  const chosen = Object.values(props.selected).filter(Boolean).length;
  const label = (field: string, value: string) => (field === 'price' ? priceLabel(value, props.currency) : field === 'category' ? props.categoryName(value) : value);

  return (
    <details className="facets" ref={details} data-testid="facets">
      <summary data-testid="facets-toggle">
        Filters{chosen > 0 ? ` (${chosen})` : ''}
      </summary>
      {props.facets
        .filter((facet) => facet.values.length > 0)
        .map((facet) => {
          const all = expanded[facet.field] === true;
          const values = all ? facet.values : facet.values.slice(0, SHOWN);
          return (
            <fieldset key={facet.field} data-testid={`facet-group-${facet.field}`}>
              <legend>{LABELS[facet.field] ?? facet.field}</legend>
              <ul>
                {values.map((v) => {
                  const checked = props.selected[facet.field] === v.value;
                  return (
                    <li key={v.value}>
                      <label>
                        <input
                          type="checkbox"
                          checked={checked}
                          data-testid={`facet-${facet.field}`}
                          data-value={v.value}
                          onChange={() => props.onChange(facet.field, checked ? undefined : v.value)}
                        />{' '}
                        <span className="facet-value">{label(facet.field, v.value)}</span> <span className="muted">({v.count})</span>
                      </label>
                    </li>
                  );
                })}
              </ul>
              {facet.values.length > SHOWN ? (
                <button type="button" className="link" aria-expanded={all} onClick={() => setExpanded({ ...expanded, [facet.field]: !all })}>
                  {all ? 'Show fewer' : `Show all ${facet.values.length}`}
                </button>
              ) : null}
            </fieldset>
          );
        })}
    </details>
  );
}
