import { AsyncLocalStorage } from 'node:async_hooks';

// Work (SQL statements, store round trips) attributed to the request that caused it, so a test can
// say "this page cost 4 statements" while event consumers and other requests run beside it. Only
// requests someone watches enter a scope: AsyncLocalStorage turns on Node's promise hooks for the
// whole process, a cost production does not pay for a number only tests and benchmarks read.

const scope = new AsyncLocalStorage<string>();
const watched = new Set<string>();

/** Attribute the work of requests carrying this `x-request-id` from now on (until `forgetRequest`). */
export function watchRequest(requestId: string): void {
  watched.add(requestId);
}

export function forgetRequest(requestId: string): void {
  watched.delete(requestId);
}

/** Runs a request's handling; inside a scope only when its id is watched. */
export function inRequestScope<T>(requestId: string, handle: () => T): T {
  return watched.has(requestId) ? scope.run(requestId, handle) : handle();
}

/** A counter of some kind of work: in total, and per watched request. */
export interface WorkCounter {
  /** Counted since the last reset. */
  readonly total: number;
  /** Counted inside the watched request `requestId` (0 when none). */
  forRequest(requestId: string): number;
  count(): void;
  reset(): void;
}

export function createWorkCounter(): WorkCounter {
  let total = 0;
  const perRequest = new Map<string, number>();
  return {
    get total() {
      return total;
    },
    forRequest: (requestId) => perRequest.get(requestId) ?? 0,
    count() {
      total += 1;
      if (watched.size === 0) return;
      const requestId = scope.getStore();
      if (requestId !== undefined && watched.has(requestId)) perRequest.set(requestId, (perRequest.get(requestId) ?? 0) + 1);
    },
    reset() {
      total = 0;
      perRequest.clear();
    },
  };
}
