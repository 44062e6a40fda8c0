import { fromOutput, type Money } from '@shop/money';
import { createServiceClient, ServiceUnavailableError, type ServiceCredentials } from '@shop/subgraph-kit';
import type { AddressSnapshot } from './model.js';

/** What checkout reads about the caller's cart, address and shipping choice. */
export interface CheckoutDetails {
  /** Null when the cart does not exist or the caller may not read it. */
  cart: {
    id: string;
    /** `variantId` null or absent: the line is the product sold in one form. */
    items: Array<{ productId: string; variantId?: string | null; quantity: number }>;
    promoCode: string | null;
    currency: string;
  } | null;
  /** The caller's saved address with the id asked for; null when they have none by that id. */
  address: AddressSnapshot | null;
  /** Null when the method is not offered for this cart and address. */
  rate: { id: string; name: string; priceMinor: number; currency: string; estimatedDays: number } | null;
}

export interface CheckoutRequest {
  cartId: string;
  addressId: string;
  methodId: string;
}

/**
 * The other domains as checkout sees them, through the router's public API and with the
 * caller's own `Authorization`, so cart, users and shipping apply their own access rules.
 */
export interface Storefront {
  /** Cart, address and shipping rate, in ONE request to the router. */
  checkoutDetails(authorization: string | undefined, request: CheckoutRequest): Promise<CheckoutDetails>;
  /** Empties the cart after a successful checkout. */
  clearCart(authorization: string | undefined, cartId: string): Promise<void>;
}

export class StorefrontUnavailableError extends ServiceUnavailableError {
  override name = 'StorefrontUnavailableError';
}

export const CHECKOUT_DETAILS_QUERY = `query OrdersCheckoutDetails($cartId: ID!, $addressId: ID!, $methodId: ID!) {
  cart(id: $cartId) { id promoCode subtotal { currencyCode } items { product { id } variant { id } quantity } }
  me { id addresses { id name line1 line2 city postalCode country } }
  shippingRate(methodId: $methodId, addressId: $addressId, cartId: $cartId) { id name price { amount currencyCode } estimatedDays }
}`;

export const CLEAR_CART_MUTATION = 'mutation OrdersClearCart($cartId: ID) { clearCart(cartId: $cartId) { id } }';

// Codes with which the owning subgraph says "there is no such thing for you" about one field.
const ABSENT_CODES = new Set(['NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT']);

interface DetailsData {
  cart?: { id?: unknown; promoCode?: unknown; subtotal?: { currencyCode?: unknown }; items?: Array<{ product?: { id?: unknown } | null; variant?: { id?: unknown } | null; quantity?: unknown }> } | null;
  me?: { addresses?: Array<Record<string, unknown>> } | null;
  shippingRate?: { id?: unknown; name?: unknown; price?: { amount?: unknown; currencyCode?: unknown }; estimatedDays?: unknown } | null;
}

export function createRouterStorefront(options: { url: string; credentials: ServiceCredentials; timeoutMs?: number }): Storefront {
  const { credentials, ...where } = options;
  const router = createServiceClient({ service: 'Router', unavailableError: StorefrontUnavailableError, ...where, as: { credentials, audience: 'router' } });
  const post = <T>(authorization: string | undefined, query: string, variables: Record<string, unknown>) =>
    router.request<T>(query, variables, { forward: { authorization } });

  return {
    async checkoutDetails(authorization, request) {
      const body = await post<DetailsData>(authorization, CHECKOUT_DETAILS_QUERY, {
        cartId: request.cartId,
        addressId: request.addressId,
        methodId: request.methodId,
      });
      const data = body.data;
      if (!data) throw new StorefrontUnavailableError(`Router gave no checkout details: ${JSON.stringify(body.errors)}`);
      const absent = new Set<string>();
      for (const error of body.errors) {
        const field = error.path?.[0];
        const code = String(error.extensions?.code);
        if ((field === 'cart' || field === 'shippingRate') && ABSENT_CODES.has(code)) absent.add(field);
        else throw new StorefrontUnavailableError(`Router failed on ${String(field)}: ${error.message}`);
      }
      // The caller passed orders' own token check; a router that does not know them is misconfigured.
      if (!data.me) throw new StorefrontUnavailableError('Router did not recognise the signed-in caller (JWKS_URL pointing elsewhere?)');
      return {
        cart: absent.has('cart') ? null : toCart(data.cart),
        address: toAddress(data.me.addresses, request.addressId),
        rate: absent.has('shippingRate') ? null : toRate(data.shippingRate),
      };
    },

    async clearCart(authorization, cartId) {
      const body = await post<{ clearCart?: unknown }>(authorization, CLEAR_CART_MUTATION, { cartId });
      if (body.errors.length) throw new StorefrontUnavailableError(`clearCart failed: ${body.errors[0]!.message}`);
    },
  };
}

function malformed(what: string): never {
  throw new StorefrontUnavailableError(`Router returned a malformed ${what}`);
}

function toCart(cart: DetailsData['cart']): CheckoutDetails['cart'] {
  if (!cart) return null;
  if (typeof cart.id !== 'string' || !Array.isArray(cart.items)) malformed('cart');
  const promoCode = cart.promoCode ?? null;
  if (promoCode !== null && typeof promoCode !== 'string') malformed('cart (promoCode)');
  const currency = cart.subtotal?.currencyCode;
  if (typeof currency !== 'string') malformed('cart (subtotal)');
  return {
    id: cart.id,
    promoCode,
    currency,
    items: cart.items.map((item) => {
      const productId = item.product?.id;
      const variantId = item.variant?.id ?? null;
      if (typeof productId !== 'string' || !Number.isInteger(item.quantity)) malformed('cart item');
      if (variantId !== null && typeof variantId !== 'string') malformed('cart item (variant)');
      return { productId, variantId, quantity: item.quantity as number };
    }),
  };
}

function toAddress(addresses: Array<Record<string, unknown>> | undefined, addressId: string): AddressSnapshot | null {
  if (!Array.isArray(addresses)) malformed('address book');
  const found = addresses.find((address) => address.id === addressId);
  if (!found) return null;
  const text = (key: string): string => {
    const value = found[key];
    if (typeof value !== 'string') malformed(`address (${key})`);
    return value;
  };
  const line2 = found.line2;
  if (line2 !== null && line2 !== undefined && typeof line2 !== 'string') malformed('address (line2)');
  return {
    addressId,
    name: text('name'),
    line1: text('line1'),
    line2: line2 ?? null,
    city: text('city'),
    postalCode: text('postalCode'),
    country: text('country'),
  };
}

function toRate(rate: DetailsData['shippingRate']): CheckoutDetails['rate'] {
  if (!rate) return null;
  if (typeof rate.id !== 'string' || typeof rate.name !== 'string' || !Number.isInteger(rate.estimatedDays)) malformed('shipping rate');
  let price: Money;
  try {
    price = fromOutput(rate.price);
  } catch {
    malformed('shipping price');
  }
  return { id: rate.id, name: rate.name, priceMinor: price.minor, currency: price.currency, estimatedDays: rate.estimatedDays as number };
}
