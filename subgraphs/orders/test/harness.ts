import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { readConfig } from '@shop/config';
import type { EventBus, EventEnvelope } from '@shop/events';
import type { KeyValueStore } from '@shop/kv';
import { createPostgres, type Postgres } from '@shop/postgres';
import type { CallerRole, Execution } from '@shop/subgraph-kit';
import { createTestDatabase, graphqlOk, testTokenIssuer, callAsRouter, serviceTrustEnv } from '@shop/testing';
import type { Catalog } from '../src/catalog.js';
import { buildOrdersConfig } from '../src/config.js';
import type { OrdersDatabase } from '../src/db/schema.js';
import type { Inventory } from '../src/inventory.js';
import { createOrdersSubgraph, type OrdersSubgraph } from '../src/server.js';
import type { CheckoutDetails, Storefront } from '../src/storefront.js';

export async function token(userId: string, role: CallerRole = 'CUSTOMER'): Promise<string> {
  return (await testTokenIssuer()).sign(userId, role);
}

export interface Item {
  productId: string;
  quantity: number;
}

/** The address every stand-in user has, and the shipping methods every stand-in offers. */
export const HOME = { id: 'addr-home', name: 'Alice Example', line1: 'Main St 1', line2: null, city: 'Berlin', postalCode: '10115', country: 'DE' };
export const STANDARD = 'standard';

/** Anything that can put items into a new cart for a user and say its id. */
export interface CartSource {
  addCart(ownerId: string, items: Item[]): string;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

function close(server: Server): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

function readJson(req: IncomingMessage): Promise<any> {
  return new Promise((resolve) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => resolve(JSON.parse(raw)));
  });
}

export interface ProductsStandIn {
  url: string;
  /** Every `_entities` request received: the product ids asked for. */
  requests: string[][];
  setPrice(productId: string, amount: string, currencyCode?: string): void;
  stop(): Promise<void>;
}

/**
 * A stand-in for the products subgraph over real HTTP: answers the `_entities` price query
 * from a price list (null for an unknown product) and records each request.
 */
export async function startProductsStandIn(prices: Record<string, string>, currencyCode = 'EUR'): Promise<ProductsStandIn> {
  const list = new Map(Object.entries(prices).map(([id, amount]) => [id, { amount, currencyCode }]));
  const requests: string[][] = [];
  const server = createServer(async (req, res) => {
    const body = (await readJson(req)) as { query: string; variables: { r: Array<{ __typename: string; id: string }> } };
    if (!body.query.includes('_entities') || !body.query.includes('... on Product')) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'unexpected query' }] }));
      return;
    }
    requests.push(body.variables.r.map((rep) => rep.id));
    const entities = body.variables.r.map((rep) => {
      const price = list.get(rep.id);
      return price ? { id: rep.id, price } : null;
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { _entities: entities } }));
  });
  return {
    url: await listen(server),
    requests,
    setPrice: (id, amount, code = currencyCode) => void list.set(id, { amount, currencyCode: code }),
    stop: () => close(server),
  };
}

export interface RouterRequest {
  operationName: string;
  authorization: string | undefined;
  variables: Record<string, unknown>;
}

export interface RouterStandIn extends CartSource {
  url: string;
  /** Every request received, in order. */
  requests: RouterRequest[];
  cartItems(cartId: string): Item[] | undefined;
  /** Sets a shipping method's price for every cart and address; null: not offered. */
  setRate(methodId: string, amount: string | null, currencyCode?: string): void;
  /** Answers the next requests with HTTP 503 while true. */
  failing: boolean;
  /** Answers `clearCart` with an error while true. */
  clearCartFails: boolean;
  stop(): Promise<void>;
}

/**
 * A stand-in for the router's public API over real HTTP, answering exactly the operations
 * orders sends: the checkout read (cart, `me.addresses`, `shippingRate`) and `clearCart`. It
 * verifies the forwarded token as the router would and applies the owners' rules: another
 * user's cart is NOT_FOUND, every user has the address `HOME`.
 */
