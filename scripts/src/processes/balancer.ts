import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface Balancer {
  port: number;
  stop(): Promise<void>;
}

/**
 * A TCP round-robin in front of the replicas of one service, as a Kubernetes Service is in front
 * of its pods: the router and the other services keep one URL per subgraph. Connections go to
 * the next replica that `available` says is up (any replica when none is), so a replica that
 * died gets no new connections while the supervisor brings it back.
 */
export async function startBalancer(options: {
  port: number;
  host?: string;
  backends: readonly number[];
  available(port: number): boolean;
}): Promise<Balancer> {
  let next = 0;
  const sockets = new Set<Socket>();
  const pick = (): number => {
    const { backends } = options;
    for (let i = 0; i < backends.length; i++) {
      const port = backends[(next + i) % backends.length]!;
      if (options.available(port)) {
        next = (next + i + 1) % backends.length;
        return port;
      }
    }
    next = (next + 1) % backends.length;
    return backends[next]!;
  };
  const server: Server = createServer((client) => {
    const upstream = createConnection({ port: pick(), host: '127.0.0.1' });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: options.port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
