import type { IncomingMessage } from 'node:http';
import type { AppError } from '@shop/errors';
import {
  createServiceCredentials,
  createServiceVerifier,
  headerValue,
  namedKeyRing,
  ROUTER_SERVICE,
  SERVICE_TOKEN_HEADER,
  type JSONWebKeySet,
  type KeyRing,
  type Logger,
  type ServiceCaller,
  type ServiceCredentials,
} from '@shop/subgraph-kit';
import { createServiceKeyDirectory, type ServiceKeyDirectory } from './serviceKeys.js';
import type { SubgraphEndpoint } from './supergraph.js';

/**
 * The services that may call the router on the internal path (a valid `x-service-token` for the
 * audience `router`): they read across subgraphs on behalf of the user whose token they pass on,
 * and are not held to the per-address limits that protect the public endpoint from clients.
 */
export const ROUTER_SERVICE_CALLERS: Readonly<Record<string, readonly string[]>> = {
  // Checkout reads the caller's cart, address and shipping rate.
  orders: [],
  // Paying reads the order being paid.
  payments: [],
  // Rates read the caller's address and cart; shipping an order reads the order.
  shipping: [],
  // A rebuild reads every product with its stock.
  search: [],
};

export interface RouterServiceIdentity {
  /** Signs the router's tokens to subgraphs, one audience (subgraph name) each. */
  readonly credentials: ServiceCredentials;
  /** Every service's public keys, as the router publishes them for the subgraphs (SERVICE_JWKS_URL). */
  readonly directory: ServiceKeyDirectory;
  /**
   * The internal caller a request proves with `x-service-token`: null when it carries none, an
   * UNAUTHENTICATED error when it carries one that is not valid (a forged header is refused, never
   * ignored, so nobody outside learns to pass for a service by trial).
   */
  serviceOf(req: IncomingMessage): Promise<{ service: ServiceCaller | null; error: AppError | null }>;
}

export function createRouterServiceIdentity(options: {
  key: KeyRing;
  subgraphs: () => readonly SubgraphEndpoint[];
  callers?: Readonly<Record<string, readonly string[]>>;
  logger: Logger;
}): RouterServiceIdentity {
  const key = namedKeyRing(ROUTER_SERVICE, options.key);
  const credentials = createServiceCredentials({ name: ROUTER_SERVICE, key: key.signing });
  const directory = createServiceKeyDirectory({ subgraphs: options.subgraphs, own: key.published, logger: options.logger });
  // The set in hand answers every known `kid`; only an unknown one asks the directory, which
  // collects the subgraphs' keys again at most every few seconds.
  let known: JSONWebKeySet | null = null;
  const keysFor = async (kid: string | undefined) => {
    if (!known?.keys.some((key) => key.kid === kid)) known = await directory.keySet();
    return known;
  };
  const verifier = createServiceVerifier({
    audience: ROUTER_SERVICE,
    keys: keysFor,
    callers: options.callers ?? ROUTER_SERVICE_CALLERS,
  });
  return {
    credentials,
    directory,
    async serviceOf(req) {
      const token = headerValue(req, SERVICE_TOKEN_HEADER);
      if (token === undefined) return { service: null, error: null };
      try {
        return { service: await verifier.verify(token), error: null };
      } catch (error) {
        return { service: null, error: error as AppError };
      }
    },
  };
}
