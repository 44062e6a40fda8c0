import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readConfig, type Env } from '@shop/config';
import type { EventBus } from '@shop/events';
import type { CallerRole } from '@shop/subgraph-kit';
import { createTestDatabase, testTokenIssuer, callAsRouter, serviceTrustEnv } from '@shop/testing';
import type { CheckoutContextReader } from '../src/checkoutContext.js';
import { buildShippingConfig } from '../src/config.js';
import { createShippingSubgraph, type ShippingSubgraph } from '../src/server.js';

export async function token(userId: string, role: CallerRole = 'CUSTOMER'): Promise<string> {
  return (await testTokenIssuer()).sign(userId, role);
}

/** One request the stand-in router received. */
export interface ReceivedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: { query?: string; variables?: Record<string, unknown>; operationName?: string };
}

export interface RouterReply {
  status?: number;
  /** Sent as JSON unless it is a string. */
  body: unknown;
}

export interface RouterStandIn {
  url: string;
  requests: ReceivedRequest[];
  stop(): Promise<void>;
}

/** A stand-in for the router over real HTTP: records every request and answers with `reply`. */
export async function startRouterStandIn(reply: (request: ReceivedRequest) => RouterReply | Promise<RouterReply>): Promise<RouterStandIn> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const request: ReceivedRequest = { method: req.method ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : {} };
      requests.push(request);
      void Promise.resolve(reply(request)).then(({ status = 200, body }) => {
        const payload = typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' }).end(payload);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface AddressFixture {
  id: string;
  country: string;
  postalCode: string;
}

export interface CartFixture {
  ownerId: string;
  items: Array<{ productId: string; quantity: number; weightGrams: number | null }>;
  subtotal: string;
  currencyCode?: string;
}

/**
 * Answers the shipping query the way the router would from users, cart and products:
 * `me` from the verified bearer token, `cart` only for its owner (NOT_FOUND at `cart` for
 * anybody else, null for an unknown id). A cart named "cart-broken" fails the way a
 * products outage would surface.
 */
export function answerFromFixtures(fixtures: { addresses: Record<string, AddressFixture[]>; carts: Record<string, CartFixture> }) {
  return async (request: ReceivedRequest): Promise<RouterReply> => {
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    const caller = bearer ? await (await testTokenIssuer()).verify(bearer).catch(() => null) : null;
    if (!caller) {
      return { body: { data: { me: null, cart: null }, errors: [{ message: 'You must be signed in', path: ['me'], extensions: { code: 'UNAUTHENTICATED' } }] } };
    }
    const me = { addresses: fixtures.addresses[caller.userId] ?? [] };
    const cartId = String(request.body.variables?.cartId);
    if (cartId === 'cart-broken') {
      return {
        body: {
          data: { me, cart: null },
          errors: [{ message: 'Internal server error', path: ['cart', 'items', 0, 'product'], extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'products' } }],
        },
      };
    }
    const cart = fixtures.carts[cartId];
    if (!cart) return { body: { data: { me, cart: null } } };
    if (cart.ownerId !== caller.userId) {
      return { body: { data: { me, cart: null }, errors: [{ message: 'Cart not found', path: ['cart'], extensions: { code: 'NOT_FOUND' } }] } };
    }
    return {
      body: {
        data: {
          me,
          cart: {
            items: cart.items.map((item) => ({
              quantity: item.quantity,
              product: { id: item.productId, attributes: { weightGrams: item.weightGrams } },
            })),
            subtotal: { amount: cart.subtotal, currencyCode: cart.currencyCode ?? 'EUR' },
          },
        },
      },
    };
  };
}

/** The shipping subgraph on a fresh database and a free port. */
export async function startShipping(options: { env?: Env; reader?: CheckoutContextReader; bus?: EventBus } = {}): Promise<{
  url: string;
  databaseUrl: string;
  subgraph: ShippingSubgraph;
}> {
  const databaseUrl = await createTestDatabase('shipping');
  const { config } = readConfig(
    { DATABASE_URL: databaseUrl, JWKS_URL: (await testTokenIssuer()).jwksUrl, ...(await serviceTrustEnv('shipping')), LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', ...options.env },
    buildShippingConfig,
  );
  const subgraph = await createShippingSubgraph(config, {
    ...(options.reader ? { reader: options.reader } : {}),
    ...(options.bus ? { bus: options.bus } : {}),
  });
  const { url } = await subgraph.listen(0, '127.0.0.1');
  callAsRouter(url, 'shipping');
  return { url, databaseUrl, subgraph };
}
