import { formatAmount } from '@shop/money';

/** Locales with templates of their own; any other locale falls back (by language, then to en-GB). */
export const TEMPLATE_LOCALES = ['en-GB', 'de-DE'] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];
export const FALLBACK_LOCALE: TemplateLocale = 'en-GB';

/** An amount as events carry it: integer minor units and an ISO 4217 currency. */
export interface Amount {
  minor: number;
  currency: string;
}

/** What each message type says, by type: the facts taken from the event (and the order it is about). */
export interface NotificationFacts {
  ORDER_CONFIRMATION: { orderNumber: string; itemCount: number; total: Amount };
  PAYMENT_RECEIVED: { orderNumber: string; amount: Amount };
  PAYMENT_FAILED: { orderNumber: string; amount: Amount };
  ORDER_SHIPPED: { orderNumber: string; carrier: string; trackingNumber: string };
  ORDER_DELIVERED: { orderNumber: string };
  REFUND_ISSUED: { orderNumber: string; amount: Amount };
  ORDER_CANCELLED: { orderNumber: string };
  BACK_IN_STOCK: { productName: string };
}

export type NotificationType = keyof NotificationFacts;

/** A message type with its facts, as the consumer derives it from one event. */
export type Message = { [T in NotificationType]: { type: T; facts: NotificationFacts[T] } }[NotificationType];

/** What a template gets besides the facts. */
export interface RenderContext {
  /** The addressee's name, when the users subgraph knows one. */
  name: string | null;
  locale: TemplateLocale;
  /** Minor units in the locale's currency format, from the exact decimal string (no float arithmetic). */
  money(amount: Amount): string;
}

export interface Rendered {
  subject: string;
  body: string;
}

export interface Template<F> {
  /**
   * Transactional messages (about an order the user placed) go out whatever the user's
   * marketing preference; others only to users who opted in to marketing.
   */
  transactional: boolean;
  render: Record<TemplateLocale, (facts: F, ctx: RenderContext) => Rendered>;
}

const greeting = { 'en-GB': (name: string | null) => (name ? `Hello ${name},` : 'Hello,'), 'de-DE': (name: string | null) => (name ? `Hallo ${name},` : 'Hallo,') };
const signOff = { 'en-GB': '\n\nThank you for shopping with us.', 'de-DE': '\n\nVielen Dank für Ihren Einkauf.' };

function letter(locale: TemplateLocale, name: string | null, ...lines: string[]): string {
  return `${greeting[locale](name)}\n\n${lines.join('\n')}${signOff[locale]}`;
}

