/**
 * Reads until `done` holds or `timeoutMs` passes, and returns the last value read: the test's
 * assertion then shows what was there instead of a bare timeout. For effects of events, which
 * arrive a little after the request that caused them.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
