import { useQuery } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { CategoriesQuery } from '../components/Header.js';
import { Facets } from '../components/Facets.js';
import { ProductCard } from '../components/ProductCard.js';
import { RecommendedForYou } from '../components/Recommendations.js';
import { Empty, ErrorNotice, Loading } from '../components/States.js';
import { plural } from '@shop/client-core';
import { graphql } from '../gql/index.js';
import type { SearchSort } from '../gql/graphql.js';
import { useCurrency } from '../currency.js';

const Catalogue = graphql(`
  query Catalogue($query: String, $filter: SearchFilter, $sort: SearchSort, $first: Int, $after: String, $currency: String) {
    searchProducts(query: $query, filter: $filter, sort: $sort, first: $first, after: $after, currency: $currency) {
      totalCount
      facets {
        field
        values {
          value
          count
        }
      }
      nodes {
        id
        ...ProductCard
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PAGE_SIZE = 12;
const FILTER_FIELDS = ['brand', 'color', 'size', 'price', 'category'] as const;
const SORTS: Array<{ value: SearchSort; label: string }> = [
  { value: 'RELEVANCE', label: 'Best match' },
  { value: 'PRICE_ASC', label: 'Price, low to high' },
  { value: 'PRICE_DESC', label: 'Price, high to low' },
  { value: 'RATING', label: 'Best rated' },
  { value: 'NEWEST', label: 'Newest' },
];

/** The catalogue: everything, a category (/category/:slug) or a search (?q=), with facets and pages. */
export function BrowsePage() {
  const { slug } = useParams();
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const categories = useQuery(CategoriesQuery);
  const category = slug ? categories.data?.categories.find((c) => c.slug === slug) : undefined;
  const query = params.get('q') ?? '';
  const sort = (params.get('sort') as SearchSort | null) ?? (query ? 'RELEVANCE' : 'NEWEST');
  const after = params.get('after');
  // The cursors of earlier pages travel in history state, so "Previous" needs no extra request.
  const previous = ((location.state as { cursors?: Array<string | null> } | null)?.cursors ?? []) as Array<string | null>;
  const selected = Object.fromEntries(FILTER_FIELDS.map((f) => [f, params.get(f) ?? undefined])) as Record<string, string | undefined>;
  const [priceMin, priceMax] = (selected.price ?? '').split('-');
  const filter = {
    brand: selected.brand,
    color: selected.color,
    size: selected.size,
    categoryId: category?.id ?? selected.category,
    priceMin: priceMin || undefined,
    priceMax: priceMax || undefined,
  };

  const currency = useCurrency();
  const result = useQuery(Catalogue, {
    variables: { query: query || null, filter, sort, first: PAGE_SIZE, after, currency },
    skip: Boolean(slug) && !category && categories.loading,
  });

  const setParam = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    next.delete('after');
    navigate({ search: next.toString() });
  };
  // A price range is in the currency it was chosen in: another currency's amounts drop it.
  const rangeCurrency = useRef(currency);
  useEffect(() => {
    if (rangeCurrency.current === currency) return;
    rangeCurrency.current = currency;
    if (params.has('price')) setParam({ price: undefined });
  });
  const goToPage = (cursor: string | null, cursors: Array<string | null>) => {
    const next = new URLSearchParams(params);
    if (cursor) next.set('after', cursor);
    else next.delete('after');
    navigate({ search: next.toString() }, { state: { cursors } });
  };

  if (slug && !categories.loading && !category) return <Empty testid="not-found">There is no such category.</Empty>;
  const heading = category ? category.name : query ? `Results for “${query}”` : 'All products';
  const data = result.data?.searchProducts ?? result.previousData?.searchProducts;
  const page = previous.length + 1;

  return (
    <div className="browse">
      {data ? (
        <Facets
          facets={data.facets.filter((f) => !(category && f.field === 'category'))}
          selected={selected}
          currency={currency}
          categoryName={(id) => categories.data?.categories.find((c) => c.id === id)?.name ?? id}
          onChange={(field, value) => setParam({ [field]: value })}
        />
      ) : null}
      <section className="results" aria-labelledby="results-heading" aria-busy={result.loading}>
        {!slug && !query && !after ? <RecommendedForYou /> : null}
        <div className="results-head">
          <h1 id="results-heading">{heading}</h1>
          <label className="sort">
            Sort by{' '}
            <select value={sort} onChange={(e) => setParam({ sort: e.target.value })} data-testid="sort">
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {result.error && !data ? <ErrorNotice error={result.error} retry={() => void result.refetch()} /> : null}
        {!data && result.loading ? <Loading label="Loading products…" /> : null}
        {data ? (
          <>
            <p data-testid="result-count" role="status">
              {plural(data.totalCount, 'product', 'products')}
            </p>
            {data.nodes.length === 0 ? (
              <Empty testid="no-results">Nothing matches. Try fewer filters or another word.</Empty>
            ) : (
              <ul className="grid" data-testid="product-grid">
                {data.nodes.map((product) => (
                  <ProductCard key={product.id} product={product} />
                ))}
              </ul>
            )}
            <nav className="pager" aria-label="Pages">
              <button type="button" disabled={page <= 1} onClick={() => goToPage(previous[previous.length - 1] ?? null, previous.slice(0, -1))} data-testid="page-prev">
                ‹ Previous
              </button>
              <span data-testid="page-number">Page {page}</span>
              <button
                type="button"
                disabled={!data.pageInfo.hasNextPage}
                onClick={() => goToPage(data.pageInfo.endCursor ?? null, [...previous, after])}
                data-testid="page-next"
              >
                Next ›
              </button>
            </nav>
          </>
        ) : null}
      </section>
    </div>
  );
}
