#!/usr/bin/env node
import { homedir } from 'node:os';
import { join } from 'node:path';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAdminClient, type AdminClient, type AdminResult } from './client.js';
import { COMMERCE_COMMANDS, COMMERCE_USAGE } from './commerceCommands.js';
import { IMAGE_COMMANDS, IMAGE_USAGE } from './imageCommands.js';
import { readCredentials, writeCredentials } from './credentials.js';
import type {
  AdminOrderDetailsFragment,
  AdminOrderSummaryFragment,
  AdminProductFragment,
  AdminShipmentFragment,
  OrderStatus,
  SalesReportQuery,
} from './generated/graphql.js';
import { integer, parse, required, UsageError } from './args.js';
import { EXIT, money, report, type CliIo, type ExitCode, type Handler } from './output.js';
import { formatTable } from './table.js';

export { EXIT, type CliIo, type ExitCode } from './output.js';

export const DEFAULT_API_URL = 'http://localhost:4000/graphql';
export const CREDENTIALS_FILE = '.shop-admin.json';
const DEFAULT_CURRENCY = 'EUR';

export const USAGE = `Usage: shop-admin <command> [options]

  login --email <email> --password <password>
  products list [--search <words>] [--first <n>]
  products create --sku <sku> --name <name> --category <id|slug|name> --price <amount> [--currency EUR] [--description <text>]
  products update <id> [--name <name>] [--price <amount>] [--currency EUR] [--description <text>]
  products archive <id>
${IMAGE_USAGE}
  stock set <productId> <quantity> [--warehouse <name>]
  orders list [--status <status>] [--first <n>]
  orders show <id>
  orders fulfil <id>
  orders refund <id>
  orders cancel <id>
  orders ship <orderId> --carrier <DHL|UPS|DPD|GLS|HERMES|FEDEX|PICKUP> --tracking <number>
  orders deliver <shipmentId>
  report sales --from <ISO date> --to <ISO date>
${COMMERCE_USAGE}
  events dead-letters [--group <consumer group>] [--first <n>]
  events replay <dead letter id>

Environment: SHOP_API_URL (default ${DEFAULT_API_URL}), SHOP_ADMIN_TOKEN (instead of
~/${CREDENTIALS_FILE}, which \`login\` writes).
Exit codes: 0 ok, 1 usage, 2 API error (its code is printed), 3 not signed in or token refused.`;

// A Record over the generated union: a status added to the schema fails to compile here.
const ORDER_STATUSES = Object.keys({
  PENDING_PAYMENT: true,
  PAID: true,
  FULFILLING: true,
  SHIPPED: true,
  DELIVERED: true,
  CANCELLED: true,
  RETURN_REQUESTED: true,
  PARTIALLY_REFUNDED: true,
  REFUNDED: true,
} satisfies Record<OrderStatus, true>) as OrderStatus[];

