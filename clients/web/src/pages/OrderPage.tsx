import { useQuery, useSubscription } from '@apollo/client/react';
import { useSyncExternalStore } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { socket } from '../apollo.js';
import { addressLine } from '../components/AddressForm.js';
import { OrderActions } from '../components/OrderActions.js';
import { PaymentForm } from '../components/PaymentForm.js';
import { Empty, ErrorNotice, Loading } from '../components/States.js';
import { dateTime, money, orderStatus } from '@shop/client-core';
import { graphql, useFragment } from '../gql/index.js';
import { useSession } from '../session.js';

const OrderPageQuery = graphql(`
  query OrderPage($id: ID!) {
    order(id: $id) {
      id
      orderNumber
      status
      createdAt
      subtotal {
        amount
        currencyCode
      }
      shipping {
        amount
        currencyCode
      }
      discount {
        amount
        currencyCode
      }
      total {
        amount
        currencyCode
      }
      items {
        quantity
        unitPrice {
          amount
          currencyCode
        }
        lineTotal {
          amount
          currencyCode
        }
        product {
          id
          name
        }
        variant {
          id
          name
          sku
        }
      }
      shippingAddress {
        name
        line1
        line2
        city
        postalCode
        country
      }
      shippingMethodId
      ...OrderLive
    }
    shippingMethods {
      id
      name
      estimatedDaysMin
      estimatedDaysMax
    }
  }
`);

// Everything that changes after checkout; each pushed event lands on the cached Order by id.
const OrderLiveFields = graphql(`
  fragment OrderLive on Order {
    id
    status
    statusHistory {
      status
      at
      reason
    }
    payment {
      id
      status
      failureReason
    }
    shipments {
      id
      carrier
      trackingNumber
      trackingUrl
      status
    }
  }
`);

const OrderStatusLive = graphql(`
  subscription OrderStatusLive($id: ID, $after: String) {
    orderStatusChanged(orderId: $id, after: $after) {
      id
      ...OrderLive
    }
  }
`);

function useSocketConnected(): boolean {
  return useSyncExternalStore(socket.subscribe, () => socket.connected);
}

export function OrderPage() {
  const { id = '' } = useParams();
  const { accessToken } = useSession();
  const { data, loading, error, refetch } = useQuery(OrderPageQuery, { variables: { id }, skip: !accessToken });
  const live = useSubscription(OrderStatusLive, { variables: { id }, skip: !accessToken });
  const connected = useSocketConnected();
  const now = useFragment(OrderLiveFields, data?.order ?? null);
  if (!accessToken) return <Navigate to={`/signin?next=${encodeURIComponent(`/orders/${id}`)}`} replace />;
  if (loading && !data) return <Loading label="Loading your order…" />;
  if (error && !data) return <ErrorNotice error={error} retry={() => void refetch()} />;
  const order = data?.order;
  if (!order || !now) return <Empty testid="not-found">We cannot find this order.</Empty>;
  const method = data.shippingMethods.find((m) => m.id === order.shippingMethodId);
  const discounted = Number(order.discount.amount) > 0;

  return (
    <article className="order" data-testid="order-page" data-order-id={order.id}>
      <p>
        <Link to="/orders">‹ My orders</Link>
      </p>
      <h1>
        Order <span data-testid="order-number">{order.orderNumber}</span>
      </h1>
      <p className="muted">Placed {dateTime(order.createdAt)}</p>

      <section className="live panel" aria-labelledby="status-heading" data-testid="live-status" data-ws={connected && !live.error ? 'connected' : 'connecting'}>
        <h2 id="status-heading">Status</h2>
        <p aria-live="polite">
          <strong data-testid="order-status" data-status={now.status}>
            {orderStatus(now.status)}
          </strong>
          <span className="muted live-note">{connected ? ' · updates live' : ' · reconnecting…'}</span>
        </p>
        <ol className="history" data-testid="status-history">
          {now.statusHistory.map((change, i) => (
            <li key={`${change.status}-${i}`} data-status={change.status}>
              {orderStatus(change.status)} <span className="muted">{dateTime(change.at)}</span>
              {change.reason ? <span className="muted"> — {change.reason}</span> : null}
            </li>
          ))}
        </ol>
        {(now.shipments ?? []).map((s) => (
          <p key={s.id} data-testid="shipment">
            Sent with {s.carrier}, tracking number{' '}
            {s.trackingUrl ? (
              <a href={s.trackingUrl} rel="noreferrer noopener" target="_blank">
                {s.trackingNumber}
              </a>
            ) : (
              s.trackingNumber
            )}
            {s.status === 'DELIVERED' ? ' (delivered)' : ''}
          </p>
        ))}
      </section>

      {now.status === 'PENDING_PAYMENT' ? <PaymentForm orderId={order.id} total={order.total} lastPayment={now.payment ?? null} /> : null}

      <section aria-labelledby="items-heading" className="panel">
        <h2 id="items-heading">Items</h2>
        <table className="items" data-testid="order-items">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Qty</th>
              <th scope="col">Price</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item) => (
              <tr key={`${item.product.id}:${item.variant?.id ?? ''}`} data-testid="order-item">
                <td className="name">
                  <Link to={`/product/${encodeURIComponent(item.product.id)}`}>{item.product.name}</Link>
                  {item.variant ? (
                    <span className="variant-label" data-testid="order-variant">
                      {item.variant.name} <span className="muted">{item.variant.sku}</span>
                    </span>
                  ) : null}
                </td>
                <td>{item.quantity}</td>
                <td>{money(item.unitPrice)}</td>
                <td>{money(item.lineTotal)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="totals">
          <dt>Subtotal</dt>
          <dd>{money(order.subtotal)}</dd>
          <dt>Delivery</dt>
          <dd>{money(order.shipping)}</dd>
          {discounted ? (
            <>
              <dt>Discount</dt>
              <dd>−{money(order.discount)}</dd>
            </>
          ) : null}
          <dt>Total</dt>
          <dd>
            <strong data-testid="order-total">{money(order.total)}</strong>
          </dd>
        </dl>
      </section>

      <section aria-labelledby="delivery-heading" className="panel">
        <h2 id="delivery-heading">Delivery</h2>
        <p data-testid="order-address">{addressLine(order.shippingAddress)}</p>
        <p data-testid="order-method">
          {method ? `${method.name} (${method.estimatedDaysMin}–${method.estimatedDaysMax} days)` : 'Delivery method no longer offered'}
        </p>
      </section>
      <OrderActions orderId={order.id} status={now.status} />
    </article>
  );
}
