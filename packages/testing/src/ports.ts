import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// One implementation, in the lowest package that needs it (embedded PostgreSQL picks ports too).
export { freePort } from '@shop/postgres';

/**
 * Listens on a loopback port for a server a whole test process shares (the JWK Sets): neither
 * the server nor the keep-alive connections clients leave open keep the process alive. An
 * unref'd server alone is not enough: each accepted socket holds the process until its idle
 * timeout (5 s), and jest then force-exits the worker ("failed to exit gracefully").
 */
export async function listenInBackground(server: Server): Promise<number> {
  server.on('connection', (socket) => socket.unref());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return (server.address() as AddressInfo).port;
}
