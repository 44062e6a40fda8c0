import DataLoader from 'dataloader';
import { groupByKeys, orderByKeys } from '@shop/subgraph-kit';
import type { Order, OrderLine, OrderPage, OrderRefund, OrderStatusChange, PageRequest } from './model.js';
import type { Promotion } from './promotionRules.js';
import type { PromotionsRepository } from './promotionsRepository.js';
import type { OrdersRepository } from './repository.js';

export interface UserOrdersKey extends PageRequest {
  userId: string;
  /** Read each order's lines with the page (the query asks for them); default no. */
  lines?: boolean;
}

export interface OrdersLoaders {
  orderById: DataLoader<string, Order | null>;
  itemsByOrderId: DataLoader<string, OrderLine[]>;
  historyByOrderId: DataLoader<string, OrderStatusChange[]>;
  refundsByOrderId: DataLoader<string, OrderRefund[]>;
  /** Keyed by user and page arguments: users asked with the same arguments share one query. */
  ordersByUserId: DataLoader<UserOrdersKey, OrderPage, string>;
  /** Promotions by normalised code. */
  promotionByCode: DataLoader<string, Promotion | null>;
}

/** Built per request (in the context function), so nothing is cached across callers. */
export function createOrdersLoaders(repository: OrdersRepository, promotions: PromotionsRepository): OrdersLoaders {
  return {
    orderById: new DataLoader(async (ids) => orderByKeys(ids, await repository.findByIds(ids), (order) => order.id)),
    itemsByOrderId: new DataLoader(async (ids) =>
      groupByKeys(ids, await repository.findLinesByOrderIds(ids), (line) => line.orderId),
    ),
    historyByOrderId: new DataLoader(async (ids) =>
      groupByKeys(ids, await repository.findHistoryByOrderIds(ids), (change) => change.orderId),
    ),
    refundsByOrderId: new DataLoader(async (ids) => groupByKeys(ids, await repository.findRefundsByOrderIds(ids), (refund) => refund.orderId)),
    ordersByUserId: new DataLoader(loadUserPages(repository), { cacheKeyFn: userOrdersCacheKey }),
    promotionByCode: new DataLoader(async (codes) => orderByKeys(codes, await promotions.findByCodes(codes), (promotion) => promotion.code)),
  };
}

function loadUserPages(repository: OrdersRepository) {
  return async (keys: readonly UserOrdersKey[]): Promise<OrderPage[]> => {
    const groups = new Map<string, { request: UserOrdersKey; userIds: string[] }>();
    for (const key of keys) {
      const argsKey = pageArgsKey(key);
      const group = groups.get(argsKey) ?? { request: key, userIds: [] };
      group.userIds.push(key.userId);
      groups.set(argsKey, group);
    }
    const pagesByKey = new Map<string, OrderPage>();
    await Promise.all(
      [...groups].map(async ([argsKey, group]) => {
        const pages = await repository.pageByUserIds(group.userIds, group.request, { lines: group.request.lines === true });
        group.userIds.forEach((userId, i) => pagesByKey.set(`${userId}\u0000${argsKey}`, pages[i]!));
      }),
    );
    return keys.map((key) => pagesByKey.get(userOrdersCacheKey(key))!);
  };
}

function pageArgsKey(request: UserOrdersKey): string {
  return JSON.stringify([request.first, request.status, request.after?.createdAt.toISOString() ?? null, request.after?.id ?? null, request.lines === true]);
}

function userOrdersCacheKey(key: UserOrdersKey): string {
  return `${key.userId}\u0000${pageArgsKey(key)}`;
}
