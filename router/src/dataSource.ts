import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import type { RouterContext } from './context.js';

export interface SubgraphFetchEvent {
  service: string;
  durationMs: number;
  ok: boolean;
}

/**
 * Sends subgraph fetches with Node's own fetch (undici, keep-alive) and passes the caller's
 * identity and the request id on, so subgraphs can enforce ownership and logs line up.
 * A subgraph that cannot be reached becomes a coded error (SUBGRAPH_UNAVAILABLE) on the
 * fields it serves, so the rest of the response still arrives.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    readonly serviceName: string,
    url: string,
    private readonly onFetch?: (event: SubgraphFetchEvent) => void,
  ) {
    super({ url, fetcher: fetch as never });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    if (context.authorization) headers.set('authorization', context.authorization);
    if (context.requestId) headers.set('x-request-id', context.requestId);
    if (context.clientIp) headers.set('x-forwarded-for', context.clientIp);
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    let ok = false;
    try {
      const response = await super.process(options);
      ok = !response.errors?.length;
      return response;
    } catch (error) {
      return { errors: [this.codedError(error)] };
    } finally {
      this.onFetch?.({ service: this.serviceName, durationMs: performance.now() - started, ok });
    }
  }

  /** What a failed fetch tells the client: the subgraph's own coded errors when it sent some. */
  private codedError(error: unknown): GraphQLError {
    const response = error instanceof GraphQLError ? (error.extensions.response as { status?: number; body?: unknown } | undefined) : undefined;
    if (!response) {
      return new GraphQLError(`Subgraph "${this.serviceName}" is unavailable`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    }
    const sent = (response.body as { errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }> } | undefined)?.errors?.[0];
    if (typeof sent?.message === 'string' && typeof sent.extensions?.code === 'string') {
      return new GraphQLError(sent.message, { extensions: { code: sent.extensions.code } });
    }
    const status = response.status ?? 0;
    const code = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status >= 502 && status <= 504 ? 'SUBGRAPH_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR';
    return new GraphQLError(`Subgraph "${this.serviceName}" answered HTTP ${status}`, { extensions: { code } });
  }
}