/** Runs one command; resolves to its exit code and never throws for expected failures. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${(error as Error).message}\n\n${USAGE}\n`);
      return EXIT.USAGE;
    }
    throw error;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [group, action, ...rest] = argv;
  if (group === undefined || group === 'help' || group === '--help' || group === '-h') {
    io.stdout(`${USAGE}\n`);
    return group === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const url = io.env.SHOP_API_URL || DEFAULT_API_URL;
  const credentialsPath = join(io.env.HOME || homedir(), CREDENTIALS_FILE);
  if (group === 'login') return login([action, ...rest].filter((arg) => arg !== undefined), io, url, credentialsPath);

  const command = `${group} ${action ?? ''}`.trim();
  const handler = COMMANDS[command];
  if (!handler) throw new UsageError(`unknown command \`${command}\``);
  const execute = handler(rest);
  const token = io.env.SHOP_ADMIN_TOKEN || readCredentials(credentialsPath)?.accessToken;
  if (!token) {
    io.stderr('error: not signed in: run `shop-admin login --email <email> --password <password>` or set SHOP_ADMIN_TOKEN\n');
    return EXIT.UNAUTHENTICATED;
  }
  const client = createAdminClient({ url, token, ...(io.fetch ? { fetch: io.fetch } : {}) });
  return execute(client, io);
}

const COMMANDS: Record<string, Handler> = {
  ...COMMERCE_COMMANDS,
  ...IMAGE_COMMANDS,
  'products list': (args) => {
    const { values } = parse(args, ['search', 'first'], 0);
    const variables = {
      filter: values.search === undefined ? null : { search: values.search },
      first: values.first === undefined ? null : integer('--first', values.first),
    };
    return async (client, io) =>
      report(await client.products(variables), io, (products) => {
        const rows = products.edges.map(({ node }) => productRow(node));
        return `${formatTable(PRODUCT_HEADERS, rows)}\n${rows.length} of ${products.totalCount} products`;
      });
  },
  'products create': (args) => {
    const { values } = parse(args, ['sku', 'name', 'category', 'price', 'currency', 'description'], 0);
    const sku = required('--sku', values.sku);
    const name = required('--name', values.name);
    const category = required('--category', values.category);
    const basePrice = { amount: required('--price', values.price), currencyCode: values.currency ?? DEFAULT_CURRENCY };
    return async (client, io) => {
      const categoryId = await resolveCategory(client, category);
      if (!categoryId.ok) return report(categoryId, io, () => '');
      const result = await client.createProduct({
        sku,
        name,
        categoryId: categoryId.data,
        basePrice,
        ...(values.description === undefined ? {} : { description: values.description }),
      });
      return report(result, io, (product) => formatTable(PRODUCT_HEADERS, [productRow(product)]));
    };
  },
  'products update': (args) => {
    const { values, positionals } = parse(args, ['name', 'price', 'currency', 'description'], 1);
    if (values.name === undefined && values.price === undefined && values.description === undefined) {
      throw new UsageError('products update needs at least one of --name, --price, --description');
    }
    const input = {
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(values.description === undefined ? {} : { description: values.description }),
      ...(values.price === undefined ? {} : { basePrice: { amount: values.price, currencyCode: values.currency ?? DEFAULT_CURRENCY } }),
    };
    return async (client, io) =>
      report(await client.updateProduct(positionals[0]!, input), io, (product) => formatTable(PRODUCT_HEADERS, [productRow(product)]));
  },
  'products archive': (args) => {
    const { positionals } = parse(args, [], 1);
    return async (client, io) =>
      report(await client.archiveProduct(positionals[0]!), io, (product) => `archived ${product.sku} (${product.id}) at ${product.archivedAt ?? '-'}`);
  },
  'stock set': (args) => {
    const { values, positionals } = parse(args, ['warehouse'], 2);
    const quantity = integer('<quantity>', positionals[1]!);
    return async (client, io) =>
      report(await client.setStock(positionals[0]!, quantity, values.warehouse), io, (product) =>
        [
          `${product.sku}  ${product.name}  (${product.id})`,
          // Null only while inventory is unreachable (its error is reported with the result).
          product.stock
            ? formatTable(
                ['WAREHOUSE', 'ON HAND', 'RESERVED', 'AVAILABLE'],
                product.stock.warehouses.map((w) => [w.warehouse, String(w.onHand), String(w.reserved), String(w.available)]),
              )
            : 'stock unavailable',
          `total available: ${product.stock?.available ?? '-'}`,
        ].join('\n'),
      );
  },
  'orders list': (args) => {
    const { values } = parse(args, ['status', 'first'], 0);
    const variables = {
      status: values.status === undefined ? null : orderStatus(values.status),
      first: values.first === undefined ? null : integer('--first', values.first),
    };
    return async (client, io) =>
      report(await client.orders(variables), io, (orders) => {
        const rows = orders.edges.map(({ node }) => orderRow(node));
        return `${formatTable(ORDER_HEADERS, rows)}\n${rows.length} of ${orders.totalCount} orders`;
      });
  },
  'orders show': (args) => {
    const { positionals } = parse(args, [], 1);
    const id = positionals[0]!;
    return async (client, io) => {
      const result = await client.order(id);
      if (result.ok && result.data === null) {
        return report({ ok: false, errors: [{ code: 'NOT_FOUND', message: `no order ${id}` }] }, io, () => '');
      }
      return report(result, io, (order) => (order ? renderOrder(order) : ''));
    };
  },
  'orders fulfil': orderTransition((client, id) => client.fulfilOrder(id)),
  'orders refund': orderTransition((client, id) => client.refundOrder(id)),
  'orders cancel': orderTransition((client, id) => client.cancelOrder(id)),
  'orders ship': (args) => {
    const { values, positionals } = parse(args, ['carrier', 'tracking'], 1);
    const carrier = required('--carrier', values.carrier);
    const tracking = required('--tracking', values.tracking);
    return async (client, io) =>
      report(await client.createShipment(positionals[0]!, carrier, tracking), io, (shipment) =>
        [renderShipments([shipment]), `the order turns SHIPPED shortly: \`shop-admin orders show ${shipment.orderId}\``].join('\n'),
      );
  },
  'orders deliver': (args) => {
    const { positionals } = parse(args, [], 1);
    return async (client, io) =>
      report(await client.markDelivered(positionals[0]!), io, (shipment) =>
        [renderShipments([shipment]), `the order turns DELIVERED shortly: \`shop-admin orders show ${shipment.orderId}\``].join('\n'),
      );
  },
  'report sales': (args) => {
    const { values } = parse(args, ['from', 'to'], 0);
    // The API checks the dates (BAD_USER_INPUT naming the field, exit 2): one rule, one place.
    // It takes date-times only; a bare date means that day, from midnight UTC.
    const dateTime = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    const variables = { from: dateTime(required('--from', values.from)), to: dateTime(required('--to', values.to)) };
    return async (client, io) => report(await client.salesReport(variables), io, (sales) => renderSalesReport(variables, sales));
  },
  'events dead-letters': (args) => {
    const { values } = parse(args, ['group', 'first'], 0);
    const options = {
      ...(values.group === undefined ? {} : { group: values.group }),
      ...(values.first === undefined ? {} : { first: integer('--first', values.first) }),
    };
    return async (client, io) =>
      report(await client.deadLetters(options), io, (letters) =>
        [
          formatTable(
            ['ID', 'GROUP', 'TYPE', 'KEY', 'EVENT ID', 'ATTEMPTS', 'FAILED AT', 'ERROR'],
            letters.map((l) => [l.id, l.group, l.event.type, l.event.key, l.event.id, String(l.attempts), l.failedAt, l.error]),
          ),
          `${letters.length} dead letter(s); \`shop-admin events replay <id>\` hands one back to its group`,
        ].join('\n'),
      );
  },
  'events replay': (args) => {
    const { positionals } = parse(args, [], 1);
    return async (client, io) =>
      report(await client.replayDeadLetter(positionals[0]!), io, (l) =>
        `replayed ${l.id}: ${l.event.type} ${l.event.id} back to ${l.group} (tries start over)`,
      );
  },
};

function orderTransition(call: (client: AdminClient, id: string) => Promise<AdminResult<AdminOrderSummaryFragment>>): Handler {
  return (args) => {
    const { positionals } = parse(args, [], 1);
    return async (client, io) => report(await call(client, positionals[0]!), io, (order) => formatTable(ORDER_HEADERS, [orderRow(order)]));
  };
}

function renderOrder(order: AdminOrderDetailsFragment): string {
  const address = order.shippingAddress;
  const shipTo = [address.name, address.line1, address.line2, `${address.postalCode} ${address.city}`, address.country].filter(Boolean);
  return [
    `order     ${order.orderNumber} (${order.id})`,
    `status    ${order.status}`,
    `customer  ${order.user.email}`,
    `placed    ${order.createdAt}`,
    `ship to   ${shipTo.join(', ')}`,
    `method    ${order.shippingMethodId}`,
    `payment   ${order.payment ? `${order.payment.status} ${money(order.payment.amount)} via ${order.payment.provider}` : '-'}`,
    '',
    formatTable(
      ['SKU', 'NAME', 'QTY', 'UNIT', 'TOTAL'],
      order.items.map((item) => [item.product.sku, item.product.name, String(item.quantity), money(item.unitPrice), money(item.lineTotal)]),
    ),
    '',
    `subtotal  ${money(order.subtotal)}`,
    `shipping  ${money(order.shipping)}`,
    `discount  ${money(order.discount)}`,
    `total     ${money(order.total)}`,
    '',
    formatTable(['STATUS', 'AT', 'REASON'], order.statusHistory.map((change) => [change.status, change.at, change.reason ?? ''])),
    '',
    order.shipments === null ? 'shipments unavailable' : order.shipments.length > 0 ? renderShipments(order.shipments) : 'shipments -',
  ].join('\n');
}

function renderShipments(shipments: readonly AdminShipmentFragment[]): string {
  return formatTable(
    ['SHIPMENT', 'ORDER', 'CARRIER', 'TRACKING', 'STATUS', 'SHIPPED', 'DELIVERED', 'TRACKING URL'],
    shipments.map((s) => [s.id, s.orderId, s.carrier, s.trackingNumber, s.status, s.createdAt, s.deliveredAt ?? '-', s.trackingUrl ?? '-']),
  );
}

function renderSalesReport(window: { from: string; to: string }, sales: SalesReportQuery['salesReport']): string {
  return [
    `sales ${window.from} .. ${window.to} (whole UTC days)`,
    '',
    formatTable(
      ['ORDERS', 'REVENUE', 'AVERAGE ORDER', 'DISCOUNTS', 'WITH CODE'],
      [[String(sales.orderCount), money(sales.revenue), money(sales.averageOrderValue), money(sales.discounts), String(sales.ordersWithPromotion)]],
    ),
    '',
    sales.topProducts.length > 0
      ? formatTable(
          ['PRODUCT', 'SKU', 'NAME', 'UNITS', 'REVENUE'],
          sales.topProducts.map((line) => [line.product.id, line.product.sku, line.product.name, String(line.unitsSold), money(line.revenue)]),
        )
      : 'no products sold',
  ].join('\n');
}

async function login(args: readonly string[], io: CliIo, url: string, credentialsPath: string): Promise<ExitCode> {
  const { values } = parse(args, ['email', 'password'], 0);
  const email = required('--email', values.email);
  const password = required('--password', values.password);
  const client = createAdminClient({ url, ...(io.fetch ? { fetch: io.fetch } : {}) });
  const result = await client.login(email, password);
  if (result.ok && result.data.user.role !== 'ADMIN') {
    io.stderr(`error: FORBIDDEN: ${email} is not an ADMIN\n`);
    return EXIT.API_ERROR;
  }
  return report(result, io, (payload) => {
    writeCredentials(credentialsPath, { url, email, accessToken: payload.accessToken, refreshToken: payload.refreshToken });
    return `signed in as ${payload.user.email} (${payload.user.role}); token saved to ${credentialsPath}`;
  });
}

async function resolveCategory(client: AdminClient, value: string): Promise<AdminResult<string>> {
  const categories = await client.categories();
  if (!categories.ok) return categories;
  const wanted = value.toLowerCase();
  const match = categories.data.find(
    (category) => category.id === value || category.slug === wanted || category.name.toLowerCase() === wanted,
  );
  // No match: the API names the bad `categoryId` better than a guess here could.
  return { ok: true, data: match?.id ?? value };
}

const PRODUCT_HEADERS = ['ID', 'SKU', 'NAME', 'CATEGORY', 'PRICE', 'AVAILABLE'];
function productRow(product: AdminProductFragment): string[] {
  return [product.id, product.sku, product.name, product.category.slug, money(product.price), String(product.stock?.available ?? '-')];
}

const ORDER_HEADERS = ['NUMBER', 'ID', 'STATUS', 'TOTAL', 'CUSTOMER', 'PLACED'];
function orderRow(order: AdminOrderSummaryFragment): string[] {
  return [order.orderNumber, order.id, order.status, money(order.total), order.user.email, order.createdAt];
}

function orderStatus(value: string): OrderStatus {
  const status = value.toUpperCase() as OrderStatus;
  if (!ORDER_STATUSES.includes(status)) throw new UsageError(`--status must be one of ${ORDER_STATUSES.join(', ')}`);
  return status;
}

function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  };
}

// Run as a program (also through the npm bin symlink), not when imported by tests.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
