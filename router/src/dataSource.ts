import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { RouterContext } from './context.js';

export interface SubgraphFetchEvent {
  service: string;
  durationMs: number;
  ok: boolean;
}

/**
 * Sends subgraph fetches with Node's own fetch (undici, keep-alive) and passes the caller's
 * identity and the request id on, so subgraphs can enforce ownership and logs line up.
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
    if (!this.onFetch) return super.process(options);
    const started = performance.now();
    let ok = false;
    try {
      const response = await super.process(options);
      ok = !response.errors?.length;
      return response;
    } finally {
      this.onFetch({ service: this.serviceName, durationMs: performance.now() - started, ok });
    }
  }
}
