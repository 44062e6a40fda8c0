import type { Logger } from '@shop/subgraph-kit';
import type { HoldRepository } from './holdRepository.js';
import type { ReservationRepository } from './reservationRepository.js';

export interface ReservationSweeper {
  /** Expires every reservation and hold that is due now (and warns holds due their warning); resolves to how many it expired. */
  sweep(): Promise<number>;
  /** Stops the loop, waiting for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Gives back the stock of reservations whose time ran out (unpaid orders) and of cart holds
 * that lapsed, and announces holds due their warning, every `intervalMs`. Safe to run in every
 * replica: each row is claimed with `FOR UPDATE SKIP LOCKED` and settled in that transaction,
 * so the database, not a leader, decides who handles it, and a restart loses nothing.
 */
export function startReservationSweeper(deps: {
  repository: ReservationRepository;
  holds: HoldRepository;
  /** The time reservations and holds are judged by: the one they were made with (tests move it). */
  clock: () => Date;
  intervalMs: number;
  logger: Logger;
  onStockChanged: (productIds: string[]) => void;
  /** Called after a commit that enqueued events without moving stock (a hold's warning). */
  onEvents: () => void;
}): ReservationSweeper {
  const { logger } = deps;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  const sweepOnce = async (): Promise<number> => {
    let expired = 0;
    const now = deps.clock();
    while (!stopped) {
      const result = await deps.repository.expireNext(now);
      if (!result) break;
      expired += 1;
      logger.info('reservation expired', { orderId: result.orderId });
      deps.onStockChanged(result.changedProductIds);
    }
    // Holds lapse before warnings are looked at: a hold past its time gets no warning.
    while (!stopped) {
      const result = await deps.holds.expireNext(now);
      if (!result) break;
      expired += 1;
      logger.info('cart hold expired', { cartId: result.cartId });
      deps.onStockChanged(result.changedProductIds);
    }
    while (!stopped) {
      const result = await deps.holds.warnNext(now);
      if (!result) break;
      deps.onEvents();
    }
    return expired;
  };

  // One sweep at a time (rows are claimed SKIP LOCKED, so a second one would pass over what the
  // first holds and return early). A sweep asked for while one runs waits for it and then judges
  // by the time it is asked at: the one in progress took its `now` before, perhaps before the
  // clock was moved, and answering with it would leave due holds unexpired.
  const sweep = async (): Promise<number> => {
    while (running) await running.catch(() => 0);
    const current = sweepOnce().finally(() => {
      running = null;
    });
    running = current;
    return current;
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
