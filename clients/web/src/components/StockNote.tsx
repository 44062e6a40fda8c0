import { graphql, useFragment, type FragmentType } from '../gql/index.js';
import { plural } from '@shop/client-core';

export const StockNoteFields = graphql(`
  fragment StockNote on Product {
    id
    inStock
    stock {
      available
    }
  }
`);

/** "3 left", "In stock", "Out of stock"; stock can be unknown while inventory is down. */
export function StockNote(props: { product: FragmentType<typeof StockNoteFields>; testid?: string }) {
  const product = useFragment(StockNoteFields, props.product);
  const available = product.stock?.available ?? null;
  const text =
    available === null ? 'Stock unknown right now' : available <= 0 ? 'Out of stock' : available <= 5 ? `Only ${plural(available, 'item', 'items')} left` : 'In stock';
  return (
    <span className={available === 0 ? 'stock out' : 'stock'} data-testid={props.testid ?? 'stock'} data-in-stock={String(product.inStock)} data-available={available ?? ''}>
      {text}
    </span>
  );
}
