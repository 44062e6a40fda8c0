import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphqlOk } from '@shop/testing';
import type { CheckoutContext, CheckoutContextReader, CheckoutContextRequest } from '../src/checkoutContext.js';
import type { ShippingSubgraph } from '../src/server.js';
import { startShipping, token } from './harness.js';

const RATES = /* GraphQL */ `
  query Rates($addressId: ID!, $cartId: ID!) {
    shippingRates(addressId: $addressId, cartId: $cartId) { id price { amount currencyCode } }
  }
`;

/** Stands in for users, cart and products through the reader interface instead of HTTP. */
class StaticReader implements CheckoutContextReader {
  readonly requests: CheckoutContextRequest[] = [];
  constructor(private readonly contexts: Record<string, CheckoutContext>) {}
  async read(request: CheckoutContextRequest): Promise<CheckoutContext> {
    this.requests.push(request);
    return this.contexts[request.cartId] ?? { addresses: [], cart: null };
  }
}

const HOME = { id: 'home', country: 'de', postalCode: '10115' };
const line = { productId: 'p-1', quantity: 1, weightGrams: 1_000 };

describe('shipping with a stand-in checkout-context reader', () => {
  let shipping: { url: string; subgraph: ShippingSubgraph };
  let reader: StaticReader;
  let carol: string;

  beforeAll(async () => {
    reader = new StaticReader({
      'cart-eur': { addresses: [HOME], cart: { lines: [line], subtotal: { minor: 9_000, currency: 'EUR' } } },
      'cart-aud': { addresses: [HOME], cart: { lines: [line], subtotal: { minor: 9_000, currency: 'AUD' } } },
    });
    // No FREE_SHIPPING_THRESHOLD: nothing ships for free, however large the cart.
    shipping = await startShipping({ reader });
    carol = await token('carol');
  });

  afterAll(async () => {
    await shipping?.subgraph.stop();
  });

  it('hands the reader the cart id and the caller\'s Authorization header as sent', async () => {
    reader.requests.length = 0;
    const { shippingRates } = await graphqlOk(shipping.url, RATES, { addressId: 'home', cartId: 'cart-eur' }, { token: carol });
    expect(shippingRates).toEqual([
      { id: 'pickup', price: { amount: '0.00', currencyCode: 'EUR' } },
      { id: 'standard', price: { amount: '4.90', currencyCode: 'EUR' } },
      { id: 'express', price: { amount: '9.90', currencyCode: 'EUR' } },
    ]);
    expect(reader.requests).toEqual([
      { cartId: 'cart-eur', authorization: `Bearer ${carol}`, requestId: expect.any(String), clientIp: expect.any(String) },
    ]);
  });

  it('offers nothing for a cart in a currency the tariff has no prices in', async () => {
    const { shippingRates } = await graphqlOk(shipping.url, RATES, { addressId: 'home', cartId: 'cart-aud' }, { token: carol });
    expect(shippingRates).toEqual([]);
  });
});
