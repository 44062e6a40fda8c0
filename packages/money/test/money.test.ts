import { describe, expect, it } from '@jest/globals';
import { convert, exponentOf, formatAmount, formatRate, invertRate, isIsoCurrency, multiply, parseAmount, parseRate, percentOf, scale, sum, money, MoneyError } from '@shop/money';

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

describe('currencies and conversion', () => {
  it('knows each currency its ISO 4217 minor unit', () => {
    expect([exponentOf('JPY'), exponentOf('EUR'), exponentOf('BHD'), exponentOf('CLP'), exponentOf('UGX')]).toEqual([0, 2, 3, 0, 0]);
    expect(isIsoCurrency('USD')).toBe(true);
    expect(isIsoCurrency('XYZ')).toBe(false);
    expect(formatAmount(parseAmount('500', 'JPY'), 'JPY')).toBe('500');
    expect(() => parseAmount('5.5', 'JPY')).toThrow(MoneyError);
  });

  it('parses rates exactly and refuses what is not one', () => {
    expect(parseRate('1.0825')).toEqual({ numerator: 10825n, denominator: 10000n });
    expect(formatRate(parseRate('161.500'))).toBe('161.5');
    expect(formatRate(parseRate('0.0062'))).toBe('0.0062');
    for (const bad of ['0', '-1', '1e3', '1.1234567890123', 'abc', '']) expect(() => parseRate(bad)).toThrow(MoneyError);
  });

  it('converts between minor units of different exponents, rounding half away from zero', () => {
    expect(convert(money(1999, 'EUR'), 'JPY', parseRate('161.5'))).toEqual(money(3228, 'JPY'));
    expect(convert(money(3228, 'JPY'), 'EUR', invertRate(parseRate('161.5')))).toEqual(money(1999, 'EUR'));
    expect(convert(money(1000, 'EUR'), 'BHD', parseRate('0.41'))).toEqual(money(4100, 'BHD'));
    expect(convert(money(5, 'EUR'), 'USD', parseRate('1.1'))).toEqual(money(6, 'USD'));
    expect(scale(money(3000, 'JPY'), 1599, 1999)).toEqual(money(2400, 'JPY'));
  });
});
