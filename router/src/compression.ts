import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants } from 'node:zlib';
import compression from 'compression';

/** Answers smaller than this go out as they are: compressing them saves less than it costs. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/**
 * Brotli at quality 4, said here rather than left to the package: brotli's own default, 11, takes
 * about 100 ms on a 70 KB answer (quality 4: 2 ms, for a third more bytes), far too slow for a
 * gateway. Gzip keeps its default level.
 */
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };

/** Whether an answer is streamed (@defer's `multipart/mixed`): each part must reach the client as it is written. */
function streamed(res: ServerResponse): boolean {
  return /^multipart\//i.test(String(res.getHeader('content-type') ?? ''));
}

/**
 * Compresses the answers written to `res` when the client accepts it (`Accept-Encoding`: br
 * preferred, then gzip; q-values and `identity` honoured) and adds `Vary: Accept-Encoding` to
 * whatever `Vary` the answer already has. Streamed answers and ones under the threshold go out
 * unencoded. Call it before anything is written.
 */
export function createAnswerCompression(): (req: IncomingMessage, res: ServerResponse) => void {
  const middleware = compression({
    threshold: COMPRESSION_THRESHOLD_BYTES,
    brotli: BROTLI,
    filter: (req, res) => !streamed(res) && compression.filter(req, res),
  });
  // The middleware only wraps `res` (writeHead, write, end) and calls `next` at once.
  return (req, res) => middleware(req as never, res as never, () => undefined);
}
