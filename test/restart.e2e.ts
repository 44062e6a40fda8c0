import { afterAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphql, graphqlOk } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// `npm start` twice: the stack keeps PostgreSQL, the embedded product store and the in-process
// key-value stores (carts, APQ) in one data directory, so a restart loses nothing it acknowledged.
const dataDir = mkdtempSync(join(tmpdir(), 'shop-restart-'));
let running: Supergraph | null = null;
afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const apq = (url: string, body: object) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
    (r) => r.json() as Promise<{ data?: any; errors?: Array<{ extensions: { code: string } }> }>,
  );

describe('a restart of the stack', () => {
  it('finds every product, cart and persisted query it left', async () => {
    running = await startSupergraph({ dataDir });
    const { databases, keys } = running;
    let url = running.url;
    const token = (await graphqlOk(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password })).login.accessToken;
    const categoryId = (await graphqlOk(url, '{ categories { id } }')).categories[0].id;
    const created = await graphqlOk(
      url,
      'mutation($input: ProductInput!) { createProduct(input: $input) { id } }',
      { input: { sku: 'RESTART-0001', name: 'Survivor mug', categoryId, basePrice: { amount: '12.50', currencyCode: 'EUR' } } },
      { token },
    );
    const productId: string = created.createProduct.id;
    await graphqlOk(url, 'mutation($id: ID!) { updateProduct(id: $id, input: { name: "Survivor mug v2" }) { id } }', { id: productId }, { token });
    const catalog = (await graphqlOk(url, '{ products(first: 1) { totalCount } }')).products.totalCount;
    const cart = await graphqlOk(url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 3) { id } }', { p: productId });
    const cartId: string = cart.addToCart.id;
    const query = `{ product(sku: "RESTART-0001") { name } } # ${randomUUID()}`;
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    expect((await apq(url, { query, extensions: { persistedQuery } })).errors).toBeUndefined();
    await running.stop();
    running = null;

    running = await startSupergraph({ dataDir, databases, keys });
    url = running.url;
    const product = await graphqlOk(url, '{ product(sku: "RESTART-0001") { id name price { amount currencyCode } } }');
    expect(product.product).toEqual({ id: productId, name: 'Survivor mug v2', price: { amount: '12.50', currencyCode: 'EUR' } });
    expect((await graphqlOk(url, '{ products(first: 1) { totalCount } }')).products.totalCount).toBe(catalog);
    const kept = await graphqlOk(url, 'query($id: ID!) { cart(id: $id) { items { quantity product { id name } } } }', { id: cartId });
    expect(kept.cart.items).toEqual([{ quantity: 3, product: { id: productId, name: 'Survivor mug v2' } }]);
    expect(await apq(url, { extensions: { persistedQuery } })).toEqual({ data: { product: { name: 'Survivor mug v2' } } });
    // The restarted catalog still refuses a duplicate SKU: its unique indexes came back too.
    const duplicate = await graphql(
      url,
      'mutation($input: ProductInput!) { createProduct(input: $input) { id } }',
      { input: { sku: 'RESTART-0001', name: 'Impostor', categoryId, basePrice: { amount: '1.00', currencyCode: 'EUR' } } },
      { token },
    );
    expect(duplicate.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  }, 180_000);
});
