import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppError } from '@shop/errors';
import { freePort, testServiceKey } from '@shop/testing';
import {
  CHECKOUT_CONTEXT_QUERY,
  createRouterCheckoutContextReader,
  RouterUnavailableError,
  type CheckoutContextReader,
} from '../src/checkoutContext.js';
import { startRouterStandIn, type RouterReply, type RouterStandIn } from './harness.js';

const ME = { addresses: [{ id: 'addr-1', country: 'DE', postalCode: '10115' }] };
const CART = {
  items: [
    { quantity: 2, product: { id: 'p-shirt', attributes: { weightGrams: 250 } } },
    { quantity: 1, product: { id: 'p-poster', attributes: { weightGrams: null } } },
  ],
  subtotal: { amount: '44.97', currencyCode: 'EUR' },
};

describe('the router checkout-context reader', () => {
  let router: RouterStandIn;
  let reader: CheckoutContextReader;
  let next: RouterReply;

  beforeAll(async () => {
    router = await startRouterStandIn(() => next);
    reader = createRouterCheckoutContextReader({ url: router.url, credentials: (await testServiceKey('shipping')).credentials, timeoutMs: 2_000 });
  });

  afterAll(async () => {
    await router?.stop();
  });

  async function read(reply: RouterReply) {
    next = reply;
    return reader.read({ cartId: 'cart-1', authorization: 'Bearer the-callers-token' });
  }

  it('sends ONE POST with the caller\'s Authorization verbatim, the request id and the cart id', async () => {
    router.requests.length = 0;
    next = { body: { data: { me: ME, cart: CART } } };
    const context = await reader.read({
      cartId: 'cart-1',
      authorization: 'Bearer the-callers-token',
      requestId: 'req-42',
      clientIp: '203.0.113.7',
    });

    expect(router.requests).toHaveLength(1);
    const [request] = router.requests;
    expect(request!.method).toBe('POST');
    expect(request!.headers.authorization).toBe('Bearer the-callers-token');
    expect(request!.headers['x-request-id']).toBe('req-42');
    expect(request!.headers['x-forwarded-for']).toBe('203.0.113.7');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body.variables).toEqual({ cartId: 'cart-1' });
    expect(request!.body.query).toBe(CHECKOUT_CONTEXT_QUERY);
    const compact = request!.body.query!.replace(/\s+/g, ' ');
    expect(compact).toContain('me { addresses { id country postalCode } }');
    expect(compact).toContain('cart(id: $cartId) { items { quantity product { id attributes { weightGrams } } } subtotal { amount currencyCode } }');

    expect(context).toEqual({
      addresses: [{ id: 'addr-1', country: 'DE', postalCode: '10115' }],
      cart: {
        lines: [
          { productId: 'p-shirt', quantity: 2, weightGrams: 250 },
          { productId: 'p-poster', quantity: 1, weightGrams: null },
        ],
        subtotal: { minor: 4497, currency: 'EUR' },
      },
    });
  });

  it('reads an unknown cart as null, whether the router says null or NOT_FOUND / FORBIDDEN at `cart`', async () => {
    expect((await read({ body: { data: { me: ME, cart: null } } })).cart).toBeNull();
    for (const code of ['NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT']) {
      const reply = { body: { data: { me: ME, cart: null }, errors: [{ message: 'no', path: ['cart'], extensions: { code } }] } };
      expect(await read(reply)).toEqual({ addresses: ME.addresses, cart: null });
    }
  });

  it('says UNAUTHENTICATED when the router does not know the caller', async () => {
    const refused = [
      { body: { data: { me: null, cart: null } } },
      { body: { data: { me: null, cart: null }, errors: [{ message: 'expired', path: ['me'], extensions: { code: 'UNAUTHENTICATED' } }] } },
      { status: 401, body: { errors: [{ message: 'bad token', extensions: { code: 'UNAUTHENTICATED' } }] } },
    ];
    for (const reply of refused) {
      const error = await read(reply).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('UNAUTHENTICATED');
    }
  });

  it('fails with RouterUnavailableError on anything it cannot use', async () => {
    const unusable: RouterReply[] = [
      { status: 502, body: 'Bad Gateway' },
      { status: 500, body: { errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } },
      // A product that failed to resolve takes the whole cart with it: not "unknown cart".
      { body: { data: { me: ME, cart: null }, errors: [{ message: 'down', path: ['cart', 'items', 0, 'product'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } },
      { body: { data: { me: ME, cart: { ...CART, subtotal: { amount: '1.999', currencyCode: 'EUR' } } } } },
      { body: { data: { me: ME, cart: { ...CART, items: [{ quantity: 0, product: { id: 'p', attributes: { weightGrams: 1 } } }] } } } },
      { body: { data: { me: ME, cart: { ...CART, items: [{ quantity: 1, product: { id: 'p', attributes: { weightGrams: -5 } } }] } } } },
      { body: { data: { me: { addresses: [{ id: 'a' }] }, cart: CART } } },
      { body: { data: null } },
    ];
    for (const reply of unusable) {
      await expect(read(reply)).rejects.toBeInstanceOf(RouterUnavailableError);
    }
  });

  it('fails with RouterUnavailableError when nothing listens', async () => {
    const nowhere = createRouterCheckoutContextReader({ url: `http://127.0.0.1:${await freePort()}/graphql`, credentials: (await testServiceKey('shipping')).credentials });
    await expect(nowhere.read({ cartId: 'c', authorization: 'Bearer t' })).rejects.toBeInstanceOf(RouterUnavailableError);
  });
});
