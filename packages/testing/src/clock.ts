/**
 * Options for `jest.useFakeTimers` that fake `Date` alone: code that reads the time from it
 * (rate-limiter-flexible's windows) moves with `jest.setSystemTime`, while servers, sockets and
 * drivers keep their real timers.
 */
export const FAKE_DATE_ONLY = {
  doNotFake: [
    'hrtime',
    'nextTick',
    'performance',
    'queueMicrotask',
    'setImmediate',
    'clearImmediate',
    'setInterval',
    'clearInterval',
    'setTimeout',
    'clearTimeout',
  ],
} as const;
