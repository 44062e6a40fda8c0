import { unauthenticated } from '@shop/errors';
import { fromOutput, MoneyError, type Money } from '@shop/money';
import { createServiceClient, ServiceUnavailableError, type ServiceError, type ServiceCredentials } from '@shop/subgraph-kit';
import type { CartLine } from './rates.js';

/** A saved address of the caller, as far as shipping cares. */
export interface ShippingAddress {
  id: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** Not priced on yet; carried for surcharges on remote areas (islands) later. */
  postalCode: string;
}

/** The cart to ship. */
export interface CartSnapshot {
  lines: CartLine[];
  subtotal: Money;
}

/** What rating needs from other domains (users, cart, products), read as the caller. */
export interface CheckoutContext {
  /** Every address the caller has saved. */
  addresses: ShippingAddress[];
  /** Null when the cart does not exist or the caller may not read it. */
  cart: CartSnapshot | null;
}

/** Who asks, passed on so other domains apply their own ownership rules and logs line up. */
export interface CheckoutContextRequest {
  cartId: string;
  /** The caller's `Authorization` header, forwarded verbatim. */
  authorization: string;
  requestId?: string;
  clientIp?: string;
}

/**
 * Reads the caller's addresses and a cart with its products' weights. The real one asks the
 * router; tests may pass a stand-in. Throws UNAUTHENTICATED when the router does not know
 * the caller, and `RouterUnavailableError` when it cannot give a usable answer.
 */
export interface CheckoutContextReader {
  read(request: CheckoutContextRequest): Promise<CheckoutContext>;
}

export class RouterUnavailableError extends ServiceUnavailableError {
  override name = 'RouterUnavailableError';
}

// One request for everything: the router plans it across users, cart and products.
export const CHECKOUT_CONTEXT_QUERY = `query ShippingCheckoutContext($cartId: ID!) {
  me { addresses { id country postalCode } }
  cart(id: $cartId) {
    items { quantity product { id attributes { weightGrams } } }
    subtotal { amount currencyCode }
  }
}`;

// Codes with which the cart subgraph may say "no such cart for you" (or "not a cart id").
const UNKNOWN_CART_CODES = new Set(['NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT']);

interface ContextData {
  me?: unknown;
  cart?: unknown;
}

/** The router's public GraphQL API as the reader: one POST per call. */
export function createRouterCheckoutContextReader(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): CheckoutContextReader {
  const { credentials, ...where } = options;
  const router = createServiceClient({ service: 'Router', unavailableError: RouterUnavailableError, ...where, as: { credentials, audience: 'router' } });
  return {
    async read(request) {
      const body = await router.request<ContextData>(
        CHECKOUT_CONTEXT_QUERY,
        { cartId: request.cartId },
        { forward: { authorization: request.authorization, requestId: request.requestId, clientIp: request.clientIp } },
      );
      return toCheckoutContext(body.data, body.errors);
    },
  };
}

function toCheckoutContext(data: ContextData | null, errors: ServiceError[]): CheckoutContext {
  if (isUnauthenticated(errors)) throw unauthenticated();
  let cartUnknown = false;
  for (const error of errors) {
    const atCart = Array.isArray(error.path) && error.path.length === 1 && error.path[0] === 'cart';
    if (atCart && UNKNOWN_CART_CODES.has(String(error.extensions?.code))) {
      cartUnknown = true;
      continue;
    }
    throw new RouterUnavailableError(
      `Router failed at ${JSON.stringify(error.path ?? null)}: ${error.message} (${String(error.extensions?.code)})`,
    );
  }
  if (!data || typeof data !== 'object') throw malformed('no data');
  // Signed-in callers always have a `me`; none means the router did not accept the token.
  if (data.me === null) throw unauthenticated();
  return {
    addresses: readAddresses(data.me),
    cart: cartUnknown || data.cart === null ? null : readCart(data.cart),
  };
}

function isUnauthenticated(errors: ServiceError[]): boolean {
  return errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED');
}

function readAddresses(me: unknown): ShippingAddress[] {
  const addresses = (me as { addresses?: unknown } | undefined)?.addresses;
  if (!Array.isArray(addresses)) throw malformed('me.addresses is not a list');
  return addresses.map((address: { id?: unknown; country?: unknown; postalCode?: unknown } | null, i) => {
    if (typeof address?.id !== 'string' || typeof address.country !== 'string' || typeof address.postalCode !== 'string') {
      throw malformed(`me.addresses[${i}] lacks id, country or postalCode`);
    }
    return { id: address.id, country: address.country, postalCode: address.postalCode };
  });
}

function readCart(cart: unknown): CartSnapshot {
  const { items, subtotal: output } = (cart ?? {}) as { items?: unknown; subtotal?: unknown };
  if (!Array.isArray(items)) throw malformed('cart.items is not a list');
  let subtotal: Money;
  try {
    subtotal = fromOutput(output);
  } catch (error) {
    if (error instanceof MoneyError) throw malformed(`cart.subtotal: ${error.message}`);
    throw error;
  }
  const lines = items.map((item: { quantity?: unknown; product?: { id?: unknown; attributes?: { weightGrams?: unknown } } } | null, i) => {
    const quantity = item?.quantity;
    const productId = item?.product?.id;
    const weight = item?.product?.attributes?.weightGrams;
    if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity < 1) {
      throw malformed(`cart.items[${i}].quantity is not a positive whole number`);
    }
    if (typeof productId !== 'string') throw malformed(`cart.items[${i}].product has no id`);
    if (weight !== null && (typeof weight !== 'number' || !Number.isSafeInteger(weight) || weight < 0)) {
      throw malformed(`cart.items[${i}].product.attributes.weightGrams is not a weight`);
    }
    return { productId, quantity, weightGrams: weight };
  });
  return { lines, subtotal };
}

function malformed(what: string): RouterUnavailableError {
  return new RouterUnavailableError(`Router gave an unusable answer: ${what}`);
}
