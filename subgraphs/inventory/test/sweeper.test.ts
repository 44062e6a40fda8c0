import { describe, expect, it } from '@jest/globals';
import { createLogger } from '@shop/subgraph-kit';
import type { HoldRepository } from '../src/holdRepository.js';
import type { ReservationRepository } from '../src/reservationRepository.js';
import { startReservationSweeper } from '../src/sweeper.js';

// The sweeper's loop and an explicit sweep (what tests and `sweepReservations()` ask for) share
// the store. A sweep asked for right after the clock moved must judge by the new time even when
// the loop's own sweep, which read the clock before, is still running.
describe('reservation sweeper', () => {
  it('answers a sweep asked for during a running one by the time it was asked at', async () => {
    let nowMs = Date.parse('2030-01-01T10:00:00.000Z');
    const holdEndsAt = nowMs + 600_000;
    let held = true;
    const judgedAt: number[] = [];
    let releaseFirst!: () => void;
    const firstBlocked = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstStarted!: () => void;
    const started = new Promise<void>((resolve) => (firstStarted = resolve));

    const repository = {
      async expireNext(now: Date) {
        judgedAt.push(now.getTime());
        if (judgedAt.length === 1) {
          firstStarted();
          await firstBlocked;
        }
        return null;
      },
    } as unknown as ReservationRepository;
    const holds = {
      async expireNext(now: Date) {
        if (!held || now.getTime() < holdEndsAt) return null;
        held = false;
        return { cartId: 'cart-1', changedProductIds: ['p1'] };
      },
      async warnNext() {
        return null;
      },
    } as unknown as HoldRepository;
    const changed: string[][] = [];
    const sweeper = startReservationSweeper({
      repository,
      holds,
      clock: () => new Date(nowMs),
      intervalMs: 60_000,
      logger: createLogger({ service: 'inventory', level: 'error' }),
      onStockChanged: (ids) => changed.push(ids),
      onEvents: () => undefined,
    });
    try {
      // A sweep starts before the hold is due and is still at work when the clock moves past it.
      const early = sweeper.sweep();
      await started;
      nowMs = holdEndsAt + 1_000;
      const asked = sweeper.sweep();
      releaseFirst();

      expect(await early).toBe(0);
      expect(await asked).toBe(1);
      expect(held).toBe(false);
      expect(changed).toEqual([['p1']]);
      expect(judgedAt).toEqual([holdEndsAt - 600_000, holdEndsAt + 1_000]);
    } finally {
      await sweeper.stop();
    }
  });
});
