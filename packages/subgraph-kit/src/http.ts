import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// A refused body is still read (and dropped) up to this size, so that the client, which is still
// sending, can read the 413 instead of a reset connection; past it the connection is cut.
const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

/**
 * Reads the whole body. Past `limit` bytes nothing more is kept, but the rest is read to its end
 * before the 413 (HttpError) is thrown, so the answer reaches a client that writes its whole
 * body before reading (fetch); a body past 64 MiB has its connection cut instead.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new HttpError(413, `Request body larger than ${limit} bytes`);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > DRAIN_CAP_BYTES) return reject(tooLarge());
    let over = Number.isFinite(declared) && declared > limit;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (!over) chunks.push(chunk);
      else if (size > DRAIN_CAP_BYTES) req.destroy();
    });
    req.once('end', () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
    req.once('close', () => {
      if (!req.complete) reject(over ? tooLarge() : new HttpError(400, 'The request body was cut short'));
    });
    req.once('error', (error) => reject(error));
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/**
 * The client's address, when the last `trustedHops` entries of `x-forwarded-for` were appended
 * by proxies we run (each adds the address it took the request from): the right-most entry none
 * of them added. Entries further left are whatever the client wrote, so they never count. No
 * trusted hop, or no header: the peer itself.
 */
export function forwardedClient(req: IncomingMessage, trustedHops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedHops <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return peer;
  return entries[Math.max(0, entries.length - trustedHops)]!;
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request's headers as Apollo Server takes them (repeated headers joined with ", "). */
export function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}
