import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, graphqlOk } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from '../../../test/support/supergraph.js';
import { EXIT, main } from '../src/cli.js';

// The admin's promotions, fixed prices and exchange rates through the CLI (in-process) against
// the real supergraph behind the real router; the storefront side is checked with what it shows.
let sg: Supergraph;
let home: string;

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: { HOME: home, SHOP_API_URL: sg.url } });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  sg = await startSupergraph();
  home = mkdtempSync(join(tmpdir(), 'shop-admin-commerce-'));
  expect((await cli(['login', '--email', ADMIN.email, '--password', ADMIN.password])).code).toBe(EXIT.OK);
}, 120_000);

afterAll(async () => {
  await sg?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('shop-admin: promotions, prices, exchange rates and account deletions', () => {
  it('creates, lists and shows promotion codes; refuses a taken code (exit 2) and an unknown kind (exit 1)', async () => {
    const created = await cli(['promotions', 'create', '--code', 'spring15', '--kind', 'percentage', '--value', '15', '--min-subtotal', '30.00', '--usage-limit', '100', '--per-customer', '1']);
    expect(created).toMatchObject({ code: EXIT.OK, stderr: '' });
    expect(created.stdout).toMatch(/SPRING15 +PERCENTAGE +15 % +30\.00 EUR +… \.\. … +0\/100 +1 +yes/);
    expect((await cli(['promotions', 'create', '--code', 'SHIPFREE', '--kind', 'FREE_SHIPPING'])).code).toBe(EXIT.OK);

    const listed = await cli(['promotions', 'list']);
    expect(listed.stdout).toMatch(/SHIPFREE[\s\S]*SPRING15[\s\S]*2 of 2 promotions/);
    expect((await cli(['promotions', 'show', 'Spring15'])).stdout).toMatch(/SPRING15/);
    expect((await cli(['promotions', 'show', 'NOPE'])).stdout).toMatch(/no promotion with the code NOPE/);

    const taken = await cli(['promotions', 'create', '--code', 'SPRING15', '--kind', 'FIXED_AMOUNT', '--value', '5']);
    expect(taken.code).toBe(EXIT.API_ERROR);
    expect(taken.stderr).toMatch(/CONFLICT \(input\.code\)/);
    expect((await cli(['promotions', 'create', '--code', 'X', '--kind', 'BOGO', '--value', '1'])).code).toBe(EXIT.USAGE);
  });

  it('sets exchange rates and fixed prices that the storefront then shows', async () => {
    const product = (await graphqlOk(sg.url, '{ products(first: 1) { edges { node { id price { amount } } } } }')).products.edges[0].node;
    const rate = await cli(['rates', 'set', 'eur', 'jpy', '160']);
    expect(rate).toMatchObject({ code: EXIT.OK });
    expect(rate.stdout).toMatch(/^1 EUR = 160 JPY/);
    expect((await cli(['rates', 'list'])).stdout).toMatch(/EUR +JPY +160/);
    const bad = await cli(['rates', 'set', 'EUR', 'USD', 'lots']);
    expect(bad.code).toBe(EXIT.API_ERROR);
    expect(bad.stderr).toMatch(/BAD_USER_INPUT \(rate\)/);

    const price = await cli(['prices', 'set', product.id, '--price', '29.00', '--currency', 'usd']);
    expect(price.code).toBe(EXIT.OK);
    expect(price.stdout).toMatch(/29\.00 USD/);
    const shown = await graphqlOk(
      sg.url,
      'query($id: ID!) { product(id: $id) { usd: price(currency: "USD") { amount currencyCode } jpy: price(currency: "JPY") { amount currencyCode } } }',
      { id: product.id },
    );
    expect(shown.product.usd).toEqual({ amount: '29.00', currencyCode: 'USD' });
    expect(shown.product.jpy).toEqual({ amount: String(Math.round(Number(product.price.amount) * 160)), currencyCode: 'JPY' });
  });

  it("follows a deleted account's erasure until every subgraph has erased", async () => {
    const signedUp = await graphqlOk(sg.url, 'mutation { register(input: { email: "leaving@e2e.test", password: "a-strong-password-1", name: "Lea" }) { accessToken user { id } } }');
    const { accessToken, user } = signedUp.register;
    await graphqlOk(sg.url, 'mutation { deleteMyAccount(password: "a-strong-password-1") }', {}, { token: accessToken });
    const shown = await eventually(() => cli(['users', 'deletion', user.id]), (out) => !out.stdout.includes('not yet'));
    expect(shown.code).toBe(EXIT.OK);
    expect(shown.stdout).toMatch(new RegExp(`${user.id} .* analytics, cart, inventory, notifications, orders, payments, products, users +- +\\d{4}-`));
    const unknown = await cli(['users', 'deletion', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(EXIT.API_ERROR);
    expect(unknown.stderr).toMatch(/NOT_FOUND/);
  });
});
