import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { graphql, useFragment, type FragmentType } from '../gql/index.js';
import { money, type MoneyValue } from '@shop/client-core';
import { ProductImage } from './ProductImage.js';
import { StockNote } from './StockNote.js';

export const ProductCardFields = graphql(`
  fragment ProductCard on Product {
    id
    name
    price(currency: $currency) {
      amount
      currencyCode
    }
    basePrice {
      amount
      currencyCode
    }
    images {
      url
      alt
    }
    rating {
      average
      count
    }
    ...StockNote
  }
`);

/**
 * The list price to strike through, when the price shown is below it. The list price is in the
 * product's own currency: in another, only its discount could say what it was, so none is shown.
 */
export function wasPrice(product: { price: MoneyValue; basePrice: MoneyValue }): boolean {
  return product.basePrice.currencyCode === product.price.currencyCode && product.basePrice.amount !== product.price.amount;
}

/** `children`: extra controls at the foot of the card (e.g. the wishlist's "Remove"). */
export function ProductCard(props: { product: FragmentType<typeof ProductCardFields>; children?: ReactNode }) {
  const product = useFragment(ProductCardFields, props.product);
  const reduced = wasPrice(product);
  return (
    <li className="card" data-testid="product-card" data-product-id={product.id}>
      <Link to={`/product/${encodeURIComponent(product.id)}`} data-testid="product-link" className="card-link">
        <ProductImage name={product.name} image={product.images[0]} />
        <span className="name" title={product.name}>
          {product.name}
        </span>
      </Link>
      <span className="price">
        {money(product.price)}
        {reduced ? (
          <s className="was" aria-label={`was ${money(product.basePrice)}`}>
            {money(product.basePrice)}
          </s>
        ) : null}
      </span>
      {product.rating.count > 0 ? (
        <span className="rating" aria-label={`Rated ${product.rating.average.toFixed(1)} out of 5`}>
          {'★'.repeat(Math.round(product.rating.average))}
          <span className="muted"> ({product.rating.count})</span>
        </span>
      ) : null}
      <StockNote product={product} />
      {props.children}
    </li>
  );
}
