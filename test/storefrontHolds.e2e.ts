import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { graphqlOk } from '@shop/testing';
import { startStorefront, type Storefront } from '../scripts/src/storefront.js';
import { buildApp, hasChromium, openBrowser, type BrowserSession } from './support/browser.js';
import { shopper } from './support/shop.js';
import { fillAddress, signUp, until } from './support/shopper.js';
import { startSupergraph, type Supergraph } from './support/supergraph.js';

// The storefront's checkout holds the cart (issue 16) in headless Chromium against the real
// supergraph: the countdown, the server's warning over the socket, extending, and placing the
// order on the held stock, a refusal that names what is short, a hold running out. Server time is
// the stack's injected clock, moved by the test (inventory's sweeper acts on it every 50 ms); the
// page's countdown runs on Playwright's clock where the test moves it; nothing sleeps.
const inCi = process.env.CI === 'true' || process.env.CI === '1';
if (!hasChromium && !inCi) process.stdout.write('storefrontHolds.e2e: skipped: no /usr/bin/chromium (apt-get install -y chromium)\n');
const describeIfChromium = hasChromium || inCi ? describe : describe.skip;

let nowMs = Date.now();
const clock = () => new Date(nowMs);

describeIfChromium('checkout holds in the storefront', () => {
  let sg: Supergraph;
  let web: Storefront;
  let build: { remove(): void } | undefined;
  const browsers: BrowserSession[] = [];
  let product: { id: string; name: string };
  let scarce: { id: string; name: string };
  // Its own product: the clock moves past the other tests' holds and unpaid order.
  let lapsing: { id: string; name: string };
  let admin: string;

  const stock = async (id = product.id) => (await graphqlOk(sg.url, 'query($id: ID!) { product(id: $id) { stock { available reserved } } }', { id })).product.stock;
  const sweep = () => (sg.subgraphs.inventory as unknown as { sweepReservations(): Promise<number> }).sweepReservations();

  beforeAll(async () => {
    if (!hasChromium) throw new Error('CI=true and no /usr/bin/chromium: the browser tests must run in CI (apt-get install -y chromium)');
    const [webBuild, started] = await Promise.all([buildApp('web'), startSupergraph({ clock, env: { RESERVATION_SWEEP_MS: '50' } })]);
    build = webBuild;
    sg = started;
    [product, scarce, lapsing] = (await graphqlOk(sg.url, '{ products(first: 3) { edges { node { id name } } } }')).products.edges.map((e: { node: { id: string; name: string } }) => e.node);
    admin = await shopper(sg.url).admin();
    for (const p of [product, scarce, lapsing]) await shopper(sg.url).setStock(admin, p.id, 5);
    web = await startStorefront({ port: 0, distDir: webBuild.dir, routerUrl: sg.url });
  }, 300_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await web?.stop();
    await sg?.stop();
    build?.remove();
  });

  /** A new shopper with `quantity` of `item` in the cart, signed up on the way to checkout; `beforeCheckout` runs just before. */
  async function toCheckout(item: { id: string; name: string }, quantity: number, beforeCheckout: () => Promise<void> = async () => undefined, options: { fakeClock?: boolean } = {}) {
    const browser = await openBrowser({ origins: [new URL(web.url).origin] });
    browsers.push(browser);
    const { page } = browser;
    // The page's own clock (Playwright's), for what it counts down by itself.
    if (options.fakeClock) await page.clock.install();
    await page.goto(new URL(`/product/${encodeURIComponent(item.id)}`, web.url).href);
    await page.getByRole('heading', { level: 1, name: item.name }).waitFor();
    await page.getByLabel('Quantity').fill(String(quantity));
    // Its first size: the product comes in sizes, and Add to cart waits for one.
    await page.getByRole('radiogroup', { name: 'Size' }).getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
    await page.getByRole('link', { name: `Cart, ${quantity} item${quantity === 1 ? '' : 's'}` }).click();
    await beforeCheckout();
    await page.getByRole('button', { name: 'Checkout' }).click();
    await signUp(page, { name: 'Hold Tight', email: `holds-${randomUUID()}@e2e.test`, password: 'a-strong-password-1' });
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    return browser;
  }

  it('holds the cart on entering checkout, counts down, warns live with a way to keep the items, and the order gets them', async () => {
    const browser = await toCheckout(product, 2);
    const { page } = browser;

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

  it('names the product it cannot hold and how many are left; trying again once there is stock holds the cart', async () => {
    const { page, pageErrors } = await toCheckout(scarce, 2, () => shopper(sg.url).setStock(admin, scarce.id, 1));
    const refusal = page.getByRole('alert').filter({ hasText: 'not enough stock' });
    await expect(refusal.getByRole('listitem').textContent()).resolves.toBe(`${scarce.name}: only 1 left (2 in your cart)`);
    expect(await refusal.getByRole('link', { name: 'Change your cart' }).getAttribute('href')).toBe('/cart');
    expect(await stock(scarce.id)).toEqual({ available: 1, reserved: 0 });

    await shopper(sg.url).setStock(admin, scarce.id, 3);
    await refusal.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByRole('timer').textContent()).resolves.toMatch(/^Items held for (10:00|9:[0-5]\d)$/);
    expect(await stock(scarce.id)).toEqual({ available: 1, reserved: 2 });
    expect(pageErrors).toEqual([]);
  });

  it('says when the hold has run out by the page’s own count, and holds again on request', async () => {
    const { page, pageErrors } = await toCheckout(lapsing, 1, undefined, { fakeClock: true });
    const timer = page.getByRole('timer');
    await expect(timer.textContent()).resolves.toMatch(/^Items held for (10:00|9:[0-5]\d)$/);
    expect(await stock(lapsing.id)).toEqual({ available: 4, reserved: 1 });

    // Ten minutes pass for the page and for the server: the page says so, and the unit is free again.
    await page.clock.fastForward('10:01');
    const ended = page.getByRole('alert').filter({ hasText: 'Your hold has ended' });
    await ended.waitFor();
    nowMs += 601_000;
    await sweep();
    expect(await stock(lapsing.id)).toEqual({ available: 5, reserved: 0 });

    await ended.getByRole('button', { name: 'Hold my items again' }).click();
    await expect(timer.textContent()).resolves.toMatch(/^Items held for (10:00|9:[0-5]\d)$/);
    expect(await stock(lapsing.id)).toEqual({ available: 4, reserved: 1 });
    expect(pageErrors).toEqual([]);
  });
});
