import { useQuery, useSubscription } from '@apollo/client/react';
import { dateTime, money, orderStatus } from '@shop/client-core';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { Pager } from '../components/Pager.js';
import { ErrorNotice, Loading } from '../components/States.js';
import { graphql } from '../gql/index.js';
import { OrdersDocument, type OrderStatus } from '../gql/graphql.js';

export const STATUSES: OrderStatus[] = ['PENDING_PAYMENT', 'PAID', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURN_REQUESTED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

// Every order's changes, for an admin: lists, details and charts follow them live.
export const AnyOrderChanged = graphql(`
  subscription AnyOrderChanged {
    orderStatusChanged {
      ...AdminOrderSummary
    }
  }
`);

const PAGE_SIZE = 20;

export function OrdersPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const status = (params.get('status') as OrderStatus | null) ?? null;
  const after = params.get('after');
  const previous = ((location.state as { cursors?: Array<string | null> } | null)?.cursors ?? []) as Array<string | null>;
  const { data, loading, error, refetch } = useQuery(OrdersDocument, { variables: { status, first: PAGE_SIZE, after }, fetchPolicy: 'cache-and-network' });
  // A status change can move an order into or out of this filter: ask again.
  useSubscription(AnyOrderChanged, { onData: () => void refetch() });
  const orders = data?.orders;

  const go = (next: { status?: string | null; after?: string | null }, cursors: Array<string | null>) => {
    const search = new URLSearchParams();
    const s = next.status === undefined ? status : next.status;
    if (s) search.set('status', s);
    if (next.after) search.set('after', next.after);
    navigate({ search: search.toString() }, { state: { cursors } });
  };

  return (
    <section data-testid="orders-page">
      <div className="head">
        <h1>Orders</h1>
        <label className="inline">
          Status{' '}
          <select value={status ?? ''} onChange={(e) => go({ status: e.target.value || null, after: null }, [])} data-testid="status-filter">
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {orderStatus(s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {loading && !data ? <Loading label="Loading orders…" /> : null}
      {error && !data ? <ErrorNotice error={error} retry={() => void refetch()} /> : null}
      {orders ? (
        <>
          <p className="muted" role="status">
            {orders.totalCount} {orders.totalCount === 1 ? 'order' : 'orders'}
          </p>
          <div className="table-wrap">
            <table data-testid="orders-table">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Placed</th>
                  <th scope="col">Customer</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody>
                {orders.edges.map(({ node }) => (
                  <tr key={node.id} data-testid="order-row" data-order-id={node.id}>
                    <td>
                      <Link to={`/orders/${encodeURIComponent(node.id)}`} data-testid="order-link">
                        {node.orderNumber}
                      </Link>
                    </td>
                    <td>{dateTime(node.createdAt)}</td>
                    <td className="clip">{node.user.email}</td>
                    <td>
                      <span className={`badge status-${node.status.toLowerCase()}`} data-testid="order-status" data-status={node.status}>
                        {orderStatus(node.status)}
                      </span>
                    </td>
                    <td className="num">{money(node.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {orders.edges.length === 0 ? <p>No orders {status ? `with status “${orderStatus(status)}”` : 'yet'}.</p> : null}
          <Pager
            hasPrevious={previous.length > 0}
            hasNext={orders.pageInfo.hasNextPage}
            onPrevious={() => go({ after: previous[previous.length - 1] ?? null }, previous.slice(0, -1))}
            onNext={() => go({ after: orders.pageInfo.endCursor ?? null }, [...previous, after])}
            previousLabel="Newer"
            nextLabel="Older"
          />
        </>
      ) : null}
    </section>
  );
}
