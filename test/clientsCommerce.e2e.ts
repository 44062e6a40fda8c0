import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { eventually, graphqlOk } from '@shop/testing';
import type { Page } from 'playwright-core';
import { createAdminClient, uploadProductImage } from '../clients/admin/src/index.js';
import { DASHBOARD_SESSION } from '../scripts/src/sessionEndpoints.js';
import { startStorefront, type Storefront } from '../scripts/src/storefront.js';
import { TINY_PNG } from '../subgraphs/products/test/pictures.js';
import { buildApp, describeWithChromium, openBrowser, type BrowserSession } from './support/browser.js';
import { shopper } from './support/shop.js';
import { expectNoHorizontalOverflow, signUp } from './support/shopper.js';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// Issue 13's features in both web apps, in headless Chromium on a desktop and a 390x844 phone:
// uploaded pictures on the product page, the wishlist, "frequently bought together",
// "recommended for you" and a promotion code in the cart; the admin uploading a picture and
// creating a promotion in the dashboard.
const PHONE = { width: 390, height: 844 };

type Product = { id: string; name: string };

describeWithChromium('clientsCommerce.e2e', 'wishlist, recommendations and pictures in the web apps', () => {
  let sg: Supergraph;
  let web: Storefront;
  let dashboard: Storefront;
  let origins: string[];
  const builds: Array<{ remove(): void }> = [];
  const browsers: BrowserSession[] = [];
  let lamp: Product;
  let shade: Product;
  let picture: string;

  beforeAll(async () => {
    const [webBuild, adminBuild, started] = await Promise.all([buildApp('web'), buildApp('admin-web'), startSupergraph()]);
    builds.push(webBuild, adminBuild);
    sg = started;
    const api = shopper(sg.url);
    const admin = await api.admin();
    const nodes: Product[] = (await graphqlOk(sg.url, '{ products(first: 3) { edges { node { id name } } } }')).products.edges.map((e: { node: Product }) => e.node);
    [lamp, shade] = nodes as [Product, Product];
    for (const product of nodes) await api.setStock(admin, product.id, 50);

    // A picture uploaded with the admin SDK, and one paid order holding both products.
    const uploaded = await uploadProductImage(createAdminClient({ url: sg.url, token: admin }), lamp.id, TINY_PNG, { contentType: 'image/png', alt: 'The lamp, lit' });
    if (!uploaded.ok) throw new Error(JSON.stringify(uploaded.errors));
    picture = uploaded.data.images.at(-1)!.url;
    const buyer = await api.register('earlier-buyer@e2e.test', 'Earlier Buyer');
    await api.buy(buyer.token, [{ productId: lamp.id, quantity: 1 }, { productId: shade.id, quantity: 1 }], 'together-1');
    await eventually(
      async () => (await graphqlOk(sg.url, 'query($id: ID!) { product(id: $id) { frequentlyBoughtTogether { id } } }', { id: lamp.id })).product.frequentlyBoughtTogether,
      (list: Array<{ id: string }>) => list.some((p) => p.id === shade.id),
    );

    await graphqlOk(sg.url, 'mutation($i: PromotionInput!) { createPromotion(input: $i) { id } }', { i: { code: 'SPRING10', kind: 'PERCENTAGE', value: '10' } }, { token: admin });

    web = await startStorefront({ port: 0, distDir: webBuild.dir, routerUrl: sg.url });
    dashboard = await startStorefront({ port: 0, distDir: adminBuild.dir, routerUrl: sg.url, session: DASHBOARD_SESSION });
    // Pictures come from products' own store when S3 is not configured: the browser may reach it.
    origins = [new URL(web.url).origin, new URL(dashboard.url).origin, new URL(picture).origin];
  }, 300_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await web?.stop();
    await dashboard?.stop();
    await sg?.stop();
    for (const build of builds) build.remove();
  });

  async function browser(viewport?: { width: number; height: number }) {
    const session = await openBrowser({ origins, ...(viewport ? { viewport } : {}) });
    browsers.push(session);
    return session;
  }

  /** Whether the picture with that alt text is on screen and decoded (not the initial-letter stand-in). */
  const pictureShown = (page: Page, alt: string) =>
    page.getByRole('img', { name: alt }).first().evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0);

  async function shopperJourney(page: Page, who: { email: string; phone: boolean }) {
    await page.goto(`${web.url}product/${lamp.id}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(lamp.name);
    await page.getByRole('img', { name: 'The lamp, lit' }).first().waitFor();
    await expect(pictureShown(page, 'The lamp, lit')).resolves.toBe(true);
    const together = page.getByRole('region', { name: 'Frequently bought together' });
    await together.getByTestId('product-card').filter({ hasText: shade.name }).waitFor();

    // A guest is asked to sign in first.
    await page.getByRole('link', { name: 'Sign in to keep it on a wishlist' }).click();
    await signUp(page, { name: 'Wanda Wish', email: who.email, password: 'a-strong-password-1' });
    await page.getByTestId('account-email').waitFor();
    await page.goto(`${web.url}product/${lamp.id}`);
    const toggle = page.getByRole('button', { name: `♡ Add to wishlist ${lamp.name}` });
    await toggle.click();
    await page.getByRole('button', { name: `♥ On your wishlist ${lamp.name}`, pressed: true }).waitFor();
    if (who.phone) await expectNoHorizontalOverflow(page);

    await page.getByRole('link', { name: 'Wishlist' }).click();
    const wishlist = page.getByTestId('wishlist');
    await wishlist.getByTestId('product-card').filter({ hasText: lamp.name }).waitFor();
    await expect(page.getByTestId('wishlist-count').textContent()).resolves.toBe('1 product');
    if (who.phone) await expectNoHorizontalOverflow(page);
    await page.getByRole('button', { name: `Remove ${lamp.name} from the wishlist` }).click();
    await page.getByTestId('wishlist-empty').waitFor();

    // A promotion code in the cart: an unknown one is refused in words, a good one takes 10 % off.
    await page.goto(`${web.url}product/${lamp.id}`);
    // Its first size: the product comes in sizes, and Add to cart waits for one.
    await page.getByRole('radiogroup', { name: 'Size' }).getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
    await page.getByRole('link', { name: /^Cart, / }).click();
    await page.getByLabel('Promotion code').fill('nosuchcode');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByTestId('promo-error').textContent()).resolves.toMatch(/NOSUCHCODE/i);
    await page.getByLabel('Promotion code').fill('spring10');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('promo-applied').filter({ hasText: 'SPRING10' }).waitFor();
    const amount = async (testid: string) => Number((await page.getByTestId(testid).textContent())!.replace(/[^0-9.,]/g, '').replace(',', '.'));
    await page.getByTestId('cart-discount').waitFor();
    expect(await amount('cart-total')).toBeCloseTo((await amount('cart-subtotal')) - (await amount('cart-discount')), 2);
    if (who.phone) await expectNoHorizontalOverflow(page);
    await page.getByRole('button', { name: 'Remove code SPRING10' }).click();
    await page.getByLabel('Promotion code').waitFor();

    // Home, signed in: suggestions before the catalogue (best sellers while this shopper has no orders).
    await page.getByRole('link', { name: 'Shop', exact: true }).click();
    const recommended = page.getByRole('region', { name: 'Recommended for you' });
    await recommended.getByTestId('product-card').first().waitFor();
    const names = await recommended.getByTestId('product-card').locator('.name').allTextContents();
    expect(names).toEqual(expect.arrayContaining([lamp.name, shade.name]));
    if (who.phone) await expectNoHorizontalOverflow(page);
  }

  it('a shopper sees the uploaded picture and what is bought together, keeps a wishlist and gets suggestions (desktop)', async () => {
    const { page, pageErrors } = await browser();
    await shopperJourney(page, { email: 'wish-desktop@e2e.test', phone: false });
    expect(pageErrors).toEqual([]);
  });

  it('the same on a 390x844 phone, without horizontal scrolling', async () => {
    const { page, pageErrors } = await browser(PHONE);
    await shopperJourney(page, { email: 'wish-phone@e2e.test', phone: true });
    expect(pageErrors).toEqual([]);
  });

  it('the admin uploads a picture from the dashboard (a wrong type is refused with the reason) and creates a promotion', async () => {
    const { page, pageErrors } = await browser();
    await page.goto(dashboard.url);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Products' }).click();
    const row = page.getByTestId('product-row').filter({ hasText: shade.name });
    await row.getByRole('button', { name: `Manage ${shade.name}` }).click();
    const uploader = page.getByTestId('image-uploader');

    await uploader.getByLabel(/^Picture \(JPEG/).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
    await uploader.getByRole('button', { name: 'Upload picture' }).click();
    await expect(uploader.getByRole('alert').textContent()).resolves.toMatch(/Only image\/jpeg, image\/png, image\/webp/);

    await uploader.getByLabel(/^Picture \(JPEG/).setInputFiles({ name: 'shade.png', mimeType: 'image/png', buffer: TINY_PNG });
    await uploader.getByLabel('Description for screen readers').fill('The shade, folded');
    await uploader.getByRole('button', { name: 'Upload picture' }).click();
    await uploader.getByRole('status').filter({ hasText: 'Picture added.' }).waitFor();
    await uploader.getByRole('img', { name: 'The shade, folded' }).waitFor();

    await page.getByRole('link', { name: 'Promotions' }).click();
    await page.getByTestId('new-promotion').click();
    const form = page.getByTestId('promotion-form');
    await form.getByLabel('Code', { exact: true }).fill('DASH5');
    await form.getByRole('combobox', { name: /^Kind/ }).selectOption({ label: 'Fixed amount off' });
    await form.getByLabel('Amount off', { exact: true }).fill('5.00');
    await form.getByLabel('Uses in all').fill('100');
    await form.getByRole('button', { name: 'Create promotion' }).click();
    await form.getByRole('status').filter({ hasText: 'Promotion created.' }).waitFor();
    await page.getByTestId('promotion-row').filter({ hasText: 'DASH5' }).filter({ hasText: '5.00 EUR' }).waitFor();

    const shop = await browser(PHONE);
    await shop.page.goto(`${web.url}product/${shade.id}`);
    await shop.page.getByRole('img', { name: 'The shade, folded' }).first().waitFor();
    await expect(pictureShown(shop.page, 'The shade, folded')).resolves.toBe(true);
    expect([...pageErrors, ...shop.pageErrors]).toEqual([]);
  });
});
