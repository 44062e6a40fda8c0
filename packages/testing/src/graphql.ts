import { routerHeadersFor } from './services.js';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  headers: Headers;
}

export interface GraphQLCallOptions {
  token?: string;
  headers?: Record<string, string>;
  /** False: no router token even to a subgraph under test (`callAsRouter`), as a stranger calling its port. */
  viaRouter?: boolean;
  signal?: AbortSignal;
}

/**
 * A plain HTTP GraphQL client, as a storefront would call the endpoint; to a subgraph under test
 * (`callAsRouter`) it also carries the test router's token, as the router's own fetches do.
 */
export async function graphql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: GraphQLCallOptions = {},
): Promise<GraphQLResponse<T>> {
  const router = options.viaRouter === false ? {} : await routerHeadersFor(url);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...router, ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }), ...(options.signal ? { signal: options.signal } : {}) });
  const text = await response.text();
  let body: { data?: T; errors?: GraphQLResponse['errors'] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`Non-JSON response (${response.status}): ${text.slice(0, 500)}`);
  }
  return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
}

/** Same, but fails loudly on any GraphQL error: for steps that must succeed. */
export async function graphqlOk<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: GraphQLCallOptions = {},
): Promise<T> {
  const result = await graphql<T>(url, query, variables, options);
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  }
  return result.data;
}

/** The `extensions.code` of each error, for assertions. */
export function errorCodes(result: GraphQLResponse): string[] {
  return (result.errors ?? []).map((e) => String(e.extensions?.code));
}
