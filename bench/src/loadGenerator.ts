import { Pool } from 'undici';
import { percentile } from './support.js';

/** What one virtual user sends, again and again. */
export interface LoadRequest {
  body: string;
  headers: Record<string, string>;
}

export interface LoadOptions {
  url: string;
  /** Virtual user `i` sends `requests[i % requests.length]` (e.g. its own token). */
  requests: LoadRequest[];
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** What the first failed request got, to tell why. */
  firstError?: string;
}

/**
 * A closed loop: `connections` virtual users, each with its own keep-alive connection, send
 * their next request as soon as the last one is answered. A response that is not HTTP 200 or
 * carries GraphQL errors counts as an error.
 */
export async function generateLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const pool = new Pool(url.origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const path = url.pathname;
  const run = async (seconds: number) => {
    const latencies: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: options.connections }, async (_, vu) => {
        const { body, headers } = options.requests[vu % options.requests.length]!;
        const allHeaders = { 'content-type': 'application/json', ...headers };
        while (performance.now() < end) {
          const started = performance.now();
          try {
            const response = await pool.request({ path, method: 'POST', headers: allHeaders, body });
            const text = await response.body.text();
            if (response.statusCode !== 200 || text.includes('"errors":[')) {
              errors += 1;
              firstError ??= `HTTP ${response.statusCode} ${text.slice(0, 300)}`;
            }
          } catch (error) {
            errors += 1;
            firstError ??= (error as Error).message;
          }
          latencies.push(performance.now() - started);
        }
      }),
    );
    return { latencies, errors, firstError };
  };
  try {
    if (options.warmupSeconds > 0) await run(options.warmupSeconds);
    const started = performance.now();
    const { latencies, errors, firstError } = await run(options.seconds);
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      requests: latencies.length,
      errors,
      seconds: round(seconds),
      rps: Math.round(latencies.length / seconds),
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      ...(firstError ? { firstError } : {}),
    };
  } finally {
    await pool.close();
  }
}
