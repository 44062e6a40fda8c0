import { money } from '@shop/client-core';

/** A variant as the product page reads it (`Product.variants`). */
export interface PickableVariant {
  id: string;
  sku: string;
  name: string;
  size?: string | null;
  color?: string | null;
  price: { amount: string; currencyCode: string };
}

/**
 * What the variants differ by, for the group's name and each choice's label: "Size" when each
 * has its own size (labels "S", "M"), "Colour" when each has its own colour, else "Variant"
 * with the variant's name ("M / Black").
 */
export function variantDimension(variants: readonly PickableVariant[]): { legend: string; label: (variant: PickableVariant) => string } {
  const distinct = (pick: (variant: PickableVariant) => string | null | undefined) => {
    const values = variants.map(pick);
    return values.every((value) => value) && new Set(values).size === values.length;
  };
  if (distinct((v) => v.size)) return { legend: 'Size', label: (v) => v.size! };
  if (distinct((v) => v.color)) return { legend: 'Colour', label: (v) => v.color! };
  return { legend: 'Variant', label: (v) => v.name };
}

/**
 * The product's variants as one radio group (named "Size", "Colour" or "Variant"): nothing is
 * chosen at first, so the shopper decides; each choice shows its price and SKU beside its label.
 */
export function VariantPicker(props: { variants: readonly PickableVariant[]; chosen: string | null; onChoose: (id: string) => void; hintId: string }) {
  const { legend, label } = variantDimension(props.variants);
  return (
    <fieldset className="variant-picker" role="radiogroup" aria-labelledby="variant-legend" aria-describedby={props.chosen ? undefined : props.hintId} data-testid="variants">
      <legend id="variant-legend">{legend}</legend>
      <ul className="variants">
        {props.variants.map((v) => (
          <li key={v.id} data-testid="variant" data-variant-id={v.id}>
            <label>
              <input type="radio" name="variant" value={v.id} checked={props.chosen === v.id} onChange={() => props.onChoose(v.id)} data-testid="variant-option" />{' '}
              {label(v)}
            </label>{' '}
            <span className="muted">{v.sku}</span> <span className="price">{money(v.price)}</span>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
