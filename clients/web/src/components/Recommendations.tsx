import { useQuery } from '@apollo/client/react';
import { graphql } from '../gql/index.js';
import { useCurrency } from '../currency.js';
import { useSession } from '../session.js';
import { ProductCard } from './ProductCard.js';

const BoughtTogether = graphql(`
  query FrequentlyBoughtTogether($id: ID!, $currency: String) {
    product(id: $id) {
      id
      frequentlyBoughtTogether(first: 4) {
        id
        ...ProductCard
      }
    }
  }
`);

const RecommendedForMe = graphql(`
  query RecommendedForMe($currency: String) {
    recommendedForMe(first: 4) {
      id
      ...ProductCard
    }
  }
`);

// Suggestions are extras: their own queries, so a slow or failing analytics never holds up or
// breaks the page around them; nothing is shown until there is something to suggest.
function Suggestions({ heading, testid, products }: { heading: string; testid: string; products: ReadonlyArray<Parameters<typeof ProductCard>[0]['product'] & { id: string }> }) {
  if (products.length === 0) return null;
  return (
    <section className="suggestions" aria-label={heading} data-testid={testid}>
      <h2>{heading}</h2>
      <ul className="grid">
        {products.map((product) => (
          <ProductCard key={product.id} product={product} />
        ))}
      </ul>
    </section>
  );
}

/** "Frequently bought together", from paid orders, on a product page. */
export function FrequentlyBoughtTogether({ productId }: { productId: string }) {
  const currency = useCurrency();
  const { data } = useQuery(BoughtTogether, { variables: { id: productId, currency } });
  return <Suggestions heading="Frequently bought together" testid="bought-together" products={data?.product?.frequentlyBoughtTogether ?? []} />;
}

/** "Recommended for you" for a signed-in shopper: from their orders, else the best sellers. */
export function RecommendedForYou() {
  const { user } = useSession();
  const currency = useCurrency();
  const { data } = useQuery(RecommendedForMe, { variables: { currency }, skip: !user, fetchPolicy: 'cache-and-network' });
  if (!user) return null;
  return <Suggestions heading="Recommended for you" testid="recommended" products={data?.recommendedForMe ?? []} />;
}
