import type { RequestBase } from '@shop/subgraph-kit';
import { createLoaders, type UsersLoaders } from './loaders.js';
import type { UsersRepository } from './repository.js';
import type { WishlistRepository } from './wishlistRepository.js';

export interface UsersContext extends RequestBase {
  loaders: UsersLoaders;
}

export function createContext(base: RequestBase, repository: UsersRepository, wishlist: WishlistRepository): UsersContext {
  return { ...base, loaders: createLoaders(repository, wishlist) };
}
