import { describe, expect, it } from '@jest/globals';
import { retryDelayMs } from '../src/sender.js';
import { allowedByPreferences, formatMoney, render, TEMPLATES, templateLocaleFor, type Template } from '../src/templates.js';

describe('templates', () => {
  it('picks the template locale: exact, then by language, then en-GB', () => {
    expect(templateLocaleFor('de-DE')).toBe('de-DE');
    expect(templateLocaleFor('de-AT')).toBe('de-DE');
    expect(templateLocaleFor('DE')).toBe('de-DE');
    expect(templateLocaleFor('en-US')).toBe('en-GB');
    expect(templateLocaleFor('fr-FR')).toBe('en-GB');
    expect(templateLocaleFor(null)).toBe('en-GB');
  });

  it('formats money from the exact decimal string in the locale', () => {
    expect(formatMoney({ minor: 123456, currency: 'EUR' }, 'en-GB')).toBe('€1,234.56');
    expect(formatMoney({ minor: 123456, currency: 'EUR' }, 'de-DE')).toBe('1.234,56\u00a0€');
    expect(formatMoney({ minor: 500, currency: 'JPY' }, 'de-DE')).toBe('500\u00a0¥');
    // Beyond a double's exact integers: the decimal string keeps every digit.
    expect(formatMoney({ minor: 9_007_199_254_740_991, currency: 'KWD' }, 'en-GB')).toBe('KWD\u00a09,007,199,254,740.991');
  });

  it('renders every message type in every template locale', () => {
    const facts = { orderNumber: 'SO-1', itemCount: 2, total: { minor: 1999, currency: 'GBP' }, amount: { minor: 1999, currency: 'GBP' }, carrier: 'DPD', trackingNumber: 'T1', productName: 'Desk lamp' };
    for (const type of Object.keys(TEMPLATES) as Array<keyof typeof TEMPLATES>) {
      for (const locale of ['en-GB', 'de-DE']) {
        const rendered = render({ type, facts } as never, { name: 'Ann', locale });
        expect(rendered.locale).toBe(locale);
        // Order messages name the order; the back-in-stock message names the product.
        expect(rendered.subject).toContain(type === 'BACK_IN_STOCK' ? 'Desk lamp' : 'SO-1');
        expect(rendered.body).toContain('Ann');
      }
    }
    expect(render({ type: 'ORDER_SHIPPED', facts: { orderNumber: 'SO-1', carrier: 'DPD', trackingNumber: 'T1' } }, { name: null, locale: 'de-DE' }).body).toContain(
      'Sendungsnummer: T1',
    );
  });

  it('lets marketing preferences block only non-transactional messages', () => {
    expect(Object.values(TEMPLATES).every((t) => t.transactional)).toBe(true);
    const marketing: Template<{ code: string }> = {
      transactional: false,
      render: { 'en-GB': (f) => ({ subject: `Save with ${f.code}`, body: '' }), 'de-DE': (f) => ({ subject: `Sparen mit ${f.code}`, body: '' }) },
    };
    expect(allowedByPreferences(marketing, { marketingOptIn: false })).toBe(false);
    expect(allowedByPreferences(marketing, { marketingOptIn: true })).toBe(true);
    expect(allowedByPreferences(TEMPLATES.ORDER_CONFIRMATION, { marketingOptIn: false })).toBe(true);
  });

  it('backs off exponentially between attempts, capped at an hour', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30, 30_000)).toBe(3_600_000);
  });
});
