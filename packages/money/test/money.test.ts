import { describe, expect, it } from '@jest/globals';
import { formatAmount, multiply, parseAmount, percentOf, sum, money, MoneyError } from '@shop/money';

describe('money', () => {
  it('round-trips decimal strings through integer minor units without float drift', () => {
    expect(parseAmount('19.99', 'EUR')).toBe(1999);
    expect(parseAmount('0.1', 'USD') + parseAmount('0.2', 'USD')).toBe(30);
    expect(formatAmount(30, 'USD')).toBe('0.30');
    expect(formatAmount(5, 'EUR')).toBe('0.05');
    expect(formatAmount(-1999, 'EUR')).toBe('-19.99');
    expect(parseAmount('500', 'JPY')).toBe(500);
    expect(formatAmount(500, 'JPY')).toBe('500');
    expect(formatAmount(1234, 'KWD')).toBe('1.234');
  });

  it('refuses amounts that are not plain decimals for the currency', () => {
    for (const bad of ['1e3', '19.999', '-1', 'abc', '', '1,00', ' 1.2.3', '0x10']) {
      expect(() => parseAmount(bad, 'EUR')).toThrow(MoneyError);
    }
    expect(() => parseAmount('1.5', 'JPY')).toThrow(/decimal places/);
    expect(() => parseAmount('1', 'eur')).toThrow(/currency/);
  });

  it('sums, multiplies and takes percentages in whole minor units', () => {
    expect(sum([money(1999, 'EUR'), multiply(money(250, 'EUR'), 3)], 'EUR').minor).toBe(2749);
    expect(percentOf(money(1999, 'EUR'), 1000).minor).toBe(200); // 10 % of 19.99 = 1.999 -> 2.00
    expect(percentOf(money(1, 'EUR'), 5000).minor).toBe(1); // half a cent rounds away from zero
    expect(() => sum([money(1, 'EUR'), money(1, 'USD')], 'EUR')).toThrow(/cannot combine/);
  });
});
