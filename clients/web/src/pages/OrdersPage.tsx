import { useQuery } from '@apollo/client/react';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { OrderStatusBadge } from '../components/OrderStatusBadge.js';
import { Empty, ErrorNotice, Loading } from '../components/States.js';
import { date, money, plural } from '@shop/client-core';
import { graphql } from '../gql/index.js';
import { useSession } from '../session.js';

const MyOrders = graphql(`
  query MyOrders($first: Int, $after: String) {
    me {
      id
      orders(first: $first, after: $after) {
        totalCount
        edges {
          node {
            id
            orderNumber
            status
            createdAt
            total {
              amount
              currencyCode
            }
            items {
              quantity
              product {
                id
                name
              }
            }
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

const PAGE_SIZE = 10;

/** "My orders": every order of the signed-in shopper, newest first, a page at a time. */
export function OrdersPage() {
  const { accessToken } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const after = params.get('after');
  const previous = ((location.state as { cursors?: Array<string | null> } | null)?.cursors ?? []) as Array<string | null>;
  const { data, loading, error, refetch } = useQuery(MyOrders, { variables: { first: PAGE_SIZE, after }, skip: !accessToken, fetchPolicy: 'cache-and-network' });
  if (!accessToken) return <Navigate to="/signin?next=/orders" replace />;
  const orders = data?.me?.orders;

  return (
    <section data-testid="orders-page">
      <h1>My orders</h1>
      {loading && !data ? <Loading label="Loading your orders…" /> : null}
      {error && !data ? <ErrorNotice error={error} retry={() => void refetch()} /> : null}
      {data?.me && !orders ? (
        <p className="state error" role="alert">
          Your orders cannot be shown right now. Please try again shortly.
        </p>
      ) : null}
      {orders && orders.totalCount === 0 ? (
        <Empty testid="orders-empty">
          You have not ordered anything yet. <Link to="/">Start shopping</Link>
        </Empty>
      ) : null}
      {orders && orders.edges.length > 0 ? (
        <>
          <p className="muted">{plural(orders.totalCount, 'order', 'orders')}</p>
          <ul className="order-list">
            {orders.edges.map(({ node: order }) => {
              const count = order.items.reduce((sum, item) => sum + item.quantity, 0);
              const names = order.items.map((item) => item.product.name).join(', ');
              return (
                <li key={order.id} data-testid="order-row" data-order-id={order.id}>
                  <Link to={`/orders/${encodeURIComponent(order.id)}`} data-testid="order-link" className="order-row">
                    <span className="order-number">Order {order.orderNumber}</span>
                    <span className="muted">{date(order.createdAt)}</span>
                    <OrderStatusBadge status={order.status} />
                    <span className="order-items" title={names}>
                      {plural(count, 'item', 'items')}: {names}
                    </span>
                    <strong>{money(order.total)}</strong>
                  </Link>
                </li>
              );
            })}
          </ul>
          <nav className="pager" aria-label="Pages">
            <button
              type="button"
              disabled={previous.length === 0}
              onClick={() => {
                const cursor = previous[previous.length - 1];
                navigate(cursor ? `?after=${encodeURIComponent(cursor)}` : '?', { state: { cursors: previous.slice(0, -1) } });
              }}
            >
              ‹ Newer
            </button>
            <button
              type="button"
              disabled={!orders.pageInfo.hasNextPage}
              onClick={() => navigate(`?after=${encodeURIComponent(orders.pageInfo.endCursor ?? '')}`, { state: { cursors: [...previous, after] } })}
            >
              Older ›
            </button>
          </nav>
        </>
      ) : null}
    </section>
  );
}
