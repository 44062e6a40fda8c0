import { createServer } from 'node:net';

/**
 * Ports handed out below the kernel's ephemeral range (Linux: 32768-60999). A port the OS picks
 * for `listen(0)` comes from that range, and so does the local port of every outgoing
 * connection: between our probe closing and the caller listening, any client socket on the
 * machine (a parallel suite's HTTP keep-alive, a PostgreSQL connection) could take it, and the
 * caller's listen failed with EADDRINUSE (CI, products images.e2e). Below the range only
 * another freePort caller can collide, and a random pick over ~12,000 ports makes that rare.
 */
const LOWEST = 20_000;
const SPAN = 12_000;
const ATTEMPTS = 50;

const probe = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A TCP port free on loopback right now, for an embedded server or a test service to listen on. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = LOWEST + Math.floor(Math.random() * SPAN);
    if (await probe(port)) return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${LOWEST + SPAN} after ${ATTEMPTS} attempts`);
}
