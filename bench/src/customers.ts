import { gql } from './support.js';

export interface Customer {
  token: string;
  addressId: string;
}

const ADDRESS = { name: 'Bench Buyer', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

export async function registerCustomer(url: string, email: string): Promise<Customer> {
  const data = await gql(url, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', {
    input: { email, password: 'bench-customer-password', name: 'Bench Buyer' },
  });
  const token: string = data.register.accessToken;
  const address = await gql(url, 'mutation($input: AddressInput!) { addAddress(input: $input) { id } }', { input: ADDRESS }, token);
  return { token, addressId: address.addAddress.id };
}

/** Cart then checkout, as a storefront does; resolves to the order id or the error code. */
export async function buy(
  url: string,
  customer: Customer,
  items: Array<{ productId: string; quantity: number }>,
  key: string,
): Promise<{ orderId?: string; code?: string }> {
  let cartId = '';
  for (const item of items) {
    const added = await gql(url, 'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { id } }', { p: item.productId, q: item.quantity }, customer.token);
    cartId = added.addToCart.id;
  }
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${customer.token}` },
    body: JSON.stringify({
      query: 'mutation($input: CheckoutInput!) { checkout(input: $input) { id } }',
      variables: { input: { cartId, shippingAddressId: customer.addressId, shippingMethodId: 'standard', idempotencyKey: key } },
    }),
  });
  const body = (await response.json()) as { data?: { checkout: { id: string } }; errors?: Array<{ extensions?: { code?: string } }> };
  if (body.errors?.length) {
    // A refused checkout leaves the cart full; empty it so the next attempt starts clean.
    await gql(url, 'mutation($id: ID) { clearCart(cartId: $id) { id } }', { id: cartId }, customer.token).catch(() => undefined);
    return { code: body.errors[0]?.extensions?.code ?? 'UNKNOWN' };
  }
  return { orderId: body.data!.checkout.id };
}
