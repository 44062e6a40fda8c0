import DataLoader from 'dataloader';
import { groupByKeys, orderByKeys } from '@shop/subgraph-kit';
import type { Address, User, WishlistItem } from './model.js';
import type { UsersRepository } from './repository.js';
import type { WishlistRepository } from './wishlistRepository.js';

export interface UsersLoaders {
  /** One `WHERE id IN (...)` per batch; null for an id that matches no user. */
  userById: DataLoader<string, User | null>;
  /** One query per batch; each user's addresses oldest first, an empty list when none. */
  addressesByUserId: DataLoader<string, Address[]>;
  /** One query per batch; each user's wishlist newest first, an empty list when none. */
  wishlistByUserId: DataLoader<string, WishlistItem[]>;
}

/** Built per request, so one caller's cached rows never answer another's. */
export function createLoaders(repository: UsersRepository, wishlist: WishlistRepository): UsersLoaders {
  return {
    userById: new DataLoader(async (ids) => orderByKeys(ids, await repository.findUsersByIds(ids), (user) => user.id)),
    addressesByUserId: new DataLoader(async (userIds) =>
      groupByKeys(userIds, await repository.findAddressesByUserIds(userIds), (address) => address.userId),
    ),
    wishlistByUserId: new DataLoader(async (userIds) => groupByKeys(userIds, await wishlist.findByUserIds(userIds), (item) => item.userId)),
  };
}
