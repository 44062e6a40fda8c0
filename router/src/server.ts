import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  clientIpOf,
  createErrorFormatter,
  headerValue,
  HttpError,
  readBody,
  sendGraphQLError,
  sendJson,
  type Logger,
} from '@shop/subgraph-kit';
import type { RouterContext } from './context.js';
import { SubgraphDataSource, type SubgraphFetchEvent } from './dataSource.js';
import { healthUrlOf, subgraphsOf, type SubgraphEndpoint } from './supergraph.js';

export interface RouterOptions {
  supergraphSdl: string;
  logger: Logger;
  /** Replaces the URL the supergraph names for a subgraph (e.g. container host names). */
  subgraphUrls?: Record<string, string>;
  introspection?: boolean;
  bodyLimitBytes?: number;
  /** Called after every subgraph fetch: metrics, and tests that count round trips. */
  onSubgraphFetch?: (event: SubgraphFetchEvent) => void;
}

export interface Router {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
  readonly subgraphs: SubgraphEndpoint[];
}

export function createRouter(options: RouterOptions): Router {
  // @apollo/gateway reports usage to Apollo unless this is set; nothing here phones home.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const { logger } = options;
  const bodyLimit = options.bodyLimitBytes ?? 1024 * 1024;
  const subgraphs = subgraphsOf(options.supergraphSdl).map((s) => ({
    name: s.name,
    url: options.subgraphUrls?.[s.name] ?? s.url,
  }));
  const urlByName = new Map(subgraphs.map((s) => [s.name, s.url]));

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => new SubgraphDataSource(name, urlByName.get(name) ?? url ?? '', options.onSubgraphFetch),
    logger: apolloLogger(logger),
  });
  const httpServer = createServer();
  const apollo = new ApolloServer<RouterContext>({
    gateway: gateway as never,
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(logger),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
    logger: apolloLogger(logger),
  });
  let started: Promise<void> | null = null;
  let ready = false;

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const requestId = headerValue(req, 'x-request-id') ?? randomUUID();
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, bodyLimit);
      try {
        body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
      } catch {
        sendGraphQLError(res, 400, 'BAD_REQUEST', 'Request body is not valid JSON');
        return;
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const authorization = headerValue(req, 'authorization');
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => ({ requestId, clientIp: clientIpOf(req), ...(authorization ? { authorization } : {}) }),
    });
    const responseHeaders: Record<string, string> = { 'x-request-id': requestId };
    for (const [key, value] of result.headers) responseHeaders[key] = value;
    res.writeHead(result.status ?? 200, responseHeaders);
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  const handleHealth = async (res: ServerResponse) => {
    const checks = await Promise.all(subgraphs.map(async (s) => [s.name, await probe(healthUrlOf(s.url))] as const));
    const status = ready ? 200 : 503;
    sendJson(res, status, {
      status: ready ? (checks.every(([, up]) => up) ? 'ok' : 'degraded') : 'starting',
      supergraph: ready ? 'loaded' : 'loading',
      subgraphs: Object.fromEntries(checks.map(([name, up]) => [name, up ? 'up' : 'down'])),
    });
  };

  httpServer.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const work =
      url.pathname === '/graphql'
        ? handleGraphQL(req, res, url)
        : url.pathname === '/health'
          ? handleHealth(res)
          : Promise.resolve(sendJson(res, 404, { error: 'not found' }));
    work.catch((error: unknown) => {
      if (error instanceof HttpError) {
        if (!res.headersSent) sendGraphQLError(res, error.status, 'BAD_REQUEST', error.message);
        else res.destroy();
        return;
      }
      logger.error('request failed', { error, path: url.pathname });
      if (!res.headersSent) sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    });
  });

  return {
    subgraphs,
    async listen(port, host = '0.0.0.0') {
      started ??= apollo.start().then(() => {
        ready = true;
      });
      await started;
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      const actual = (httpServer.address() as AddressInfo).port;
      return { url: `http://127.0.0.1:${actual}/graphql`, port: actual };
    },
    async stop() {
      ready = false;
      if (started) await apollo.stop();
      else if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

async function probe(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1500) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function apolloLogger(logger: Logger) {
  return {
    debug: (message?: unknown) => logger.debug(String(message)),
    info: (message?: unknown) => logger.debug(String(message)),
    warn: (message?: unknown) => logger.warn(String(message)),
    error: (message?: unknown) => logger.error(String(message)),
  };
}