/** One template per message type, each in every template locale. */
export const TEMPLATES: { [T in NotificationType]: Template<NotificationFacts[T]> } = {
  ORDER_CONFIRMATION: {
    transactional: true,
    render: {
      'en-GB': (f, c) => ({
        subject: `Order confirmation ${f.orderNumber}`,
        body: letter(c.locale, c.name, `we have received your order ${f.orderNumber}.`, `Items: ${f.itemCount}`, `Total: ${c.money(f.total)}`),
      }),
      'de-DE': (f, c) => ({
        subject: `Bestellbestätigung ${f.orderNumber}`,
        body: letter(c.locale, c.name, `wir haben Ihre Bestellung ${f.orderNumber} erhalten.`, `Artikel: ${f.itemCount}`, `Gesamtbetrag: ${c.money(f.total)}`),
      }),
    },
  },
  PAYMENT_RECEIVED: {
    transactional: true,
    render: {
      'en-GB': (f, c) => ({
        subject: `Payment received for order ${f.orderNumber}`,
        body: letter(c.locale, c.name, `we have received your payment of ${c.money(f.amount)} for order ${f.orderNumber}.`),
      }),
      'de-DE': (f, c) => ({
        subject: `Zahlung für Bestellung ${f.orderNumber} erhalten`,
        body: letter(c.locale, c.name, `wir haben Ihre Zahlung über ${c.money(f.amount)} für die Bestellung ${f.orderNumber} erhalten.`),
      }),
    },
  },
  PAYMENT_FAILED: {
    transactional: true,
    render: {
      'en-GB': (f, c) => ({
        subject: `Payment failed for order ${f.orderNumber}`,
        body: letter(c.locale, c.name, `your payment of ${c.money(f.amount)} for order ${f.orderNumber} did not go through.`, 'Please try again with another payment method.'),
      }),
      'de-DE': (f, c) => ({
        subject: `Zahlung für Bestellung ${f.orderNumber} fehlgeschlagen`,
        body: letter(c.locale, c.name, `Ihre Zahlung über ${c.money(f.amount)} für die Bestellung ${f.orderNumber} ist leider fehlgeschlagen.`, 'Bitte versuchen Sie es mit einer anderen Zahlungsart erneut.'),
      }),
    },
  },
  ORDER_SHIPPED: {
    transactional: true,
    render: {
      'en-GB': (f, c) => ({
        subject: `Your order ${f.orderNumber} has shipped`,
        body: letter(c.locale, c.name, `your order ${f.orderNumber} is on its way.`, `Carrier: ${f.carrier}`, `Tracking number: ${f.trackingNumber}`),
      }),
      'de-DE': (f, c) => ({
        subject: `Ihre Bestellung ${f.orderNumber} wurde versandt`,
        body: letter(c.locale, c.name, `Ihre Bestellung ${f.orderNumber} ist unterwegs.`, `Versanddienstleister: ${f.carrier}`, `Sendungsnummer: ${f.trackingNumber}`),
      }),
    },
  },
  ORDER_DELIVERED: {
    transactional: true,
    render: {
      'en-GB': (f, c) => ({
        subject: `Your order ${f.orderNumber} has been delivered`,
        body: letter(c.locale, c.name, `your order ${f.orderNumber} has been delivered.`),
      }),
      'de-DE': (f, c) => ({
        subject: `Ihre Bestellung ${f.orderNumber} wurde zugestellt`,
        body: letter(c.locale, c.name, `Ihre Bestellung ${f.orderNumber} wurde zugestellt.`),
      }),
    },
  },
  REFUND_ISSUED: {
    transactional: true,
    render: {
      'en-GB': (f, c) => ({
        subject: `Refund for order ${f.orderNumber}`,
        body: letter(c.locale, c.name, `we have refunded ${c.money(f.amount)} for order ${f.orderNumber}.`, 'It may take a few days to appear on your statement.'),
      }),
      'de-DE': (f, c) => ({
        subject: `Erstattung für Bestellung ${f.orderNumber}`,
        body: letter(c.locale, c.name, `wir haben Ihnen ${c.money(f.amount)} für die Bestellung ${f.orderNumber} erstattet.`, 'Die Gutschrift kann einige Tage dauern.'),
      }),
    },
  },
  ORDER_CANCELLED: {
    transactional: true,
    render: {
      'en-GB': (f, c) => ({
        subject: `Your order ${f.orderNumber} has been cancelled`,
        body: letter(c.locale, c.name, `your order ${f.orderNumber} has been cancelled.`, 'If you already paid, the amount will be refunded.'),
      }),
      'de-DE': (f, c) => ({
        subject: `Ihre Bestellung ${f.orderNumber} wurde storniert`,
        body: letter(c.locale, c.name, `Ihre Bestellung ${f.orderNumber} wurde storniert.`, 'Falls Sie bereits bezahlt haben, wird der Betrag erstattet.'),
      }),
    },
  },
  BACK_IN_STOCK: {
    // The user asked for it by putting the product on their wishlist: not marketing.
    transactional: true,
    render: {
      'en-GB': (f, c) => ({
        subject: `Back in stock: ${f.productName}`,
        body: letter(c.locale, c.name, `${f.productName}, which is on your wishlist, is back in stock.`, 'Order soon: stock may be limited.'),
      }),
      'de-DE': (f, c) => ({
        subject: `Wieder verfügbar: ${f.productName}`,
        body: letter(c.locale, c.name, `${f.productName} von Ihrer Wunschliste ist wieder verfügbar.`, 'Bestellen Sie bald: der Vorrat ist möglicherweise begrenzt.'),
      }),
    },
  },
};

/** The template locale for a user's BCP 47 locale: exact, then same language, then en-GB. */
export function templateLocaleFor(locale: string | null | undefined): TemplateLocale {
  if (!locale) return FALLBACK_LOCALE;
  const exact = TEMPLATE_LOCALES.find((l) => l.toLowerCase() === locale.toLowerCase());
  if (exact) return exact;
  const language = locale.split(/[-_]/)[0]!.toLowerCase();
  return TEMPLATE_LOCALES.find((l) => l.split('-')[0] === language) ?? FALLBACK_LOCALE;
}

/** Formats an amount for a locale, e.g. 1999 EUR in de-DE -> "19,99 €". */
export function formatMoney(amount: Amount, locale: string): string {
  // The decimal string keeps the exact value: Intl formats a numeric string without going through a float.
  const decimal = formatAmount(amount.minor, amount.currency) as Intl.StringNumericLiteral;
  return new Intl.NumberFormat(locale, { style: 'currency', currency: amount.currency }).format(decimal);
}

/** Renders a message in the template locale that fits the user's locale. */
export function render(message: Message, recipient: { name: string | null; locale: string | null }): Rendered & { locale: TemplateLocale } {
  const locale = templateLocaleFor(recipient.locale);
  const template = TEMPLATES[message.type] as Template<unknown>;
  const ctx: RenderContext = { name: recipient.name, locale, money: (amount) => formatMoney(amount, locale) };
  return { ...template.render[locale](message.facts, ctx), locale };
}

/**
 * Whether a message may go out given the user's marketing preference: transactional ones
 * always, the others only with `marketingOptIn`.
 */
export function allowedByPreferences(template: { transactional: boolean }, recipient: { marketingOptIn: boolean }): boolean {
  return template.transactional || recipient.marketingOptIn;
}
