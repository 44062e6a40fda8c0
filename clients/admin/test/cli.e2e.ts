import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvent } from '@shop/events';
import { eventually, graphqlOk } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from '../../../test/support/supergraph.js';
import { EXIT, main } from '../src/cli.js';

// The CLI in-process (`main(argv, io)`) against the real supergraph behind the real router.
let sg: Supergraph;
let home: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { HOME: home, SHOP_API_URL: sg.url, ...env },
  });
  return { code, stdout, stderr };
}

/** The rows of a printed table (header and rule dropped), split into cells. */
function rows(table: string): string[][] {
  return table
    .split('\n')
    .slice(2)
    .filter((line) => line && !/^\d+ of \d+/.test(line))
    .map((line) => line.trim().split(/ {2,}/));
}

const ADDRESS = { name: 'Erika Mustermann', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

/** A new customer places (and pays) an order for two of one product, as the storefront would. */
async function placeOrder(productId: string, buyer = 'buyer'): Promise<{ id: string; orderNumber: string; token: string }> {
  const registered = await graphqlOk(sg.url, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', {
    input: { email: `${buyer}@admin-cli.test`, password: 'a-strong-password-1', name: 'Buyer' },
  });
  const token: string = registered.register.accessToken;
  const address = await graphqlOk(sg.url, 'mutation($input: AddressInput!) { addAddress(input: $input) { id } }', { input: ADDRESS }, { token });
  const cart = await graphqlOk(sg.url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 2) { id } }', { p: productId }, { token });
  const order = await graphqlOk(
    sg.url,
    'mutation($input: CheckoutInput!) { checkout(input: $input) { id orderNumber } }',
    {
      input: { cartId: cart.addToCart.id, shippingAddressId: address.addAddress.id, shippingMethodId: 'standard', idempotencyKey: `admin-cli-${buyer}` },
    },
    { token },
  );
  await graphqlOk(sg.url, 'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status } }', { id: order.checkout.id }, { token });
  return { ...order.checkout, token };
}

/** The order's status as `orders show` prints it. */
async function shownStatus(id: string): Promise<string | undefined> {
  return /^status +(\S+)$/m.exec((await cli(['orders', 'show', id])).stdout)?.[1];
}

beforeAll(async () => {
  sg = await startSupergraph();
  home = mkdtempSync(join(tmpdir(), 'shop-admin-'));
}, 120_000);

