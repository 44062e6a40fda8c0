import type { Kysely } from 'kysely';
import type { EventEnvelope } from '@shop/events';
import type { Logger } from '@shop/subgraph-kit';
import type { AnalyticsDatabase, OrderItem } from './db/schema.js';
import { parseOrderPlaced, parsePaymentMoved, utcDay, type OrderPlaced, type PaymentMoved } from './events.js';
import { recommendationRepository } from './recommendationRepository.js';
import { repository, type OrderFact, type ProductSales } from './repository.js';

type Db = Kysely<AnalyticsDatabase>;

/**
 * Applies one event to the aggregates inside `trx`: the one handler both live consumption and
 * the rebuild run, so a replay of the log gives what consumption gave.
 *
 * An order becomes a sale when its payment succeeds, on the UTC day of that event, with the
 * payment's amount. Its items come from `order.placed`, whichever of the two arrives first;
 * they count on the sale's day once both are known. A refund is subtracted on its own day.
 */
export async function applyEvent(trx: Db, event: EventEnvelope, logger: Logger): Promise<void> {
  switch (event.type) {
    case 'order.placed': {
      const placed = parseOrderPlaced(event.data);
      if (placed) return onOrderPlaced(trx, placed);
      break;
    }
    case 'payment.succeeded': {
      const payment = parsePaymentMoved(event.data);
      if (payment) return onPaymentSucceeded(trx, payment, utcDay(event.occurredAt), logger);
      break;
    }
    // A line refund carries what went back; a whole refund the payment's amount, of which only
    // what is left unrefunded is subtracted.
    case 'payment.partially_refunded':
    case 'payment.refunded': {
      const refund = parsePaymentMoved(event.data);
      if (refund) return onPaymentRefunded(trx, refund, utcDay(event.occurredAt), logger);
      break;
    }
    default:
      // Kept in the log for later metrics (e.g. cancellations); sales follow the payment events,
      // which carry the amounts actually taken and returned.
      return;
  }
  logger.warn('left a malformed event out of the aggregates', { eventId: event.id, type: event.type });
}

async function onOrderPlaced(trx: Db, placed: OrderPlaced): Promise<void> {
  const fact = await repository.lockOrderFact(trx, placed.orderId);
  if (fact.placed) return;
  await repository.setPlaced(trx, placed);
  await countProductsIfComplete(trx, {
    ...fact,
    userId: placed.userId,
    placed: true,
    currency: placed.currency,
    items: placed.items,
    discountMinor: placed.discountMinor,
    promoCode: placed.promoCode,
  });
}

async function onPaymentSucceeded(trx: Db, payment: PaymentMoved, day: string, logger: Logger): Promise<void> {
  const fact = await repository.lockOrderFact(trx, payment.orderId);
  if (fact.paymentId !== null) {
    // Payments refunds a second success on one order at once; counting neither it nor its
    // refund keeps the order's revenue right.
    if (fact.paymentId !== payment.paymentId) {
      logger.warn('ignored a second successful payment of an order', { orderId: payment.orderId, paymentId: payment.paymentId });
    }
    return;
  }
  await repository.setPaid(trx, payment.orderId, { ...payment, day });
  await repository.addDailySales(trx, { day, currency: payment.currency, orderCount: 1, revenueMinor: payment.amountMinor, refundedMinor: 0 });
  await countProductsIfComplete(trx, { ...fact, paymentId: payment.paymentId, saleDay: day });
}

async function onPaymentRefunded(trx: Db, refund: PaymentMoved, day: string, logger: Logger): Promise<void> {
  const fact = await repository.lockOrderFact(trx, refund.orderId);
  if (fact.paymentId !== refund.paymentId || fact.paidCurrency === null) {
    logger.warn('ignored a refund of a payment that was not counted', { orderId: refund.orderId, paymentId: refund.paymentId });
    return;
  }
  // Never more than was taken, whatever arrives.
  const amountMinor = Math.min(refund.amountMinor, fact.paidMinor - fact.refundedMinor);
  if (amountMinor <= 0) return;
  await repository.addRefunded(trx, refund.orderId, amountMinor);
  await repository.addDailySales(trx, { day, currency: fact.paidCurrency, orderCount: 0, revenueMinor: 0, refundedMinor: amountMinor });
}

async function countProductsIfComplete(trx: Db, fact: OrderFact): Promise<void> {
  if (fact.productsCounted || !fact.placed || fact.saleDay === null || fact.currency === null) return;
  const lines = linesByProduct(fact.items);
  await repository.addDailyProductSales(trx, fact.saleDay, fact.currency, lines);
  await recommendationRepository.recordPaidOrder(trx, fact.userId, lines);
  // The order's discount counts on its sale's day with its items: both need both halves of the fact.
  if (fact.promoCode !== null) {
    await repository.addDailySales(trx, {
      day: fact.saleDay,
      currency: fact.currency,
      orderCount: 0,
      revenueMinor: 0,
      refundedMinor: 0,
      discountMinor: fact.discountMinor,
      promotionOrderCount: 1,
    });
  }
  await repository.markProductsCounted(trx, fact.orderId);
}

/** One line per product (an order may list a product twice). */
function linesByProduct(items: readonly OrderItem[]): ProductSales[] {
  const lines = new Map<string, ProductSales>();
  for (const item of items) {
    const line = lines.get(item.productId) ?? { productId: item.productId, units: 0, revenueMinor: 0 };
    line.units += item.quantity;
    line.revenueMinor += item.quantity * item.unitPriceMinor;
    lines.set(item.productId, line);
  }
  return [...lines.values()];
}
