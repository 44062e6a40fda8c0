import DataLoader from 'dataloader';
import { groupByKeys } from '@shop/subgraph-kit';
import type { Notification } from './model.js';
import type { NotificationsRepository } from './repository.js';

export interface NotificationsLoaders {
  /** The loader of each user's newest `first` messages (newest first; `[]` for a user without any), one per `first`. */
  latestByUserId(first: number): DataLoader<string, Notification[]>;
}

// Keeps one `IN (...)` list well under PostgreSQL's 65535 bind parameters.
const MAX_BATCH = 1000;

/** Built per request (in the context function), so nothing is cached across callers. */
export function createNotificationsLoaders(repository: NotificationsRepository): NotificationsLoaders {
  const byFirst = new Map<number, DataLoader<string, Notification[]>>();
  return {
    latestByUserId(first) {
      let loader = byFirst.get(first);
      if (!loader) {
        loader = new DataLoader(
          async (userIds) => groupByKeys(userIds, await repository.findLatestByUserIds(userIds, first), (n) => n.userId),
          { maxBatchSize: MAX_BATCH },
        );
        byFirst.set(first, loader);
      }
      return loader;
    },
  };
}
