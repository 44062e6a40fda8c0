import { eventually, graphqlOk } from '@shop/testing';
import { ADMIN } from './supergraph.js';

/** What a customer or admin does through the router, step by step as the README shows it. */
export function shopper(url: string) {
  const login = async (email: string, password: string): Promise<string> =>
    (await graphqlOk(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: email, p: password })).login.accessToken;

  return {
    login,
    admin: () => login(ADMIN.email, ADMIN.password),

    async register(email: string, name: string, password = 'a-strong-password-1'): Promise<{ id: string; token: string }> {
      const data = await graphqlOk(url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken user { id } } }', { i: { email, password, name } });
      return { id: data.register.user.id, token: data.register.accessToken };
    },

    async setStock(adminToken: string, productId: string, quantity: number): Promise<void> {
      await graphqlOk(url, 'mutation($p: ID!, $q: Int!) { setStock(productId: $p, quantity: $q) { id } }', { p: productId, q: quantity }, { token: adminToken });
    },

    /** Cart, address, checkout and payment with the test card; resolves once the order is PAID. */
    async buy(token: string, items: Array<{ productId: string; quantity: number }>, key: string): Promise<string> {
      let cartId: string | undefined;
      for (const item of items) {
        const added = await graphqlOk(url, 'mutation($c: ID, $p: ID!, $q: Int!) { addToCart(cartId: $c, productId: $p, quantity: $q) { id } }', {
          c: cartId ?? null,
          p: item.productId,
          q: item.quantity,
        }, { token });
        cartId = added.addToCart.id;
      }
      const addressId = (
        await graphqlOk(url, 'mutation { addAddress(input: { name: "Erika Mustermann", line1: "Hauptstr. 1", city: "Berlin", postalCode: "10115", country: "DE" }) { id } }', {}, { token })
      ).addAddress.id;
      const orderId = (
        await graphqlOk(url, 'mutation($i: CheckoutInput!) { checkout(input: $i) { id } }', {
          i: { cartId, shippingAddressId: addressId, shippingMethodId: 'standard', idempotencyKey: key },
        }, { token })
      ).checkout.id;
      await graphqlOk(url, 'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status } }', { id: orderId }, { token });
      const status = await eventually(
        async () => (await graphqlOk(url, 'query($id: ID!) { order(id: $id) { status } }', { id: orderId }, { token })).order.status as string,
        (s) => s === 'PAID',
      );
      if (status !== 'PAID') throw new Error(`order ${orderId} stayed ${status}`);
      return orderId;
    },
  };
}
