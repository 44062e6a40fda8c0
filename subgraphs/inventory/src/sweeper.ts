import type { Logger } from '@shop/subgraph-kit';
import type { ReservationRepository } from './reservationRepository.js';

export interface ReservationSweeper {
  /** Expires every reservation that is due now; resolves to how many it expired. */
  sweep(): Promise<number>;
  /** Stops the loop, waiting for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Gives back the stock of reservations whose time ran out (unpaid orders), every `intervalMs`.
 * Safe to run in every replica: each reservation is taken with `FOR UPDATE SKIP LOCKED`.
 */
export function startReservationSweeper(deps: {
  repository: ReservationRepository;
  intervalMs: number;
  logger: Logger;
  onStockChanged: (productIds: string[]) => void;
}): ReservationSweeper {
  const { logger } = deps;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  const sweepOnce = async (): Promise<number> => {
    let expired = 0;
    while (!stopped) {
      const result = await deps.repository.expireNext();
      if (!result) break;
      expired += 1;
      logger.info('reservation expired', { orderId: result.orderId });
      deps.onStockChanged(result.changedProductIds);
    }
    return expired;
  };

  const sweep = (): Promise<number> => {
    running ??= sweepOnce().finally(() => {
      running = null;
    });
    return running;
  };

  const tick = () => {
    sweep()
      .catch((error: unknown) => logger.error('reservation sweep failed', { error }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, deps.intervalMs);
      });
  };
  timer = setTimeout(tick, deps.intervalMs);

  return {
    sweep,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => 0);
    },
  };
}
