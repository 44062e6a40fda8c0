import { createWorkCounter } from '@shop/telemetry';
import type { ProductRepository } from '../repository.js';

export interface RepositoryStats {
  /** Repository calls since the last reset: each is one store round trip (a page is a find and a count, sent together). */
  readonly calls: number;
  /** Calls made on behalf of a watched request (`watchRequest` in @shop/telemetry). */
  forRequest(requestId: string): number;
  reset(): void;
}

/** Wraps a repository so tests and benchmarks can see how many times the store was asked. */
export function countRepositoryCalls(inner: ProductRepository): { repository: ProductRepository; stats: RepositoryStats } {
  const calls = createWorkCounter();
  const repository = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.count();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    repository,
    stats: {
      get calls() {
        return calls.total;
      },
      forRequest: (requestId) => calls.forRequest(requestId),
      reset: () => calls.reset(),
    },
  };
}
