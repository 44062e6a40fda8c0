import { randomUUID } from 'node:crypto';

/** What one soak operation did: how long it took and whether the client saw an error. */
export interface Outcome {
  at: number;
  operation: string;
  ms: number;
  error?: string;
}

export interface Shopper {
  token: string;
  addressId: string;
}

const PAGE = '{ products(first: 10) { edges { node { id name price { amount currencyCode } stock { available } inStock rating { average count } } } } }';
const SEARCH = 'query($q: String) { searchProducts(query: $q, first: 10) { totalCount nodes { id name price { amount } } facets { field values { value count } } } }';
const ADD = 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { id subtotal { amount } items { quantity product { name } } } }';
const CHECKOUT = 'mutation($input: CheckoutInput!) { checkout(input: $input) { id total { amount } } }';
const PAY = 'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status } }';
const ORDERS = '{ me { orders(first: 10) { edges { node { id status total { amount } items { quantity product { name } } } } } } }';
const WORDS = ['shirt', 'blue', 'coffee', 'lamp', 'shoe', 'book', 'red', 'bag'];

/**
 * The steady mix a storefront sends: mostly catalogue pages and searches, carts, order
 * histories, and a checkout with payment now and then (every step a request of its own, as a
 * browser makes them). An operation is an error when the HTTP call fails or the answer carries
 * any GraphQL error.
 */
export function createOperations(options: { routerUrl: string; productIds: string[]; shoppers: Shopper[] }) {
  let n = 0;
  const pick = <T>(list: readonly T[]) => list[n % list.length]!;

  const call = async (query: string, variables: Record<string, unknown>, token?: string): Promise<any> => {
    const response = await fetch(options.routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    if (body.errors?.length) {
      const first = body.errors[0]!;
      throw new Error(`${first.extensions?.code ?? 'ERROR'}: ${first.message}`);
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return body.data;
  };

  const operations: Record<string, () => Promise<void>> = {
    page: async () => void (await call(PAGE, {})),
    search: async () => void (await call(SEARCH, { q: pick(WORDS) })),
    cart: async () => void (await call(ADD, { p: pick(options.productIds) })),
    orders: async () => void (await call(ORDERS, {}, pick(options.shoppers).token)),
    checkout: async () => {
      const shopper = pick(options.shoppers);
      const cart = await call(ADD, { p: pick(options.productIds) });
      const order = await call(
        CHECKOUT,
        { input: { cartId: cart.addToCart.id, shippingAddressId: shopper.addressId, shippingMethodId: 'standard', idempotencyKey: randomUUID() } },
        shopper.token,
      );
      await call(PAY, { id: order.checkout.id }, shopper.token);
    },
  };
  // Out of 20: 10 pages, 4 searches, 3 carts, 2 order histories, 1 checkout.
  const mix = [...Array(10).fill('page'), ...Array(4).fill('search'), ...Array(3).fill('cart'), ...Array(2).fill('orders'), 'checkout'] as string[];

  return {
    /** Runs the next operation of the mix and says how it went. */
    async next(): Promise<Outcome> {
      n += 1;
      const operation = mix[n % mix.length]!;
      const started = performance.now();
      try {
        await operations[operation]!();
        return { at: Date.now(), operation, ms: performance.now() - started };
      } catch (error) {
        return { at: Date.now(), operation, ms: performance.now() - started, error: (error as Error).message };
      }
    },
    call,
  };
}

/** Registers `count` shoppers with an address each, as the storefront's sign-up does. */
export async function registerShoppers(call: ReturnType<typeof createOperations>['call'], count: number): Promise<Shopper[]> {
  const shoppers: Shopper[] = [];
  for (let i = 0; i < count; i++) {
    const email = `soak-${randomUUID()}@soak.test`;
    const registered = await call('mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', {
      input: { email, password: 'a-strong-password-1', name: `Soak Shopper ${i + 1}` },
    });
    const token = registered.register.accessToken as string;
    const address = await call(
      'mutation($input: AddressInput!) { addAddress(input: $input) { id } }',
      { input: { name: `Soak Shopper ${i + 1}`, line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' } },
      token,
    );
    shoppers.push({ token, addressId: address.addAddress.id as string });
  }
  return shoppers;
}
