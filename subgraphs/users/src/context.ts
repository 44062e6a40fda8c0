import type { RequestBase } from '@shop/subgraph-kit';
import { createLoaders, type UsersLoaders } from './loaders.js';
import type { UsersRepository } from './repository.js';

export interface UsersContext extends RequestBase {
  loaders: UsersLoaders;
}

export function createContext(base: RequestBase, repository: UsersRepository): UsersContext {
  return { ...base, loaders: createLoaders(repository) };
}
