export interface GraphQLResponse<T = any> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  headers: Headers;
}

/** A plain HTTP GraphQL client, as a storefront would call the endpoint. */
export async function graphql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
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
  options: { token?: string; headers?: Record<string, string> } = {},
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
