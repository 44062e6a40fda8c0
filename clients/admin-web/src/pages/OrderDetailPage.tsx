import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { countryName, dateTime, money, orderStatus } from '@shop/client-core';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorNotice, Loading, Outcome, useRun } from '../components/States.js';
import { CancelOrderDocument, CreateShipmentDocument, FulfilOrderDocument, MarkDeliveredDocument, OrderDocument, RefundOrderDocument } from '../gql/graphql.js';
import { AnyOrderChanged } from './OrdersPage.js';

/** One order with the actions its status allows: fulfil, ship, deliver, refund, cancel. */
export function OrderDetailPage() {
  const { id = '' } = useParams();
  // Shipping and delivery move the order through events, a moment after the mutation answers.
  // The subscription brings the new status; until it has, the page also asks every second, so a
  // slow or reconnecting socket never leaves a stale status on screen.
  const [awaitingChangeFrom, setAwaitingChangeFrom] = useState<string | null>(null);
  const { data, loading, error, refetch } = useQuery(OrderDocument, { variables: { id }, pollInterval: awaitingChangeFrom ? 1000 : 0 });
  const status = data?.order?.status;
  useEffect(() => {
    if (awaitingChangeFrom && status && status !== awaitingChangeFrom) setAwaitingChangeFrom(null);
  }, [awaitingChangeFrom, status]);
  useSubscription(AnyOrderChanged, { onData: ({ data: event }) => event.data?.orderStatusChanged.id === id && void refetch() });
  const after = { refetchQueries: [OrderDocument] };
  const [fulfil] = useMutation(FulfilOrderDocument, after);
  const [ship] = useMutation(CreateShipmentDocument, after);
  const [deliver] = useMutation(MarkDeliveredDocument, after);
  const [refund] = useMutation(RefundOrderDocument, after);
  const [cancel] = useMutation(CancelOrderDocument, after);
  const { outcome, busy, run } = useRun();

  if (loading && !data) return <Loading label="Loading the order…" />;
  if (error && !data) return <ErrorNotice error={error} retry={() => void refetch()} />;
  const order = data?.order;
  if (!order) return <p data-testid="not-found">No such order.</p>;

  const onShip = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const carrier = String(form.get('carrier')).trim();
    const trackingNumber = String(form.get('trackingNumber')).trim();
    void run(async () => {
      await ship({ variables: { orderId: order.id, carrier, trackingNumber } });
      setAwaitingChangeFrom(order.status);
    }, `Shipped with ${carrier}.`);
  };
  // Shipments are null while shipping cannot be reached: no shipment actions then.
  const shipments = order.shipments ?? [];
  const openShipment = shipments.find((s) => s.status === 'SHIPPED');
  const a = order.shippingAddress;

  return (
    <article data-testid="order-detail" data-order-id={order.id}>
      <p>
        <Link to="/orders">‹ Orders</Link>
      </p>
      <h1>
        Order {order.orderNumber}{' '}
        <span className={`badge status-${order.status.toLowerCase()}`} data-testid="order-status" data-status={order.status}>
          {orderStatus(order.status)}
        </span>
      </h1>
      <p className="muted">
        {order.user.email} · placed {dateTime(order.createdAt)}
      </p>
      <section className="panel stack" aria-label="Actions">
        <h2>Actions</h2>
        <div className="row">
          {order.status === 'PAID' ? (
            <button type="button" disabled={busy} onClick={() => void run(() => fulfil({ variables: { id: order.id } }), 'Fulfilment started.')} data-testid="fulfil">
              Start fulfilment
            </button>
          ) : null}
          {openShipment ? (
            <button type="button" disabled={busy} onClick={() =>
                void run(async () => {
                  await deliver({ variables: { shipmentId: openShipment.id } });
                  setAwaitingChangeFrom(order.status);
                }, 'Marked as delivered.')
              } data-testid="deliver">
              Mark delivered
            </button>
          ) : null}
          {['PAID', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'RETURN_REQUESTED'].includes(order.status) ? (
            <button type="button" disabled={busy} onClick={() => window.confirm('Refund this order in full?') && void run(() => refund({ variables: { id: order.id } }), 'Refunded.')} data-testid="refund">
              Refund
            </button>
          ) : null}
          {['PENDING_PAYMENT', 'PAID', 'FULFILLING'].includes(order.status) ? (
            <button type="button" disabled={busy} onClick={() => window.confirm('Cancel this order?') && void run(() => cancel({ variables: { id: order.id } }), 'Cancelled.')} data-testid="cancel">
              Cancel order
            </button>
          ) : null}
        </div>
        {order.status === 'PAID' || order.status === 'FULFILLING' ? (
          <form className="row" onSubmit={onShip} aria-label="Ship">
            <label>
              Carrier
              <input name="carrier" required maxLength={50} defaultValue="DHL" data-testid="carrier" />
            </label>
            <label>
              Tracking number
              <input name="trackingNumber" required maxLength={100} data-testid="tracking-number" />
            </label>
            <button type="submit" className="primary" disabled={busy} data-testid="ship">
              Ship
            </button>
          </form>
        ) : null}
        <Outcome state={outcome} />
      </section>
      <section className="panel">
        <h2>Items</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">SKU</th>
                <th scope="col" className="num">Qty</th>
                <th scope="col" className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {order.items.map((item) => (
                <tr key={`${item.product.id}:${item.variant?.id ?? ''}`} data-testid="order-item">
                  <td className="clip">
                    {item.product.name}
                    {item.variant ? <span className="muted"> · {item.variant.name}</span> : null}
                  </td>
                  {/* The variant's SKU is what the warehouse picks; the product's when it has none. */}
                  <td data-testid="order-item-sku">{item.variant?.sku ?? item.product.sku}</td>
                  <td className="num">{item.quantity}</td>
                  <td className="num">{money(item.lineTotal)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p>
          Subtotal {money(order.subtotal)} · shipping {money(order.shipping)} · total <strong>{money(order.total)}</strong>
        </p>
      </section>
      <section className="panel">
        <h2>Delivery and payment</h2>
        <p>{[a.name, a.line1, a.line2, `${a.postalCode} ${a.city}`, countryName(a.country)].filter(Boolean).join(', ')}</p>
        <p>Payment: {order.payment ? `${order.payment.status.toLowerCase()} (${money(order.payment.amount)}, ${order.payment.provider})` : 'none yet'}</p>
        {shipments.map((s) => (
          <p key={s.id} data-testid="shipment">
            {s.carrier} {s.trackingNumber}: {s.status.toLowerCase()}
          </p>
        ))}
        <h3>History</h3>
        <ol>
          {order.statusHistory.map((h, i) => (
            <li key={i}>
              {orderStatus(h.status)} <span className="muted">{dateTime(h.at)}</span>
              {h.reason ? ` — ${h.reason}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
