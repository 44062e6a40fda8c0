import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphqlOk } from '@shop/testing';
import { startStorefront, type Storefront } from '../scripts/src/storefront.js';
import { buildApp, hasChromium, openBrowser, type BrowserSession } from './support/browser.js';
import { shopper } from './support/shop.js';
import { fillAddress, signUp, until } from './support/shopper.js';
import { startSupergraph, type Supergraph } from './support/supergraph.js';

// The storefront's checkout holds the cart (issue 16) in headless Chromium against the real
// supergraph: the countdown, the server's warning over the socket, extending, and placing the
// order on the held stock. Time is the stack's injected clock, moved by the test; inventory's
// sweeper acts on it every 50 ms, so nothing sleeps to make the hold run out.
const inCi = process.env.CI === 'true' || process.env.CI === '1';
if (!hasChromium && !inCi) process.stdout.write('storefrontHolds.e2e: skipped: no /usr/bin/chromium (apt-get install -y chromium)\n');
const describeIfChromium = hasChromium || inCi ? describe : describe.skip;

let nowMs = Date.now();
const clock = () => new Date(nowMs);

describeIfChromium('checkout holds in the storefront', () => {
  let sg: Supergraph;
  let web: Storefront;
  let build: { remove(): void } | undefined;
  let browser: BrowserSession | undefined;
  let product: { id: string; name: string };

  const stock = async () => (await graphqlOk(sg.url, 'query($id: ID!) { product(id: $id) { stock { available reserved } } }', { id: product.id })).product.stock;
  const sweep = () => (sg.subgraphs.inventory as unknown as { sweepReservations(): Promise<number> }).sweepReservations();

  beforeAll(async () => {
    if (!hasChromium) throw new Error('CI=true and no /usr/bin/chromium: the browser tests must run in CI (apt-get install -y chromium)');
    const [webBuild, started] = await Promise.all([buildApp('web'), startSupergraph({ clock, env: { RESERVATION_SWEEP_MS: '50' } })]);
    build = webBuild;
    sg = started;
    product = (await graphqlOk(sg.url, '{ products(first: 1) { edges { node { id name } } } }')).products.edges[0].node;
    await shopper(sg.url).setStock(await shopper(sg.url).admin(), product.id, 5);
    web = await startStorefront({ port: 0, distDir: webBuild.dir, routerUrl: sg.url });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await sg?.stop();
    build?.remove();
  });

  it('holds the cart on entering checkout, counts down, warns live with a way to keep the items, and the order gets them', async () => {
    browser = await openBrowser({ origins: [new URL(web.url).origin] });
    const { page } = browser;
    await page.goto(new URL(`/product/${encodeURIComponent(product.id)}`, web.url).href);
    await page.getByRole('heading', { level: 1, name: product.name }).waitFor();
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
    await page.getByRole('link', { name: 'Cart, 2 items' }).click();
    await page.getByRole('button', { name: 'Checkout' }).click();
    await signUp(page, { name: 'Hold Tight', email: `holds-${Date.now()}@e2e.test`, password: 'a-strong-password-1' });
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();

    // Entering checkout held the two units for ten minutes.
    const timer = page.getByRole('timer');
    await expect(timer.textContent()).resolves.toMatch(/^Items held for (10:00|9:[0-5]\d)$/);
    expect(await stock()).toEqual({ available: 3, reserved: 2 });

    // The warning comes over the page's socket once a fifth of the hold is left.
    await until(page, () => sg.subgraphs.cart!.activeSubscriptions() === 1 && sg.subscriptionsInEffect(1), 'the hold warning subscription in effect at cart');
    nowMs += 481_000;
    const warning = page.getByRole('alert').filter({ hasText: 'Your hold ends soon' });
    await warning.waitFor();
    await expect(timer.textContent()).resolves.toMatch(/^Items held for (2:00|1:[0-5]\d)$/);

    // Keeping the items holds them again for a fresh ten minutes: past the first hold's end, they are still held.
    await warning.getByRole('button', { name: 'Keep holding my items' }).click();
    await warning.waitFor({ state: 'detached' });
    await expect(timer.textContent()).resolves.toMatch(/^Items held for (10:00|9:[0-5]\d)$/);
    nowMs += 200_000;
    await sweep();
    expect(await stock()).toEqual({ available: 3, reserved: 2 });

    // Placing the order takes the held units over: they stay reserved, now for the order.
    await fillAddress(page, { name: 'Hold Tight', street: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'Germany' });
    await page.getByRole('radio', { name: /Hold Tight, Hauptstr\. 1, 10115 Berlin, Germany/ }).waitFor();
    await page.getByTestId(/^rate-/).first().check();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByTestId('order-page').waitFor();
    nowMs += 601_000;
    await sweep();
    expect(await stock()).toEqual({ available: 3, reserved: 2 });
    expect(browser.pageErrors).toEqual([]);
  });
});
