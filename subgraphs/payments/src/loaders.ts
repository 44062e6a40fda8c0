import DataLoader from 'dataloader';
import { groupByKeys } from '@shop/subgraph-kit';
import type { Payment } from './model.js';
import type { PaymentsRepository } from './repository.js';

export interface PaymentsLoaders {
  /** Every payment attempt of an order, newest first; `[]` for an order without any. */
  paymentsByOrderId: DataLoader<string, Payment[]>;
}

// Keeps one `IN (...)` list well under PostgreSQL's 65535 bind parameters.
const MAX_BATCH = 1000;

/** Built per request (in the context function), so nothing is cached across callers. */
export function createPaymentsLoaders(repository: PaymentsRepository): PaymentsLoaders {
  return {
    paymentsByOrderId: new DataLoader(
      async (orderIds) => groupByKeys(orderIds, await repository.findByOrderIds(orderIds), (payment) => payment.orderId),
      { maxBatchSize: MAX_BATCH },
    ),
  };
}
