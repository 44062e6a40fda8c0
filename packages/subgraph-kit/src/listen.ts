import { createServer, type AddressInfo, type Server } from 'node:net';

/**
 * Where a server listens: a port (0 for any free one), or a socket already bound by
 * `reservePort`, which the server takes over without a gap in which another process could
 * bind the port first.
 */
export type ListenTarget = number | Server;

/**
 * Binds a free loopback port now and holds it until a server listens on it (`listenOn`), for
 * a stack whose services must know each other's URLs before any of them listens.
 */
export async function reservePort(host = '127.0.0.1'): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** The port a target listens on (a reserved socket's own port). */
export function portOf(target: ListenTarget): number {
  return typeof target === 'number' ? target : (target.address() as AddressInfo).port;
}

/** Starts `server` on `target`; the URL names loopback and the port actually bound. */
export async function listenOn(server: Server, target: ListenTarget, host: string): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const listening = () => {
      server.off('error', reject);
      resolve();
    };
    if (typeof target === 'number') server.listen(target, host, listening);
    else server.listen(target, listening);
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, port };
}
