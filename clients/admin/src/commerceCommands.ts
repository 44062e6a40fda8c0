import { integer, parse, required, UsageError } from './args.js';
import type { AdminPromotionFragment, PromotionInput, PromotionKind } from './generated/graphql.js';
import { money, report, type Handler } from './output.js';
import { formatTable } from './table.js';

/** Promotions, fixed prices, exchange rates and account deletions: the admin side of issue 13's commerce. */
export const COMMERCE_USAGE = `  promotions create --code <code> --kind <PERCENTAGE|FIXED_AMOUNT|FREE_SHIPPING> --value <value>
      [--currency EUR] [--min-subtotal <amount>] [--starts <ISO date-time>] [--ends <ISO date-time>]
      [--usage-limit <n>] [--per-customer <n>]
  promotions list [--first <n>]
  promotions show <code>
  prices set <productId> --price <amount> --currency <code>
  rates set <from> <to> <rate>
  rates list
  users deletion <userId>`;

// A Record over the generated union: a kind added to the schema fails to compile here.
const KINDS = Object.keys({ PERCENTAGE: true, FIXED_AMOUNT: true, FREE_SHIPPING: true } satisfies Record<PromotionKind, true>) as PromotionKind[];

const PROMOTION_HEADERS = ['CODE', 'KIND', 'VALUE', 'MINIMUM', 'VALID', 'USED', 'PER CUSTOMER', 'ACTIVE'];
function promotionRow(p: AdminPromotionFragment): string[] {
  const value = p.kind === 'FIXED_AMOUNT' ? `${p.value} ${p.currency}` : p.kind === 'PERCENTAGE' ? `${p.value} %` : '-';
  return [
    p.code,
    p.kind,
    value,
    p.minSubtotal ? money(p.minSubtotal) : '-',
    `${p.startsAt ?? '…'} .. ${p.endsAt ?? '…'}`,
    `${p.timesUsed}/${p.usageLimit ?? '∞'}`,
    String(p.perCustomerLimit ?? '∞'),
    p.active ? 'yes' : 'no',
  ];
}

export const COMMERCE_COMMANDS: Record<string, Handler> = {
  'promotions create': (args) => {
    const { values } = parse(args, ['code', 'kind', 'value', 'currency', 'min-subtotal', 'starts', 'ends', 'usage-limit', 'per-customer'], 0);
    const kind = required('--kind', values.kind).toUpperCase() as PromotionKind;
    if (!KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
    const currency = values.currency ?? null;
    // Dates, amounts and limits are checked by the API (BAD_USER_INPUT naming the field, exit 2).
    const input: PromotionInput = {
      code: required('--code', values.code),
      kind,
      value: kind === 'FREE_SHIPPING' ? (values.value ?? '0') : required('--value', values.value),
      currency,
      minSubtotal: values['min-subtotal'] === undefined ? null : { amount: values['min-subtotal'], currencyCode: currency ?? 'EUR' },
      startsAt: values.starts ?? null,
      endsAt: values.ends ?? null,
      usageLimit: values['usage-limit'] === undefined ? null : integer('--usage-limit', values['usage-limit']),
      perCustomerLimit: values['per-customer'] === undefined ? null : integer('--per-customer', values['per-customer']),
    };
    return async (client, io) => report(await client.createPromotion(input), io, (promotion) => formatTable(PROMOTION_HEADERS, [promotionRow(promotion)]));
  },
  'promotions list': (args) => {
    const { values } = parse(args, ['first'], 0);
    const first = values.first === undefined ? null : integer('--first', values.first);
    return async (client, io) =>
      report(await client.promotions({ first }), io, (page) => {
        const rows = page.edges.map(({ node }) => promotionRow(node));
        return `${formatTable(PROMOTION_HEADERS, rows)}\n${rows.length} of ${page.totalCount} promotions`;
      });
  },
  'promotions show': (args) => {
    const { positionals } = parse(args, [], 1);
    return async (client, io) =>
      report(await client.promotion(positionals[0]!), io, (promotion) =>
        promotion ? formatTable(PROMOTION_HEADERS, [promotionRow(promotion)]) : `no promotion with the code ${positionals[0]}`,
      );
  },
  'prices set': (args) => {
    const { values, positionals } = parse(args, ['price', 'currency'], 1);
    const price = { amount: required('--price', values.price), currencyCode: required('--currency', values.currency).toUpperCase() };
    return async (client, io) =>
      report(await client.setProductPrice(positionals[0]!, price), io, (product) =>
        formatTable(
          ['ID', 'SKU', 'NAME', 'BASE PRICE', 'FIXED PRICES'],
          [[product.id, product.sku, product.name, money(product.basePrice), product.prices.map(money).join(', ')]],
        ),
      );
  },
  'rates set': (args) => {
    const { positionals } = parse(args, [], 3);
    const [from, to, rate] = positionals as [string, string, string];
    return async (client, io) =>
      report(await client.setExchangeRate(from.toUpperCase(), to.toUpperCase(), rate), io, (set) => `1 ${set.from} = ${set.rate} ${set.to} (set ${set.updatedAt})`);
  },
  'rates list': (args) => {
    parse(args, [], 0);
    return async (client, io) =>
      report(await client.exchangeRates(), io, (rates) =>
        rates.length === 0 ? 'no exchange rates set' : formatTable(['FROM', 'TO', 'RATE', 'UPDATED'], rates.map((r) => [r.from, r.to, r.rate, r.updatedAt])),
      );
  },
  'users deletion': (args) => {
    const { positionals } = parse(args, [], 1);
    return async (client, io) =>
      report(await client.accountDeletion(positionals[0]!), io, (d) =>
        formatTable(
          ['USER', 'REQUESTED', 'ERASED IN', 'PENDING IN', 'COMPLETED'],
          [[d.userId, d.requestedAt, d.erasedIn.join(', '), d.pendingIn.join(', ') || '-', d.completedAt ?? 'not yet']],
        ),
      );
  },
};