export async function startRouterStandIn(): Promise<RouterStandIn> {
  const carts = new Map<string, { ownerId: string; items: Item[] }>();
  const rates = new Map<string, { amount: string; currencyCode: string }>([[STANDARD, { amount: '4.99', currencyCode: 'EUR' }]]);
  const requests: RouterRequest[] = [];
  let nextCart = 0;
  const standIn: RouterStandIn = {
    url: '',
    requests,
    failing: false,
    clearCartFails: false,
    addCart(ownerId, items) {
      nextCart += 1;
      const id = `cart-${nextCart}`;
      carts.set(id, { ownerId, items: items.map((item) => ({ ...item })) });
      return id;
    },
    cartItems: (cartId) => carts.get(cartId)?.items,
    setRate(methodId, amount, currencyCode = 'EUR') {
      if (amount === null) rates.delete(methodId);
      else rates.set(methodId, { amount, currencyCode });
    },
    stop: async () => undefined,
  };
  const server = createServer(async (req, res) => {
    const body = (await readJson(req)) as { query: string; variables: Record<string, string> };
    const operationName = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? 'anonymous';
    const authorization = req.headers.authorization;
    requests.push({ operationName, authorization, variables: body.variables });
    const send = (status: number, payload: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    if (standIn.failing) return send(503, { errors: [{ message: 'router unavailable' }] });
    let userId: string | null;
    try {
      userId = authorization ? (await (await testTokenIssuer()).verify(authorization.replace(/^Bearer /, ''))).userId : null;
    } catch {
      return send(200, { errors: [{ message: 'Invalid access token', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    const cart = carts.get(body.variables.cartId ?? '');
    const visible = cart && cart.ownerId === userId ? cart : null;
    if (operationName === 'OrdersCheckoutDetails') {
      const errors: unknown[] = [];
      if (!visible) errors.push({ message: 'Cart not found', path: ['cart'], extensions: { code: 'NOT_FOUND' } });
      const rate = rates.get(body.variables.methodId ?? '');
      return send(200, {
        data: {
          cart: visible && { id: body.variables.cartId, subtotal: { currencyCode: 'EUR' }, items: visible.items.map((i) => ({ product: { id: i.productId }, quantity: i.quantity })) },
          me: userId && { id: userId, addresses: [HOME] },
          shippingRate: rate && {
            id: body.variables.methodId,
            name: 'Standard',
            price: rate,
            estimatedDays: 3,
          },
        },
        ...(errors.length > 0 ? { errors } : {}),
      });
    }
    if (operationName === 'OrdersClearCart') {
      if (standIn.clearCartFails) return send(200, { data: null, errors: [{ message: 'cart store down', path: ['clearCart'] }] });
      if (!visible) return send(200, { data: null, errors: [{ message: 'Cart not found', path: ['clearCart'], extensions: { code: 'NOT_FOUND' } }] });
      visible.items = [];
      return send(200, { data: { clearCart: { id: body.variables.cartId } } });
    }
    return send(400, { errors: [{ message: `unexpected operation ${operationName}` }] });
  });
  standIn.url = await listen(server);
  standIn.stop = () => close(server);
  return standIn;
}

/**
 * In-process stand-ins for the router and inventory, for tests about what orders does with
 * orders (visibility, batching, status changes) rather than about checkout: every cart is
 * readable, every user has `HOME`, standard shipping is free, stock never runs out.
 */
export function inProcessCheckout(): CartSource & { storefront: Storefront; inventory: Inventory } {
  const carts = new Map<string, Item[]>();
  let nextCart = 0;
  return {
    addCart(_ownerId, items) {
      nextCart += 1;
      const id = `cart-${nextCart}`;
      carts.set(id, items);
      return id;
    },
    storefront: {
      async checkoutDetails(_authorization, request): Promise<CheckoutDetails> {
        const items = carts.get(request.cartId);
        return {
          cart: items ? { id: request.cartId, items, promoCode: null, currency: 'EUR' } : null,
          address: request.addressId === HOME.id ? { ...HOME, addressId: HOME.id } : null,
          rate: request.methodId === STANDARD ? { id: STANDARD, name: 'Standard', priceMinor: 0, currency: 'EUR', estimatedDays: 3 } : null,
        };
      },
      async clearCart() {},
    },
    inventory: {
      reserve: async (_authorization, _orderId, items) => ({ ok: true, status: 'ACTIVE', items }),
      release: async () => true,
    },
  };
}

export interface Harness {
  url: string;
  databaseUrl: string;
  subgraph: OrdersSubgraph;
  /** A separate connection to the subgraph's database, to count rows behind the API's back. */
  store: Postgres<OrdersDatabase>;
  rowCounts(): Promise<{ orders: number; items: number; history: number }>;
  /** Events in the outbox, oldest first (published or not). */
  outbox(type?: string): Promise<EventEnvelope[]>;
  stop(): Promise<void>;
}

export interface OrdersOptions {
  productsUrl?: string;
  routerUrl?: string;
  inventoryUrl?: string;
  catalog?: Catalog;
  storefront?: Storefront;
  inventory?: Inventory;
  bus?: EventBus;
  kv?: KeyValueStore;
  /** Another harness's database (default a fresh one). */
  databaseUrl?: string;
  execution?: Execution;
}

/** The orders subgraph on a fresh database (unless given one) and a free port. */
export async function startOrders(options: OrdersOptions): Promise<Harness> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase('orders'));
  const { config } = readConfig(
    {
      DATABASE_URL: databaseUrl,
      PRODUCTS_URL: options.productsUrl,
      ROUTER_URL: options.routerUrl,
      INVENTORY_URL: options.inventoryUrl,
      JWKS_URL: (await testTokenIssuer()).jwksUrl, ...(await serviceTrustEnv('orders')),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    },
    buildOrdersConfig,
  );
  const { catalog, storefront, inventory, bus, kv, execution } = options;
  const subgraph = await createOrdersSubgraph(config, {
    ...(execution ? { execution } : {}),
    ...(catalog ? { catalog } : {}),
    ...(storefront ? { storefront } : {}),
    ...(inventory ? { inventory } : {}),
    ...(bus ? { bus } : {}),
    ...(kv ? { kv } : {}),
  });
  const { url } = await subgraph.listen(0, '127.0.0.1');
  callAsRouter(url, 'orders');
  const store = createPostgres<OrdersDatabase>({ url: databaseUrl, maxConnections: 2 });
  return {
    url,
    databaseUrl,
    subgraph,
    store,
    async rowCounts() {
      const { rows } = await sql<{ orders: number; items: number; history: number }>`
        SELECT (SELECT count(*) FROM orders) AS orders,
               (SELECT count(*) FROM order_items) AS items,
               (SELECT count(*) FROM order_status_history) AS history`.execute(store.db);
      return rows[0]!;
    },
    async outbox(type) {
      const { rows } = await sql<{ event: EventEnvelope }>`
        SELECT event FROM event_outbox WHERE ${type ?? null}::text IS NULL OR type = ${type ?? null} ORDER BY seq`.execute(store.db);
      return rows.map((row) => row.event);
    },
    async stop() {
      await subgraph.stop();
      await store.destroy();
    },
  };
}

export const ORDER_FIELDS = `
  id orderNumber status createdAt
  user { id }
  items { product { id } quantity unitPrice { amount currencyCode } lineTotal { amount currencyCode } }
  subtotal { amount currencyCode }
  shipping { amount currencyCode }
  discount { amount currencyCode }
  total { amount currencyCode }
  shippingMethodId
  shippingAddress { name line1 line2 city postalCode country }
  paymentFailures
  statusHistory { status at reason }
`;

export const CHECKOUT = `mutation($input: CheckoutInput!) { checkout(input: $input) { ${ORDER_FIELDS} } }`;

let keys = 0;
/** A fresh idempotency key per call. */
export function newKey(): string {
  keys += 1;
  return `test-key-${Date.now()}-${keys}`;
}

/** The checkout input for a cart: home address, standard shipping, a fresh key. */
export function checkoutInput(cartId: string, overrides: Partial<Record<'shippingAddressId' | 'shippingMethodId' | 'idempotencyKey', string>> = {}) {
  return { cartId, shippingAddressId: HOME.id, shippingMethodId: STANDARD, idempotencyKey: newKey(), ...overrides };
}

/** Puts `items` into a new cart of the token's user, checks it out through the API and returns the order id. */
export async function placeOrder(url: string, carts: CartSource, userToken: string, items: Item[]): Promise<string> {
  const { userId } = await (await testTokenIssuer()).verify(userToken);
  const input = checkoutInput(carts.addCart(userId, items));
  const data = await graphqlOk<{ checkout: { id: string } }>(url, CHECKOUT, { input }, { token: userToken });
  return data.checkout.id;
}
