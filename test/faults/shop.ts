import { randomUUID } from 'node:crypto';
import { eventually as eventuallyRead, graphql, graphqlOk, until as untilHolds, type GraphQLResponse } from '@shop/testing';
import { ADMIN } from '../support/supergraph.js';

/** How long one request may take before it counts as hung: far past every subgraph deadline. */
export const HUNG_AFTER_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @shop/testing's `eventually` through a fault: a read that throws (the piece it asks is
 * restarting) counts as not done yet, and faults get longer to pass.
 */
export function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 90_000): Promise<T> {
  return eventuallyRead(() => read().catch((error: unknown) => error as T), done, timeoutMs);
}

/** @shop/testing's `until`, with the time a fault needs. */
export function until(what: string, condition: () => boolean, timeoutMs = 120_000): Promise<void> {
  return untilHolds(condition, what, timeoutMs);
}

/** Requests that never answer show up as `hung` instead of blocking the test. */
export function bounded(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse> {
  return graphql(url, query, variables, { ...(token ? { token } : {}), signal: AbortSignal.timeout(HUNG_AFTER_MS) });
}

export function isHung(error: unknown): boolean {
  return (error as Error)?.name === 'TimeoutError';
}

/** Workers calling `step` in a loop until stopped. */
export function runLoad(workers: number, step: (worker: number) => Promise<void>): { stop(): Promise<void> } {
  let running = true;
  const loops = Array.from({ length: workers }, async (_, worker) => {
    while (running) await step(worker);
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

export async function adminToken(url: string): Promise<string> {
  const data = await graphqlOk(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password });
  return data.login.accessToken;
}

export interface Buyer {
  token: string;
  addressId: string;
}

export async function registerBuyer(url: string): Promise<Buyer> {
  const email = `buyer-${randomUUID()}@faults.test`;
  const token = (
    await graphqlOk(url, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', {
      input: { email, password: 'a-strong-password-1', name: 'Fault Buyer' },
    })
  ).register.accessToken as string;
  const addressId = (
    await graphqlOk(url, 'mutation { addAddress(input: { name: "Fault Buyer", line1: "Hauptstr. 1", city: "Berlin", postalCode: "10115", country: "DE" }) { id } }', {}, { token })
  ).addAddress.id as string;
  return { token, addressId };
}

export interface PlacedOrder {
  id: string;
  quantity: number;
  /** Decimal string, e.g. "23.99". */
  total: string;
}

/**
 * What a careful client does: retry a failed step (a fault is under way) until it succeeds,
 * the checkout always with the same idempotency key and cart, so nothing is placed or paid twice.
 * Each try is bounded: a hung request fails the test through `onHung`.
 */
export async function buyOne(
  url: string | (() => string),
  buyer: Buyer,
  productId: string,
  options: { onHung(): void; onError?(step: string, error: string): void; quantity?: number; /** Default true. */ pay?: boolean },
): Promise<PlacedOrder> {
  const target = typeof url === 'string' ? () => url : url;
  // Faults pass: a step that keeps failing this long is a bug, reported with its last answer.
  const deadline = Date.now() + 120_000;
  const attempt = async <T>(step: string, run: () => Promise<GraphQLResponse>, done: (result: GraphQLResponse) => T | undefined): Promise<T> => {
    for (;;) {
      let failure: string;
      try {
        const result = await run();
        const value = done(result);
        if (value !== undefined) return value;
        failure = JSON.stringify(result.errors ?? result.data);
      } catch (error) {
        if (isHung(error)) options.onHung();
        failure = (error as Error).message;
      }
      options.onError?.(step, failure);
      if (Date.now() > deadline) throw new Error(`${step} kept failing: ${failure}`);
      await sleep(100);
    }
  };
  // A guest cart of its own per order: a retried add may add twice, the order says what it holds.
  const cartId = await attempt(
    'addToCart',
    () => bounded(target(), 'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { id } }', { p: productId, q: options.quantity ?? 1 }),
    (result) => result.data?.addToCart?.id as string | undefined,
  );
  const idempotencyKey = randomUUID();
  const order = await attempt(
    'checkout',
    () =>
      bounded(
        target(),
        'mutation($input: CheckoutInput!) { checkout(input: $input) { id total { amount } items { quantity } } }',
        { input: { cartId, shippingAddressId: buyer.addressId, shippingMethodId: 'standard', idempotencyKey } },
        buyer.token,
      ),
    (result) => {
      const placed = result.data?.checkout;
      if (!placed) return undefined;
      return { id: placed.id, total: placed.total.amount, quantity: placed.items.reduce((n: number, item: { quantity: number }) => n + item.quantity, 0) } as PlacedOrder;
    },
  );
  if (options.pay === false) return order;
  await attempt(
    'payOrder',
    () => bounded(target(), 'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status } }', { id: order.id }, buyer.token),
    (result) => {
      if (result.data?.payOrder?.status === 'SUCCEEDED') return true;
      // A retry after the payment went through: the order is paid already.
      const conflict = result.errors?.find((e) => e.extensions?.code === 'CONFLICT');
      if (conflict && (conflict.extensions?.paymentId || conflict.extensions?.status === 'PAID')) return true;
      return undefined;
    },
  );
  return order;
}

export async function stockOf(url: string, productId: string): Promise<{ available: number; reserved: number } | null> {
  const data = await graphqlOk(url, 'query($id: ID!) { product(id: $id) { stock { available reserved } } }', { id: productId });
  return data.product.stock;
}

/** Minor units of a decimal amount string ("23.99" -> 2399). */
export function minor(amount: string): number {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}