afterAll(async () => {
  await sg?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('shop-admin without a token', () => {
  it('exits 3 before calling the API, and 3 when the API refuses the token', async () => {
    const missing = await cli(['orders', 'list']);
    expect(missing.code).toBe(EXIT.UNAUTHENTICATED);
    expect(missing.stderr).toMatch(/not signed in/);

    const refused = await cli(['orders', 'list'], { SHOP_ADMIN_TOKEN: 'not-a-token' });
    expect(refused.code).toBe(EXIT.UNAUTHENTICATED);
    expect(refused.stderr).toMatch(/UNAUTHENTICATED/);
  });

  it('exits 1 with the usage for unknown commands and options, before any sign-in check', async () => {
    expect((await cli(['warp', 'drive'])).code).toBe(EXIT.USAGE);
    const unknownOption = await cli(['products', 'list', '--colour', 'red']);
    expect(unknownOption.code).toBe(EXIT.USAGE);
    expect(unknownOption.stderr).toMatch(/Usage: shop-admin/);
    expect((await cli(['stock', 'set', 'some-id', 'many'])).code).toBe(EXIT.USAGE);
    expect((await cli(['orders', 'list', '--status', 'LOST'])).code).toBe(EXIT.USAGE);
  });

  it('refuses a wrong password with exit 3 and the code, and stores nothing', async () => {
    const wrong = await cli(['login', '--email', ADMIN.email, '--password', 'not-the-password']);
    expect(wrong.code).toBe(EXIT.UNAUTHENTICATED);
    expect(wrong.stderr).toMatch(/^error: UNAUTHENTICATED: /m);
    expect(existsSync(join(home, '.shop-admin.json'))).toBe(false);
  });
});

describe('shop-admin signed in', () => {
  let productId: string;

  beforeAll(async () => {
    const login = await cli(['login', '--email', ADMIN.email, '--password', ADMIN.password]);
    expect(login).toMatchObject({ code: EXIT.OK, stderr: '' });
  });

  it('stored the token readable by the owner only', () => {
    const path = join(home, '.shop-admin.json');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ email: ADMIN.email, accessToken: expect.any(String) });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('lists products as an aligned table', async () => {
    const run = await cli(['products', 'list', '--first', '3']);
    expect(run.code).toBe(EXIT.OK);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +SKU +NAME +CATEGORY +PRICE +AVAILABLE$/);
    expect(rows(run.stdout)).toHaveLength(3);
    // Aligned: every row's SKU column starts where the header's does.
    const skuColumn = lines[0]!.indexOf('SKU');
    for (const line of lines.slice(2, 5)) expect(line[skuColumn - 1]).toBe(' ');
    expect(lines.at(-1)).toMatch(/^3 of \d+ products$/);
  });

  it('creates a product in a category named by slug, finds it, updates and stocks it', async () => {
    const categories = await graphqlOk(sg.url, '{ categories { slug } }');
    const slug: string = categories.categories[0].slug;
    const created = await cli(['products', 'create', '--sku', 'CLI-0001', '--name', 'Admin CLI Mug', '--category', slug, '--price', '12.50']);
    expect(created).toMatchObject({ code: EXIT.OK, stderr: '' });
    const [row] = rows(created.stdout);
    expect(row).toEqual([expect.any(String), 'CLI-0001', 'Admin CLI Mug', slug, '12.50 EUR', '0']);
    productId = row![0]!;

    const found = await cli(['products', 'list', '--search', 'CLI-0001']);
    expect(rows(found.stdout).map((cells) => cells[0])).toEqual([productId]);

    const updated = await cli(['products', 'update', productId, '--price', '14.00']);
    expect(rows(updated.stdout)[0]).toEqual([productId, 'CLI-0001', 'Admin CLI Mug', slug, '14.00 EUR', '0']);

    const stocked = await cli(['stock', 'set', productId, '25', '--warehouse', 'main']);
    expect(stocked.code).toBe(EXIT.OK);
    expect(stocked.stdout).toMatch(/main +25 +0 +25/);
    expect(stocked.stdout).toMatch(/total available: 25/);
  });

  it('reports bad input with exit 2, the code and the field', async () => {
    const negative = await cli(['stock', 'set', productId, '-5']);
    expect(negative.code).toBe(EXIT.API_ERROR);
    expect(negative.stderr).toMatch(/^error: BAD_USER_INPUT/m);

    const badPrice = await cli(['products', 'create', '--sku', 'CLI-0002', '--name', 'Bad', '--category', 'no-such-category', '--price', 'cheap']);
    expect(badPrice.code).toBe(EXIT.API_ERROR);
    expect(badPrice.stderr).toMatch(/^error: BAD_USER_INPUT \(input\.[A-Za-z.]+\): /m);
  });

  it("lists a customer's order by status, shows it, fulfils it and refuses to refund it before a return", async () => {
    const order = await placeOrder(productId);

    // The payment reaches the order through an event: PAID shows up shortly after payOrder.
    const paid = await eventually(() => cli(['orders', 'list', '--status', 'paid']), (run) => rows(run.stdout).length > 0);
    expect(paid.code).toBe(EXIT.OK);
    expect(rows(paid.stdout)).toEqual([[order.orderNumber, order.id, 'PAID', expect.stringMatching(/ EUR$/), 'buyer@admin-cli.test', expect.any(String)]]);
    expect(rows((await cli(['orders', 'list', '--status', 'CANCELLED'])).stdout)).toEqual([]);

    const shown = await cli(['orders', 'show', order.id]);
    expect(shown.code).toBe(EXIT.OK);
    expect(shown.stdout).toMatch(new RegExp(`order +${order.orderNumber}`));
    expect(shown.stdout).toMatch(/CLI-0001 +Admin CLI Mug +2 +14\.00 EUR +28\.00 EUR/);
    expect(shown.stdout).toMatch(/payment +SUCCEEDED/);

    const refund = await cli(['orders', 'refund', order.id]);
    expect(refund.code).toBe(EXIT.API_ERROR);
    expect(refund.stderr).toMatch(/^error: CONFLICT/m);

    const fulfilled = await cli(['orders', 'fulfil', order.id]);
    expect(fulfilled.code).toBe(EXIT.OK);
    expect(rows(fulfilled.stdout)[0]![2]).toBe('FULFILLING');

    const unknown = await cli(['orders', 'show', 'no-such-order']);
    expect(unknown.code).toBe(EXIT.API_ERROR);
    expect(unknown.stderr).toMatch(/^error: (NOT_FOUND|BAD_USER_INPUT)/m);
  });

  it('ships a PAID order, delivers it, reports the sale, and refunds it after the customer asks for a return', async () => {
    const order = await placeOrder(productId, 'shipper');
    expect(await eventually(() => shownStatus(order.id), (status) => status === 'PAID')).toBe('PAID');

    const badCarrier = await cli(['orders', 'ship', order.id, '--carrier', 'PIGEON', '--tracking', 'TRACK-0001']);
    expect(badCarrier.code).toBe(EXIT.API_ERROR);
    expect(badCarrier.stderr).toMatch(/^error: BAD_USER_INPUT \(carrier\): /m);
    expect((await cli(['orders', 'ship', order.id, '--carrier', 'DHL'])).code).toBe(EXIT.USAGE);

    const shipped = await cli(['orders', 'ship', order.id, '--carrier', 'dhl', '--tracking', 'JD0001-CLI']);
    expect(shipped).toMatchObject({ code: EXIT.OK, stderr: '' });
    expect(shipped.stdout.split('\n')[0]).toMatch(/^SHIPMENT +ORDER +CARRIER +TRACKING +STATUS +SHIPPED +DELIVERED +TRACKING URL$/);
    const [shipment] = rows(shipped.stdout);
    expect(shipment).toEqual([expect.any(String), order.id, 'DHL', 'JD0001-CLI', 'SHIPPED', expect.any(String), '-', expect.stringContaining('dhl.com')]);
    const shipmentId = shipment![0]!;

    // The order follows through the `shipment.created` event.
    expect(await eventually(() => shownStatus(order.id), (status) => status === 'SHIPPED')).toBe('SHIPPED');
    const again = await cli(['orders', 'ship', order.id, '--carrier', 'UPS', '--tracking', '1Z999AA10123456784']);
    expect(again.code).toBe(EXIT.API_ERROR);
    expect(again.stderr).toMatch(/^error: CONFLICT/m);

    const delivered = await cli(['orders', 'deliver', shipmentId]);
    expect(delivered).toMatchObject({ code: EXIT.OK, stderr: '' });
    expect(rows(delivered.stdout)[0]).toEqual([shipmentId, order.id, 'DHL', 'JD0001-CLI', 'DELIVERED', expect.any(String), expect.any(String), expect.any(String)]);
    expect(await eventually(() => shownStatus(order.id), (status) => status === 'DELIVERED')).toBe('DELIVERED');
    const twice = await cli(['orders', 'deliver', shipmentId]);
    expect(twice.code).toBe(EXIT.API_ERROR);
    expect(twice.stderr).toMatch(/^error: CONFLICT/m);

    const shown = await cli(['orders', 'show', order.id]);
    expect(shown.stdout).toMatch(new RegExp(`^${shipmentId} +${order.id} +DHL +JD0001-CLI +DELIVERED `, 'm'));

    // Both orders of this file were paid today (UTC); analytics projects them from events.
    const day = 24 * 60 * 60 * 1000;
    const window = ['--from', new Date(Date.now() - day).toISOString().slice(0, 10), '--to', new Date(Date.now() + day).toISOString()];
    const sales = await eventually(
      () => cli(['report', 'sales', ...window]),
      (run) => /^ *2 +\S+ EUR/m.test(run.stdout) && run.stdout.includes('Admin CLI Mug'),
      15_000,
    );
    expect(sales).toMatchObject({ code: EXIT.OK, stderr: '' });
    const [summary, products] = sales.stdout.trimEnd().split('\n\n').slice(1);
    expect(summary!.split('\n')[0]).toMatch(/^ORDERS +REVENUE +AVERAGE ORDER +DISCOUNTS +WITH CODE$/);
    expect(rows(summary!)).toEqual([['2', expect.stringMatching(/^\d+\.\d{2} EUR$/), expect.stringMatching(/^\d+\.\d{2} EUR$/), '0.00 EUR', '0']]);
    expect(products!.split('\n')[0]).toMatch(/^PRODUCT +SKU +NAME +UNITS +REVENUE$/);
    expect(rows(products!)).toContainEqual([productId, 'CLI-0001', 'Admin CLI Mug', '4', '56.00 EUR']);

    const reversed = await cli(['report', 'sales', '--from', '2025-02-01', '--to', '2025-01-01']);
    expect(reversed.code).toBe(EXIT.API_ERROR);
    expect(reversed.stderr).toMatch(/^error: BAD_USER_INPUT \(from\): /m);
    expect((await cli(['report', 'sales', '--from', '2025-01-01'])).code).toBe(EXIT.USAGE);

    // Refunds need a return, which only the customer can ask for (through the API).
    await graphqlOk(
      sg.url,
      'mutation($id: ID!) { requestReturn(id: $id, reason: "Too small") { status } }',
      { id: order.id },
      { token: order.token },
    );
    const refunded = await cli(['orders', 'refund', order.id]);
    expect(refunded).toMatchObject({ code: EXIT.OK, stderr: '' });
    expect(rows(refunded.stdout)[0]![2]).toBe('REFUNDED');
    expect(await shownStatus(order.id)).toBe('REFUNDED');
  }, 60_000);

  it('archives the product', async () => {
    const archived = await cli(['products', 'archive', productId]);
    expect(archived.code).toBe(EXIT.OK);
    expect(archived.stdout).toMatch(/^archived CLI-0001/);
    expect(rows((await cli(['products', 'list', '--search', 'CLI-0001'])).stdout)).toEqual([]);
  });
});

describe('shop-admin events', () => {
  it('lists a dead-lettered event and replays it to the consumer that gave up on it', async () => {
    let healed = false;
    const handled: string[] = [];
    // A consumer of the stack's own bus that gives up at once, so the test needs no clock.
    const subscription = await sg.stack.bus.subscribe({
      group: 'admin-cli-test',
      types: ['payment.succeeded'],
      startAt: 'new',
      retry: { maxAttempts: 1 },
      handler: async (event) => {
        if (!healed) throw new Error('ledger unavailable');
        handled.push(event.id);
      },
    });
    try {
      const poison = createEvent('payments', 'payment.succeeded', 'order-dlq', { orderId: 'order-dlq' });
      await sg.stack.bus.publish([poison]);
      const listed = await eventually(
        () => cli(['events', 'dead-letters', '--group', 'admin-cli-test']),
        (run) => /^1 dead letter\(s\)/m.test(run.stdout),
      );
      expect(listed).toMatchObject({ code: EXIT.OK, stderr: '' });
      expect(listed.stdout.split('\n')[0]).toMatch(/^ID +GROUP +TYPE +KEY +EVENT ID +ATTEMPTS +FAILED AT +ERROR$/);
      const [row] = rows(listed.stdout).slice(0, -1);
      expect(row).toEqual([expect.any(String), 'admin-cli-test', 'payment.succeeded', 'order-dlq', poison.id, '1', expect.any(String), 'ledger unavailable']);

      healed = true;
      const replayed = await cli(['events', 'replay', row![0]!]);
      expect(replayed).toMatchObject({ code: EXIT.OK, stderr: '' });
      await eventually(async () => handled, (ids) => ids.includes(poison.id));
      expect(handled).toEqual([poison.id]);
      expect((await cli(['events', 'dead-letters', '--group', 'admin-cli-test'])).stdout).toMatch(/^0 dead letter\(s\)/m);

      const unknown = await cli(['events', 'replay', row![0]!]);
      expect(unknown.code).toBe(EXIT.API_ERROR);
      expect(unknown.stderr).toMatch(/^error: NOT_FOUND: /m);
    } finally {
      await subscription.stop();
    }
  });
});
