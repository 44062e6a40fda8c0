import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { AppError } from '@shop/errors';

export interface WebSocketEndpoint {
  readonly wss: WebSocketServer;
  /** Open client sockets right now. */
  openSockets(): number;
  /**
   * Stops accepting upgrades, closes every socket with 1012 (Service Restart), runs `dispose`
   * (graphql-ws ends their subscriptions) and terminates any peer that has not finished the
   * close handshake a second later. Once only.
   */
  close(dispose: () => Promise<void> | void): Promise<void>;
}

/** The close code of a socket the server ends because it stops (RFC 6455 registry: Service Restart). */
export const SERVICE_RESTART = 1012;

/**
 * A WebSocket server sharing an HTTP server's port on one path (other upgrade requests are
 * refused): the part the subgraphs' and the router's graphql-ws endpoints have in common.
 */
export function openWebSocketEndpoint(options: {
  httpServer: Server;
  path: string;
  onSocket?: (socket: WebSocket) => void;
  /** Runs before the handshake; an AppError it throws refuses the upgrade with HTTP 401 and the error as JSON. */
  authorize?: (req: IncomingMessage) => Promise<void>;
  /**
   * The largest message accepted, in bytes: the same as the HTTP body limit, so a socket is no way
   * around it. A larger message closes the socket with 1009 (Message Too Big) before it is parsed.
   */
  maxPayload: number;
}): WebSocketEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload });
  const accept = (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      options.onSocket?.(ws);
      wss.emit('connection', ws, req);
    });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== options.path) {
      socket.destroy();
      return;
    }
    if (!options.authorize) return accept(req, socket, head);
    options.authorize(req).then(
      () => accept(req, socket, head),
      (error: unknown) => refuseUpgrade(socket, error instanceof AppError ? error : new AppError('UNAUTHENTICATED', 'Not allowed to open a socket here')),
    );
  };
  options.httpServer.on('upgrade', onUpgrade);

  let closing: Promise<void> | null = null;
  return {
    wss,
    openSockets: () => wss.clients.size,
    close(dispose) {
      closing ??= (async () => {
        options.httpServer.off('upgrade', onUpgrade);
        // A peer that does not answer the close handshake must not hold up the shutdown.
        const sockets = [...wss.clients];
        const force = setTimeout(() => sockets.forEach((socket) => socket.terminate()), 1000);
        // graphql-ws clients (Apollo's GraphQLWsLink, urql, the router's own upstream sockets)
        // reconnect and resubscribe after 1012, as after 1001; 1012 says the service restarts.
        for (const socket of sockets) socket.close(SERVICE_RESTART, 'Service restart');
        try {
          await dispose();
        } finally {
          clearTimeout(force);
        }
      })();
      return closing;
    },
  };
}

function refuseUpgrade(socket: Duplex, error: AppError): void {
  const body = JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code } }] });
  socket.end(
    `HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * A header a graphql-ws client sent in `connectionParams`, by lower-case name: at the top level
 * (`authorization`, `Authorization`) or inside `headers`, the form Apollo's and urql's examples
 * use (`{ headers: { Authorization } }`). Names match case-insensitively, as HTTP headers do.
 */
export function connectionParam(params: Record<string, unknown> | undefined, name: string): string | undefined {
  return stringEntry(params, name) ?? stringEntry(params?.headers, name);
}

function stringEntry(record: unknown, name: string): string | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}
