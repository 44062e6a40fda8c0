/** A real 1x1 PNG: what browsers show and what the stores' type checks accept. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A PNG of exactly `size` bytes: the tiny one, padded after its end (decoders ignore the rest). */
export function pngOfSize(size: number): Buffer {
  return Buffer.concat([TINY_PNG, Buffer.alloc(Math.max(0, size - TINY_PNG.length))]).subarray(0, size);
}
