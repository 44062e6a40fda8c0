import { useQuery, useSubscription } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useAddToCart } from '../cart.js';
import { ProductGallery } from '../components/ProductImage.js';
import { FrequentlyBoughtTogether } from '../components/Recommendations.js';
import { Reviews } from '../components/Reviews.js';
import { Empty, ErrorNotice, Loading } from '../components/States.js';
import { StockNote } from '../components/StockNote.js';
import { wasPrice } from '../components/ProductCard.js';
import { useCurrency } from '../currency.js';
import { VariantPicker, variantDimension } from '../components/VariantPicker.js';
import { WishlistToggle } from '../components/Wishlist.js';
import { errorMessage } from '@shop/client-core';
import { money, plural } from '@shop/client-core';
import { graphql } from '../gql/index.js';

const ProductPageQuery = graphql(`
  query ProductPage($id: ID!, $currency: String) {
    product(id: $id) {
      id
      sku
      name
      description
      price(currency: $currency) {
        amount
        currencyCode
      }
      basePrice {
        amount
        currencyCode
      }
      category {
        id
        name
        slug
      }
      images {
        url
        alt
      }
      attributes {
        brand
        color
        size
        dimensions
      }
      variants {
        id
        sku
        name
        size
        color
        price(currency: $currency) {
          amount
          currencyCode
        }
      }
      rating {
        average
        count
      }
      inStock
      ...StockNote
    }
  }
`);

// The new figures land in the normalized cache (Product by id), so StockNote re-renders by itself.
const StockLive = graphql(`
  subscription StockLive($ids: [ID!]) {
    stockChanged(productIds: $ids) {
      id
      ...StockNote
    }
  }
`);

export function ProductPage() {
  const { id = '' } = useParams();
  const currency = useCurrency();
  const { data, loading, error, refetch } = useQuery(ProductPageQuery, { variables: { id, currency } });
  useSubscription(StockLive, { variables: { ids: [id] } });
  const [add, adding] = useAddToCart();
  const [quantity, setQuantity] = useState(1);
  const [variantId, setVariantId] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  if (loading && !data) return <Loading label="Loading product…" />;
  if (error && !data) return <ErrorNotice error={error} retry={() => void refetch()} />;
  const product = data?.product;
  if (!product) return <Empty testid="not-found">This product does not exist.</Empty>;
  const inStock = product.inStock !== false;
  // A product with variants is bought in one of them: its price is the chosen one's.
  const variant = product.variants.find((v) => v.id === variantId) ?? null;
  const needsVariant = product.variants.length > 0 && !variant;
  const price = variant?.price ?? product.price;
  const reduced = wasPrice(product) && price.amount === product.price.amount;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setAdded(null);
    try {
      const cart = await add(product.id, quantity, variant?.id ?? null);
      if (cart) setAdded(`Added to your cart (${plural(cart.itemCount, 'item', 'items')}).`);
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  return (
    <article className="product" data-testid="product-detail" data-product-id={product.id}>
      <ProductGallery name={product.name} images={product.images} />
      <div className="product-info">
        <nav aria-label="Breadcrumb" className="crumbs">
          <Link to={`/category/${encodeURIComponent(product.category.slug)}`}>{product.category.name}</Link>
        </nav>
        <h1 data-testid="product-name">{product.name}</h1>
        <p className="price" data-testid="product-price">
          {money(price)} {reduced ? <s className="was">{money(product.basePrice)}</s> : null}
        </p>
        <p>
          <StockNote product={product} testid="product-stock" />
        </p>
        {product.rating.count > 0 ? (
          <p className="rating" data-testid="product-rating">
            {product.rating.average.toFixed(1)} out of 5 ({plural(product.rating.count, 'review', 'reviews')})
          </p>
        ) : null}
        <dl className="attributes">
          {product.attributes.brand ? <><dt>Brand</dt><dd>{product.attributes.brand}</dd></> : null}
          {product.attributes.color ? <><dt>Colour</dt><dd>{product.attributes.color}</dd></> : null}
          {product.attributes.size ? <><dt>Size</dt><dd>{product.attributes.size}</dd></> : null}
          {product.attributes.dimensions ? <><dt>Dimensions</dt><dd>{product.attributes.dimensions}</dd></> : null}
          <dt>Article number</dt>
          <dd>{product.sku}</dd>
        </dl>
        {product.description ? <p className="description">{product.description}</p> : null}
        <form className="add" onSubmit={(e) => void submit(e)}>
          {product.variants.length > 0 ? (
            <VariantPicker variants={product.variants} chosen={variantId} onChoose={setVariantId} hintId="variant-hint" />
          ) : null}
          <div className="row">
            <label>
              Quantity{' '}
              <input
                type="number"
                min={1}
                max={99}
                value={quantity}
                onChange={(e) => setQuantity(Math.max(1, Math.min(99, Number(e.target.value) || 1)))}
                data-testid="quantity"
              />
            </label>
            <button type="submit" disabled={!inStock || needsVariant || adding.loading} aria-describedby={needsVariant ? 'variant-hint' : undefined} data-testid="add-to-cart">
              {adding.loading ? 'Adding…' : 'Add to cart'}
            </button>
          </div>
          {needsVariant ? (
            <p className="muted" id="variant-hint" data-testid="variant-hint">
              Choose a {variantDimension(product.variants).legend.toLowerCase()} above to add it to your cart.
            </p>
          ) : null}
        </form>
        <p>
          <WishlistToggle productId={product.id} productName={product.name} />
        </p>
        {added ? (
          <p className="note" role="status" data-testid="added">
            {added} <Link to="/cart">View cart</Link>
          </p>
        ) : null}
        {failure ? (
          <p className="state error" role="alert" data-testid="error">
            {failure}
          </p>
        ) : null}
      </div>
      <FrequentlyBoughtTogether productId={product.id} />
      <Reviews productId={product.id} />
    </article>
  );
}
