import { orderStatus } from '@shop/client-core';

/** The status in words, with the enum value kept for tests and styling. */
export function OrderStatusBadge({ status, testid = 'order-status-badge' }: { status: string; testid?: string }) {
  return (
    <span className={`badge status-${status.toLowerCase()}`} data-testid={testid} data-status={status}>
      {orderStatus(status)}
    </span>
  );
}
