import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '@shop/client-core';
import { date, plural } from '@shop/client-core';
import { graphql, useFragment, type FragmentType } from '../gql/index.js';
import { useSession } from '../session.js';
import { ErrorNotice, Loading } from './States.js';

const ReviewFields = graphql(`
  fragment ReviewItem on Review {
    id
    rating
    title
    body
    createdAt
    author {
      id
      name
    }
  }
`);

const ProductReviews = graphql(`
  query ProductReviews($id: ID!, $first: Int, $after: String) {
    product(id: $id) {
      id
      reviews(first: $first, after: $after) {
        totalCount
        edges {
          cursor
          node {
            id
            ...ReviewItem
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

const AddReview = graphql(`
  mutation AddReview($productId: ID!, $rating: Int!, $title: String, $body: String) {
    addReview(productId: $productId, rating: $rating, title: $title, body: $body) {
      id
      ...ReviewItem
      product {
        id
        rating {
          average
          count
        }
      }
    }
  }
`);

function ReviewItem(props: { review: FragmentType<typeof ReviewFields> }) {
  const review = useFragment(ReviewFields, props.review);
  return (
    <li className="review" data-testid="review">
      <p className="stars" aria-label={`${review.rating} out of 5 stars`}>
        {'★'.repeat(review.rating)}
        {'☆'.repeat(5 - review.rating)}
      </p>
      {review.title ? <h3>{review.title}</h3> : null}
      {review.body ? <p>{review.body}</p> : null}
      <p className="muted">
        {review.author.name ?? 'A customer'}, {date(review.createdAt)}
      </p>
    </li>
  );
}

function ReviewForm({ productId, onAdded }: { productId: string; onAdded: () => void }) {
  const [rating, setRating] = useState(5);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [addReview, { loading }] = useMutation(AddReview);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      await addReview({ variables: { productId, rating, title: title.trim() || null, body: body.trim() || null } });
      setTitle('');
      setBody('');
      onAdded();
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} data-testid="review-form">
      <h3>Write a review</h3>
      <label>
        Rating
        <select value={rating} onChange={(e) => setRating(Number(e.target.value))} data-testid="review-rating">
          {[5, 4, 3, 2, 1].map((n) => (
            <option key={n} value={n}>
              {plural(n, 'star', 'stars')}
            </option>
          ))}
        </select>
      </label>
      <label>
        Title (optional)
        <input value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} data-testid="review-title" />
      </label>
      <label>
        Your review (optional)
        <textarea value={body} maxLength={5000} rows={3} onChange={(e) => setBody(e.target.value)} data-testid="review-body" />
      </label>
      {failure ? (
        <p className="state error" role="alert">
          {failure}
        </p>
      ) : null}
      <button type="submit" disabled={loading} data-testid="review-submit">
        Publish review
      </button>
    </form>
  );
}

export function Reviews({ productId }: { productId: string }) {
  const { accessToken } = useSession();
  const { data, loading, error, refetch, fetchMore } = useQuery(ProductReviews, { variables: { id: productId, first: 5 } });
  const [more, setMore] = useState(false);
  const reviews = data?.product?.reviews;
  const loadMore = async () => {
    setMore(true);
    try {
      await fetchMore({ variables: { after: reviews?.pageInfo.endCursor } });
    } finally {
      setMore(false);
    }
  };
  return (
    <section className="reviews" aria-labelledby="reviews-heading" data-testid="reviews">
      <h2 id="reviews-heading">Reviews{reviews ? ` (${reviews.totalCount})` : ''}</h2>
      {loading && !data ? <Loading label="Loading reviews…" /> : null}
      {error ? <ErrorNotice error={error} retry={() => void refetch()} /> : null}
      {reviews && reviews.edges.length === 0 ? <p className="muted">No reviews yet.</p> : null}
      <ul className="review-list">
        {reviews?.edges.map((edge) => (
          <ReviewItem key={edge.node.id} review={edge.node} />
        ))}
      </ul>
      {reviews?.pageInfo.hasNextPage ? (
        <button type="button" onClick={() => void loadMore()} disabled={more} data-testid="reviews-more">
          {more ? 'Loading…' : 'More reviews'}
        </button>
      ) : null}
      {accessToken ? (
        <ReviewForm productId={productId} onAdded={() => void refetch()} />
      ) : (
        <p>
          <Link to="/signin">Sign in</Link> to write a review.
        </p>
      )}
    </section>
  );
}
