import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { graphqlOk } from '@shop/testing';
import { describeWithChromium } from './support/browser.js';
import { shopper } from './support/shop.js';
import { expectNoHorizontalOverflow, signUp } from './support/shopper.js';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';
import { buildWebApps } from './support/webApps.js';

// What a shopper chooses in the storefront, in headless Chromium against the real supergraph:
// the currency prices are shown in (kept across reloads, saved as a signed-in shopper's
// preference); and the dashboard's cookie session (admins only).
const root = join(new URL('.', import.meta.url).pathname, '..');
const shots = join(root, 'test-results');
const LONG = 180_000;
const PHONE = { width: 360, height: 780 };

type Product = { id: string; name: string; price: { amount: string; currencyCode: string } };

describeWithChromium('clientsChoices.e2e', 'shopper choices in the storefront, and the dashboard session', () => {
  let sg: Supergraph;
  let apps: Awaited<ReturnType<typeof buildWebApps>>;
  let product: Product;

  beforeAll(async () => {
    [apps, sg] = await Promise.all([buildWebApps(), startSupergraph()]);
    const api = shopper(sg.url);
    const admin = await api.admin();
    await graphqlOk(sg.url, 'mutation { setExchangeRate(from: "EUR", to: "JPY", rate: "160") { rate } }', {}, { token: admin });
    const listed = await graphqlOk(sg.url, '{ products(first: 1) { edges { node { id name price { amount currencyCode } } } } }');
    product = listed.products.edges[0].node;
    await api.setStock(admin, product.id, 40);
    await apps.serve(sg.url);
    mkdirSync(shots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await apps?.stop();
    await sg?.stop();
  });
  const browser = (viewport?: { width: number; height: number }) => apps.browser(viewport);

  const yen = async () =>
    (await graphqlOk(sg.url, 'query($id: ID!) { product(id: $id) { price(currency: "JPY") { amount currencyCode } } }', { id: product.id })).product.price as Product['price'];
  /** The digits of a price as shown ("¥2,080" -> "2080"). */
  const digits = async (page: Page, testid: string, within = page.locator('body')) => (await within.getByTestId(testid).first().textContent())!.replace(/[^0-9]/g, '');
  const card = (page: Page) => page.locator(`[data-testid="product-card"][data-product-id="${product.id}"]`);

  async function findOnCatalogue(page: Page) {
    await page.getByRole('searchbox', { name: 'Search products' }).fill(product.name);
    await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
    await card(page).waitFor();
  }

  it('a guest switches to yen: catalogue and product page follow, and the choice outlives a reload', async () => {
    const inYen = await yen();
    expect(inYen.currencyCode).toBe('JPY');
    expect(inYen.amount).toBe(String(Math.round(Number(product.price.amount) * 160)));
    const { page, pageErrors } = await browser(PHONE);
    await page.goto(apps.web.url);
    await findOnCatalogue(page);
    expect(await card(page).locator('.price').textContent()).toContain('€');

    await page.getByLabel('Currency').selectOption('JPY');
    await card(page).locator('.price', { hasText: '¥' }).waitFor();
    expect((await card(page).locator('.price').textContent())!.replace(/[^0-9]/g, '')).toBe(inYen.amount);
    await expectNoHorizontalOverflow(page);
    await page.screenshot({ path: join(shots, 'storefront-currency-phone.png') });

    await card(page).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: product.name }).waitFor();
    await page.getByTestId('product-price').filter({ hasText: '¥' }).waitFor();
    expect(await digits(page, 'product-price')).toBe(inYen.amount);

    await page.reload();
    await page.getByTestId('product-price').filter({ hasText: '¥' }).waitFor();
    await expect(page.getByLabel('Currency').inputValue()).resolves.toBe('JPY');
    await page.getByRole('link', { name: 'Shop' }).click();
    await findOnCatalogue(page);
    await card(page).locator('.price', { hasText: '¥' }).waitFor();

    // A guest's cart is in the store's currency, and the page says so.
    await card(page).getByRole('link').click();
    // Its first size: the product comes in sizes, and Add to cart waits for one.
    await page.getByRole('radiogroup', { name: 'Size' }).getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
    await page.getByRole('link', { name: /^Cart, / }).click();
    await page.getByTestId('cart-subtotal').filter({ hasText: '€' }).waitFor();
    await page.getByRole('note').filter({ hasText: 'Sign in to shop in JPY' }).waitFor();
    expect(pageErrors).toEqual([]);
  }, LONG);

  it("a shopper's choice is their preference: a new account keeps the guest's, the cart follows, a change is saved", async () => {
    const { page, pageErrors } = await browser();
    const email = 'yen-shopper@e2e.test';
    const password = 'a-strong-password-1';
    await page.goto(apps.web.url);
    await page.getByLabel('Currency').selectOption('JPY');
    await page.goto(`${apps.web.url}signin`);
    await signUp(page, { name: 'Yuki Yen', email, password });
    // Signed up and done (preference saved, guest cart merged): the page leaves the form.
    await page.waitForURL(apps.web.url);
    await page.getByTestId('account-email').waitFor();
    const preference = async () => (await graphqlOk(sg.url, 'query { me { preferences { currency } } }', {}, { token: await shopper(sg.url).login(email, password) })).me.preferences.currency;
    expect(await preference()).toBe('JPY');

    // The catalogue it lands on is in yen already.
    await page.getByTestId('product-card').first().locator('.price', { hasText: '¥' }).waitFor();
    await page.screenshot({ path: join(shots, 'storefront-currency.png') });

    // Signed in, the cart itself is priced in yen (the server's rule: the shopper's preference).
    await page.goto(`${apps.web.url}product/${product.id}`);
    await page.getByTestId('product-price').filter({ hasText: '¥' }).waitFor();
    await page.screenshot({ path: join(shots, 'storefront-product-currency.png') });
    // Its first size: the product comes in sizes, and Add to cart waits for one.
    await page.getByRole('radiogroup', { name: 'Size' }).getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
    await page.getByRole('link', { name: /^Cart, / }).click();
    await page.getByTestId('cart-subtotal').filter({ hasText: '¥' }).waitFor();
    expect(await digits(page, 'cart-subtotal')).toBe((await yen()).amount);
    expect(await page.getByTestId('cart-currency-note').count()).toBe(0);

    // Back to euros: saved on the account, the cart follows, and a reload keeps it.
    await page.getByLabel('Currency').selectOption('EUR');
    await page.getByTestId('cart-subtotal').filter({ hasText: '€' }).waitFor();
    expect(await preference()).toBe('EUR');
    await page.reload();
    await page.getByTestId('cart-subtotal').filter({ hasText: '€' }).waitFor();
    await expect(page.getByLabel('Currency').inputValue()).resolves.toBe('EUR');
    expect(pageErrors).toEqual([]);
  }, LONG);

  it('the dashboard keeps an admin signed in across a reload on its own HttpOnly cookie, and turns a customer away in words', async () => {
    const { page, context, pageErrors } = await browser();
    await page.goto(apps.dashboard.url);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Orders' }).waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByTestId('product-row').first().waitFor();
    await page.screenshot({ path: join(shots, 'admin-products.png') });
    // Nothing of the session is readable by script; the cookie is the dashboard's own.
    const stored = await page.evaluate(() => {
      const g = globalThis as unknown as { localStorage: { length: number }; sessionStorage: { length: number }; document: { cookie: string } };
      return { local: g.localStorage.length, session: g.sessionStorage.length, cookie: g.document.cookie };
    });
    expect(stored).toEqual({ local: 0, session: 0, cookie: '' });
    const cookies = await context.cookies(apps.dashboard.url.replace(/\/$/, '') + '/auth/refresh');
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['shop_admin_refresh', true, 'Strict']]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    await shopper(sg.url).register('not-an-admin@e2e.test', 'Casey Customer');
    await page.getByLabel('Email').fill('not-an-admin@e2e.test');
    await page.getByLabel('Password').fill('a-strong-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not an administrator' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await context.cookies(apps.dashboard.url.replace(/\/$/, '') + '/auth/refresh')).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, LONG);

  it("an admin's exchange rate and fixed price, set in the dashboard, are what shoppers in those currencies pay", async () => {
    const { page, pageErrors } = await browser();
    await page.goto(apps.dashboard.url);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('link', { name: 'Currencies' }).click();
    const rateForm = page.getByRole('form', { name: 'Set an exchange rate' });
    await rateForm.getByLabel('To').selectOption('USD');
    await rateForm.getByLabel('Rate').fill('1.10');
    await rateForm.getByRole('button', { name: 'Set rate' }).click();
    await rateForm.getByRole('status').filter({ hasText: '1 EUR = 1.10 USD saved.' }).waitFor();
    await page.getByTestId('rate-row').filter({ hasText: 'USD' }).filter({ hasText: '1.1' }).waitFor();
    await page.screenshot({ path: join(shots, 'admin-currencies.png') });

    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill(product.name);
    await page.getByRole('searchbox', { name: 'Search' }).press('Enter');
    await page.locator(`[data-testid="product-row"][data-product-id="${product.id}"]`).getByRole('button', { name: `Manage ${product.name}` }).click();
    const fixed = page.getByRole('form', { name: `Fixed price of ${product.name}` });
    await fixed.getByLabel('Currency').selectOption('GBP');
    await fixed.getByLabel('List price').fill('19.99');
    await fixed.getByRole('button', { name: 'Set price' }).click();
    await fixed.getByRole('status').filter({ hasText: 'GBP price saved.' }).waitFor();
    await page.getByTestId('fixed-prices').filter({ hasText: '£19.99' }).waitFor();

    // The storefront, in the same browser: pounds at the fixed price, dollars converted at the rate.
    const dollars = (await graphqlOk(sg.url, 'query($id: ID!) { product(id: $id) { price(currency: "USD") { amount } } }', { id: product.id })).product.price.amount as string;
    expect(dollars).toBe((Math.round(Number(product.price.amount) * 110) / 100).toFixed(2));
    await page.goto(`${apps.web.url}product/${product.id}`);
    await page.getByLabel('Currency').selectOption('GBP');
    await page.getByTestId('product-price').filter({ hasText: '£19.99' }).waitFor();
    await page.getByLabel('Currency').selectOption('USD');
    await page.getByTestId('product-price').filter({ hasText: '$' }).waitFor();
    expect(await digits(page, 'product-price')).toBe(dollars.replace('.', ''));
    expect(pageErrors).toEqual([]);
  }, LONG);
});
