import DataLoader from 'dataloader';
import { groupByKeys, orderByKeys } from '@shop/subgraph-kit';
import type { Address, User } from './model.js';
import type { UsersRepository } from './repository.js';

export interface UsersLoaders {
  /** One `WHERE id IN (...)` per batch; null for an id that matches no user. */
  userById: DataLoader<string, User | null>;
  /** One query per batch; each user's addresses oldest first, an empty list when none. */
  addressesByUserId: DataLoader<string, Address[]>;
}

/** Built per request, so one caller's cached rows never answer another's. */
export function createLoaders(repository: UsersRepository): UsersLoaders {
  return {
    userById: new DataLoader(async (ids) => orderByKeys(ids, await repository.findUsersByIds(ids), (user) => user.id)),
    addressesByUserId: new DataLoader(async (userIds) =>
      groupByKeys(userIds, await repository.findAddressesByUserIds(userIds), (address) => address.userId),
    ),
  };
}
