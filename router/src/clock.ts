/** Time as the router reads it: injectable, so tests move it forward instead of sleeping. */
export interface Clock {
  now(): number;
  /** Runs `task` once `ms` have passed; returns what cancels it. */
  after(ms: number, task: () => void): () => void;
}

// setTimeout fires at once past this; a longer wait is cut to it (callers check the time again).
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, task) {
    const timer = setTimeout(task, Math.min(Math.max(ms, 0), MAX_TIMEOUT_MS));
    // A pending expiry must not keep a stopping process alive.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
