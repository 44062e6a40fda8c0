import { eventually } from './eventually.js';

/**
 * Resolves once `check` holds, checking again every few milliseconds; fails naming `what`
 * after `timeoutMs`. For waiting on an effect with nothing to assert but its arrival.
 */
export async function until(check: () => boolean | Promise<boolean>, what = 'a condition', timeoutMs = 10_000): Promise<void> {
  if (!(await eventually(async () => check(), Boolean, timeoutMs))) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
}
