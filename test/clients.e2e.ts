import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { graphqlOk } from '@shop/testing';
import { DASHBOARD_SESSION } from '../scripts/src/sessionEndpoints.js';
import { startStorefront, type Storefront } from '../scripts/src/storefront.js';
import { buildApp, describeWithChromium, openBrowser, type BrowserSession } from './support/browser.js';
import { expectNoHorizontalOverflow, fillAddress, search, signUp, until } from './support/shopper.js';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// Both web apps in headless Chromium against the real supergraph, driven as people would: a
// shopper (on a desktop and on a 390x844 phone) from search to a paid order, the service worker
// offline, and the admin shipping that order and seeing it in the sales charts, live.
const root = join(new URL('.', import.meta.url).pathname, '..');
const shots = join(root, 'test-results');
const LONG = 180_000;
const PHONE = { width: 390, height: 844 };

describeWithChromium('clients.e2e', 'the storefront and the admin dashboard in headless Chromium', () => {
  let sg: Supergraph;
  let web: Storefront;
  let admin: Storefront;
  const builds: Array<{ remove(): void }> = [];
  const browsers: BrowserSession[] = [];
  let product: { id: string; name: string; variants: Array<{ id: string; sku: string; name: string; size: string }> };
  const orders: Array<{ email: string; orderNumber: string; orderId: string }> = [];

  beforeAll(async () => {
    const [webBuild, adminBuild, started] = await Promise.all([buildApp('web'), buildApp('admin-web'), startSupergraph()]);
    builds.push(webBuild, adminBuild);
    sg = started;
    const login = await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password });
    const listed = await graphqlOk(sg.url, '{ products(first: 100) { edges { node { id name variants { id sku name size } } } } }');
    const nodes: Array<typeof product> = listed.products.edges.map((e: { node: typeof product }) => e.node);
    await graphqlOk(sg.url, 'mutation($levels: [StockLevelInput!]!) { setStockLevels(levels: $levels) { id } }', { levels: nodes.map((n, i) => ({ productId: n.id, quantity: 100 + i })) }, { token: login.login.accessToken });
    product = nodes[7]!;
    web = await startStorefront({ port: 0, distDir: webBuild.dir, routerUrl: sg.url });
    admin = await startStorefront({ port: 0, distDir: adminBuild.dir, routerUrl: sg.url, session: DASHBOARD_SESSION });
    mkdirSync(shots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await web?.stop();
    await admin?.stop();
    await sg?.stop();
    for (const build of builds) build.remove();
  });

  async function browser(options: { viewport?: { width: number; height: number }; serviceWorkers?: 'allow' | 'block'; app?: Storefront } = {}) {
    const session = await openBrowser({ origins: [new URL((options.app ?? web).url).origin], ...options });
    browsers.push(session);
    return session;
  }

  /** Registers, searches, fills the cart, checks out, is declined once, pays and sees PAID arrive. */
  async function shopperJourney(page: Page, who: { email: string; phone: boolean }) {
    const catalogueGets: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'GET' && request.url().includes('/graphql?')) catalogueGets.push(request.url());
    });
    await page.goto(web.url);
    await page.getByTestId('product-card').first().waitFor();
    if (who.phone) {
      // The filters are folded away so products come first; the page fits the phone.
      expect(await page.getByTestId('facets').getAttribute('open')).toBeNull();
      await expectNoHorizontalOverflow(page);
    }

    const word = product.name.split(/\s+/).sort((a, b) => b.length - a.length)[0]!;
    await search(page, word);
    const card = page.locator(`[data-testid="product-card"][data-product-id="${product.id}"]`);
    await card.waitFor();
    // Filters sit beside the results on a desktop, folded behind one button on a phone.
    if (who.phone) await page.getByTestId('facets-toggle').click();
    expect(await page.getByRole('group', { name: 'Brand' }).getByRole('checkbox').count()).toBeGreaterThan(0);
    // Public catalogue queries went out as hashed GETs (automatic persisted queries).
    expect(catalogueGets.some((url) => url.includes('operationName=Catalogue') && url.includes('sha256Hash'))).toBe(true);
    await page.screenshot({ path: join(shots, `storefront-search${who.phone ? '-phone' : ''}.png`) });
    await card.getByTestId('product-link').click();

    // The product page replaces the results page: wait for its heading, not the one still showing.
    await page.getByRole('heading', { level: 1, name: product.name }).waitFor();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(product.name);
    expect(await page.getByTestId('product-stock').getAttribute('data-in-stock')).toBe('true');
    // The T-shirt comes in sizes: nothing is added until the shopper picks one, by its label,
    // and then the page shows that size's price.
    const addToCart = page.getByRole('button', { name: 'Add to cart' });
    expect(await addToCart.isDisabled()).toBe(true);
    expect(await page.getByTestId('variant-hint').textContent()).toBe('Choose a size above to add it to your cart.');
    const size = product.variants.at(-1)!;
    await page.getByRole('radiogroup', { name: 'Size' }).getByRole('radio', { name: size.size, exact: true }).check();
    const sizePrice = (await page.locator(`[data-testid="variant"][data-variant-id="${size.id}"] .price`).textContent())!;
    await page.getByTestId('product-price').filter({ hasText: sizePrice }).waitFor();
    expect(await page.getByTestId('variant-hint').count()).toBe(0);
    await page.getByLabel('Quantity', { exact: true }).fill('2');
    await addToCart.click();
    await expect(page.getByRole('status').filter({ hasText: 'Added to your cart' }).textContent()).resolves.toContain('2 items');
    if (who.phone) await expectNoHorizontalOverflow(page);

    await page.getByRole('link', { name: 'Cart, 2 items' }).click();
    await page.getByTestId('cart-item').waitFor();
    // The line is that size, at its price.
    expect(await page.getByTestId('cart-variant').textContent()).toBe(`${size.name} ${size.sku}`);
    expect(await page.getByTestId('cart-item').textContent()).toContain(`${sizePrice} each`);
    const quantity = page.getByLabel(`Quantity of ${product.name} (${size.name})`);
    expect(await quantity.inputValue()).toBe('2');
    await quantity.fill('3');
    await quantity.press('Enter');
    await page.getByRole('link', { name: 'Cart, 3 items' }).waitFor();
    if (who.phone) await expectNoHorizontalOverflow(page);
    await page.getByRole('button', { name: 'Checkout' }).click();

    // A weak password is refused with the server's reason; a good one merges the guest cart.
    await signUp(page, { name: 'Web Buyer', email: who.email, password: '123' });
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/Password must/);
    await signUp(page, { name: 'Web Buyer', email: who.email, password: 'a-strong-password-1' });
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    expect(await page.getByTestId('account-email').textContent()).toBe(who.email);

    await fillAddress(page, { name: 'Erika Mustermann', street: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'Germany' });
    await page.getByRole('radio', { name: /Erika Mustermann, Hauptstr\. 1, 10115 Berlin, Germany/ }).waitFor();
    await page.getByTestId(/^rate-/).first().check();
    if (who.phone) await expectNoHorizontalOverflow(page);
    // The order page's subscription is the next one at orders (checkout's hold warning is cart's, and ends with the page).
    const atOrders = sg.subgraphs.orders!.activeSubscriptions();
    await page.getByRole('button', { name: 'Place order' }).click();

    await page.getByTestId('order-page').waitFor();
    const status = page.getByTestId('order-status');
    expect(await status.getAttribute('data-status')).toBe('PENDING_PAYMENT');
    expect(await status.textContent()).toBe('Awaiting payment');
    expect(await page.getByTestId('order-item').count()).toBe(1);
    expect(await page.getByTestId('order-variant').textContent()).toBe(`${size.name} ${size.sku}`);
    expect(await page.getByTestId('order-address').textContent()).toContain('10115 Berlin, Germany');
    expect((await page.getByTestId('order-method').textContent())!.length).toBeGreaterThan(0);
    await page.locator('[data-testid="live-status"][data-ws="connected"]').waitFor();
    // The router holds the subscription upstream before we pay, so no event can be missed.
    await until(page, () => sg.subgraphs.orders!.activeSubscriptions() > atOrders && sg.subscriptionsInEffect(), 'the subscription in effect at orders');
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));

    await page.getByRole('radio', { name: /Declined test card/ }).check();
    await page.getByRole('button', { name: /^Pay / }).click();
    await expect(page.getByTestId('payment-failed').textContent()).resolves.toMatch(/declined/i);
    expect(await status.getAttribute('data-status')).toBe('PENDING_PAYMENT');

    await page.getByRole('radio', { name: /Visa test card/ }).check();
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.locator('[data-testid="order-status"][data-status="PAID"]').waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toBe('Paid');
    expect(await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await page.getByTestId('status-history').locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-status')))).toEqual(['PENDING_PAYMENT', 'PAID']);
    if (who.phone) await expectNoHorizontalOverflow(page);
    await page.screenshot({ path: join(shots, `storefront-order${who.phone ? '-phone' : ''}.png`), fullPage: true });
    const orderNumber = (await page.getByTestId('order-number').textContent())!;
    const orderId = (await page.getByTestId('order-page').getAttribute('data-order-id'))!;
    orders.push({ email: who.email, orderNumber, orderId });

    // The order can be found again under "My orders".
    await page.getByRole('link', { name: 'My orders', exact: true }).click();
    const row = page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`);
    await expect(row.getByTestId('order-status-badge').textContent()).resolves.toBe('Paid');
    expect(await row.textContent()).toContain('3 items');
    // The search box shows nothing outside search results.
    expect(await page.getByRole('searchbox', { name: 'Search products' }).inputValue()).toBe('');
  }

  it('a shopper on a desktop: search, cart, sign-up, checkout, a declined card, then PAID live, and My orders', async () => {
    const { page, pageErrors, close } = await browser();
    await shopperJourney(page, { email: 'desk-buyer@e2e.test', phone: false });

    // Preferences: German formats money and dates everywhere from then on.
    await page.getByTestId('account-link').click();
    await page.getByLabel('Language and number format').selectOption('de-DE');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByRole('status').filter({ hasText: 'Preferences saved.' }).waitFor();
    await page.getByRole('link', { name: 'My orders', exact: true }).click();
    await page.locator('[data-testid="order-row"]', { hasText: /\d+,\d{2}\s€/ }).waitFor();
    expect(pageErrors).toEqual([]);
    // Its subscriptions end with it, so the next test counts only its own.
    await close();
  }, LONG);

  it('a shopper on a 390x844 phone: the same journey, nothing wider than the screen', async () => {
    const { page, pageErrors, close } = await browser({ viewport: PHONE });
    await shopperJourney(page, { email: 'phone-buyer@e2e.test', phone: true });
    expect(pageErrors).toEqual([]);
    await close();
  }, LONG);

  it('keeps the refresh token in an HttpOnly cookie the page cannot read: nothing in localStorage, a reload stays signed in, sign-out revokes it', async () => {
    const email = 'cookie-shopper@e2e.test';
    await graphqlOk(sg.url, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', { input: { email, password: 'a-strong-password-1', name: 'Cookie' } });
    const { page, context, pageErrors, close } = await browser();
    await page.goto(new URL('/signin?next=/orders', web.url).toString());
    const form = page.getByTestId('sign-in-form');
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Password').fill('a-strong-password-1');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('orders-page').waitFor();
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'shop_refresh');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth/refresh' });
    const stored = await page.evaluate(() => {
      const g = globalThis as unknown as { localStorage: Record<string, string>; sessionStorage: Record<string, string>; document: { cookie: string } };
      return JSON.stringify([Object.entries(g.localStorage), Object.entries(g.sessionStorage), g.document.cookie]);
    });
    expect(stored).not.toContain(cookie!.value);
    expect(stored).not.toMatch(/eyJ[\w-]+\.eyJ/);

    // A reload keeps the shopper on their orders: the page asks /auth/refresh for a new access token.
    await page.reload();
    await page.getByTestId('orders-page').waitFor();
    expect(await page.getByTestId('account-email').textContent()).toBe(email);

    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-link').waitFor();
    expect((await context.cookies()).filter((c) => c.name === 'shop_refresh')).toEqual([]);
    // The old cookie's session is revoked on the server too, not only forgotten by the browser.
    const replay = await fetch(new URL('/auth/refresh', web.url), { method: 'POST', headers: { cookie: `shop_refresh=${cookie!.value}`, 'x-csrf-protection': '1' } });
    expect(replay.status).toBe(401);
    await page.goto(new URL('/orders', web.url).toString());
    await page.getByTestId('sign-in-form').waitFor();
    expect(pageErrors).toEqual([]);
    await close();
  }, LONG);

  it('keeps the shell and the last catalogue page offline (web app manifest and service worker)', async () => {
    const { page, context, pageErrors } = await browser({ serviceWorkers: 'allow' });
    await page.goto(web.url);
    const manifest = await page.evaluate(async () => {
      const link = (globalThis as unknown as { document: { querySelector(s: string): { href: string } | null } }).document.querySelector('link[rel="manifest"]');
      return link ? ((await (await fetch(link.href)).json()) as { name: string; start_url: string; icons: unknown[] }) : null;
    });
    expect(manifest).toMatchObject({ name: 'Shop', start_url: '/' });
    expect(manifest!.icons.length).toBeGreaterThan(0);
    // Once the worker controls the page, the catalogue's hashed GETs go through it and are kept.
    await page.evaluate(async () => {
      const sw = (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown>; controller: unknown } } }).navigator.serviceWorker;
      await sw.ready;
    });
    await page.reload();
    await page.waitForFunction(() => (globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator.serviceWorker.controller !== null);
    await page.getByTestId('product-card').first().waitFor();
    const names = await page.getByTestId('product-card').locator('.name').allTextContents();

    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('product-card').first().waitFor();
    expect(await page.getByTestId('product-card').locator('.name').allTextContents()).toEqual(names);
    await context.setOffline(false);
    expect(pageErrors).toEqual([]);
  }, LONG);

  it('the admin ships the paid order and sees it in the sales charts, which follow new orders live', async () => {
    const { page, pageErrors } = await browser({ app: admin });
    await page.goto(admin.url);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Paid orders, filtered by status; the shoppers' orders are there.
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    await page.getByLabel('Status').selectOption({ label: 'Paid' });
    const shipped = orders[0]!;
    const row = page.locator(`[data-testid="order-row"][data-order-id="${shipped.orderId}"]`);
    await row.waitFor();
    expect(await page.getByTestId('order-status').evaluateAll((cells) => cells.every((c) => c.getAttribute('data-status') === 'PAID'))).toBe(true);
    await row.getByRole('link', { name: shipped.orderNumber }).click();
    // The warehouse picks the size the shopper chose: its SKU, not the product's.
    await expect(page.getByTestId('order-item-sku').textContent()).resolves.toBe(product.variants.at(-1)!.sku);

    await page.getByRole('button', { name: 'Start fulfilment' }).click();
    await page.locator('[data-testid="order-status"][data-status="FULFILLING"]').waitFor();
    await page.getByLabel('Carrier').fill('DHL');
    await page.getByLabel('Tracking number').fill('JD0146000012345');
    await page.getByRole('button', { name: 'Ship' }).click();
    await page.locator('[data-testid="order-status"][data-status="SHIPPED"]').waitFor();
    expect(await page.getByTestId('shipment').textContent()).toContain('JD0146000012345');
    await page.screenshot({ path: join(shots, 'admin-order.png'), fullPage: true });

    // The sales page: the shipped order counts under "Shipped", its product among the top sellers.
    await page.getByRole('link', { name: 'Sales' }).click();
    const statusBar = (status: string) => page.locator(`[data-testid="status-chart-bar"][data-key="${status}"]`);
    await page.locator('[data-testid="status-chart-bar"][data-key="SHIPPED"][data-value="1"]').waitFor();
    await page.locator(`[data-testid="top-products-chart-bar"][data-key="${product.id}"]`).waitFor();
    const paidBefore = Number(await statusBar('PAID').getAttribute('data-value'));
    const ordersBefore = Number(await page.getByTestId('kpi-orders').textContent());
    await page.screenshot({ path: join(shots, 'admin-sales.png'), fullPage: true });

    // A new order paid elsewhere shows up without a reload.
    await placePaidOrderThroughTheApi('live-buyer@e2e.test');
    await page.locator(`[data-testid="status-chart-bar"][data-key="PAID"][data-value="${paidBefore + 1}"]`).waitFor();
    await page.locator('[data-testid="kpi-orders"]', { hasText: String(ordersBefore + 1) }).waitFor();
    expect(pageErrors).toEqual([]);
  }, LONG);

  it('the admin creates, edits and stocks a product per warehouse, and makes a customer an administrator', async () => {
    const { page, pageErrors } = await browser({ app: admin });
    await page.goto(admin.url);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Products' }).click();

    await page.getByTestId('new-product').click();
    const form = page.getByTestId('product-form');
    await form.getByLabel('SKU').fill('E2E-LAMP-1');
    await form.getByLabel('Name').fill('Zeppelin Desk Lamp');
    await form.getByLabel('Category').selectOption({ index: 0 });
    await form.getByLabel('Price (EUR)').fill('49.90');
    await form.getByRole('button', { name: 'Create product' }).click();
    await form.getByRole('status').filter({ hasText: 'Product created.' }).waitFor();

    await page.getByRole('searchbox', { name: 'Search' }).fill('Zeppelin');
    await page.getByRole('searchbox', { name: 'Search' }).press('Enter');
    const row = page.getByTestId('product-row').filter({ hasText: 'E2E-LAMP-1' });
    await row.getByRole('button', { name: 'Manage Zeppelin Desk Lamp' }).click();
    const edit = page.getByRole('form', { name: 'Edit Zeppelin Desk Lamp' });
    await edit.getByLabel('Name').fill('Zeppelin Desk Lamp, brass');
    await edit.getByLabel(/Base price/).fill('54.90');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.getByRole('status').filter({ hasText: 'Product saved.' }).waitFor();
    await page.getByTestId('product-row').filter({ hasText: 'Zeppelin Desk Lamp, brass' }).filter({ hasText: '54.90' }).waitFor();

    const stock = page.getByTestId('stock-editor');
    await stock.getByLabel('Warehouse').fill('berlin');
    await stock.getByLabel('On hand').fill('7');
    await stock.getByRole('button', { name: 'Set stock' }).click();
    await stock.getByTestId('warehouse-row').filter({ hasText: 'berlin' }).filter({ hasText: '7' }).waitFor();
    await page.getByTestId('product-row').filter({ hasText: 'E2E-LAMP-1' }).getByTestId('product-available').filter({ hasText: '7' }).waitFor();

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('phone-buyer');
    await page.getByRole('searchbox', { name: 'Search' }).press('Enter');
    await page.getByLabel('Role of phone-buyer@e2e.test').selectOption('ADMIN');
    await page.getByRole('status').filter({ hasText: 'phone-buyer@e2e.test is now an administrator.' }).waitFor();
    const me = await graphqlOk(sg.url, 'mutation { login(email: "phone-buyer@e2e.test", password: "a-strong-password-1") { user { role } } }');
    expect(me.login.user.role).toBe('ADMIN');
    expect(pageErrors).toEqual([]);
  }, LONG);

  /** A second shopper's order, through the API: register, cart, address, checkout, pay. */
  async function placePaidOrderThroughTheApi(email: string): Promise<void> {
    const reg = await graphqlOk(sg.url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: { email, password: 'a-strong-password-1' } });
    const token = { token: reg.register.accessToken as string };
    const cart = await graphqlOk(sg.url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { id } }', { p: product.id }, token);
    const address = await graphqlOk(sg.url, 'mutation($i: AddressInput!) { addAddress(input: $i) { id } }', { i: { name: 'Live Buyer', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' } }, token);
    const rates = await graphqlOk(sg.url, 'query($a: ID!, $c: ID!) { shippingRates(addressId: $a, cartId: $c) { id } }', { a: address.addAddress.id, c: cart.addToCart.id }, token);
    const order = await graphqlOk(
      sg.url,
      'mutation($i: CheckoutInput!) { checkout(input: $i) { id } }',
      { i: { cartId: cart.addToCart.id, shippingAddressId: address.addAddress.id, shippingMethodId: rates.shippingRates[0].id, idempotencyKey: `live-${email}` } },
      token,
    );
    await graphqlOk(sg.url, 'mutation($o: ID!) { payOrder(orderId: $o, paymentMethod: "pm_card_visa") { status } }', { o: order.checkout.id }, token);
  }
});
