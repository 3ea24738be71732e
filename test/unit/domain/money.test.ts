import { describe, expect, it } from 'vitest';
import { formatMoney, lateInterest, minorUnitDigits, subtractMoney } from '../../../shared/domain/money';

/** Intl separates French thousands with U+202F (narrow no-break space) and the symbol with U+00A0; compare as plain spaces. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

describe('formatMoney', () => {
  it('writes euros the French way: "1 234,56 €"', () => {
    expect(plain(formatMoney({ value: 123456, currency: 'EUR' }, 'fr'))).toBe('1 234,56 €');
  });

  it('keeps the thousands separator and the symbol on the same line as the digits (no-break spaces)', () => {
    const text = formatMoney({ value: 123456, currency: 'EUR' }, 'fr');
    expect(text).not.toMatch(/ /); // no breakable ASCII space
    expect(text).toMatch(/^1[\u202f\u00a0]234,56[\u202f\u00a0]€$/);
  });

  it('writes euros the English way: "€1,234.56"', () => {
    expect(formatMoney({ value: 123456, currency: 'EUR' }, 'en')).toBe('€1,234.56');
  });

  it('always shows both cent digits, even for round and tiny amounts', () => {
    expect(formatMoney({ value: 5, currency: 'EUR' }, 'en')).toBe('€0.05');
    expect(plain(formatMoney({ value: 100000000, currency: 'EUR' }, 'fr'))).toBe('1 000 000,00 €');
  });

  it('shows yen without decimals, since 1234 JPY minor units are 1,234 yen', () => {
    const en = formatMoney({ value: 1234, currency: 'JPY' }, 'en');
    expect(en).toMatch(/¥1,234$/); // "JP¥1,234" in en-GB, "¥1,234" in en-US
    expect(en).not.toMatch(/\./);
    expect(plain(formatMoney({ value: 1234, currency: 'JPY' }, 'fr'))).toBe('1 234 JPY');
  });

  it('shows three decimals for dinars (KWD, BHD), whose minor unit is the fils', () => {
    expect(plain(formatMoney({ value: 1234567, currency: 'KWD' }, 'en'))).toBe('KWD 1,234.567');
    expect(plain(formatMoney({ value: 1234567, currency: 'KWD' }, 'fr'))).toBe('1 234,567 KWD');
    expect(plain(formatMoney({ value: 1500, currency: 'BHD' }, 'en'))).toBe('BHD 1.500');
  });

  it('reads minor units per ISO 4217 even where Intl (CLDR) shows no decimals, e.g. Hungarian forint', () => {
    // ISO 4217 gives HUF two minor digits; 123456 minor units are 1,234.56 HUF, not 123,456 HUF.
    expect(formatMoney({ value: 123456, currency: 'HUF' }, 'en')).toMatch(/1,234\.56$/);
    expect(formatMoney({ value: 123456, currency: 'IDR' }, 'en')).toMatch(/1,234\.56$/);
  });

  it('shows a negative balance with a minus sign', () => {
    expect(plain(formatMoney({ value: -500, currency: 'EUR' }, 'fr'))).toBe('-5,00 €');
  });

  it('uses the language as a locale when it is neither fr nor en', () => {
    expect(plain(formatMoney({ value: 123456, currency: 'EUR' }, 'de'))).toBe('1.234,56 €');
  });
});

describe('minorUnitDigits', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['CHF', 2],
    ['HUF', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['XOF', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['TND', 3],
    ['IQD', 3],
    ['CLF', 4],
  ])('gives %s %i minor digits, as ISO 4217 does', (currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits);
  });
});

describe('subtractMoney', () => {
  it('subtracts amounts of the same currency, in minor units', () => {
    expect(subtractMoney({ value: 123456, currency: 'EUR' }, { value: 23456, currency: 'EUR' })).toEqual({
      value: 100000,
      currency: 'EUR',
    });
  });

  it('goes below zero on an overpayment instead of hiding it', () => {
    expect(subtractMoney({ value: 1000, currency: 'EUR' }, { value: 1500, currency: 'EUR' }).value).toBe(-500);
  });

  it('refuses to subtract dollars from euros', () => {
    expect(() => subtractMoney({ value: 1000, currency: 'EUR' }, { value: 10, currency: 'USD' })).toThrow(
      /Currency mismatch: EUR vs USD/,
    );
  });
});

describe('lateInterest', () => {
  it('charges 99.86 EUR on 10,000.00 EUR at 12.15 % for 30 days (actual/365, rounded to the cent)', () => {
    // 1,000,000 cents x 12.15 x 30 / 36,500 = 9,986.30... cents
    expect(lateInterest({ value: 1_000_000, currency: 'EUR' }, 12.15, 30)).toEqual({ value: 9986, currency: 'EUR' });
  });

  it('charges the full annual rate for 365 days', () => {
    expect(lateInterest({ value: 1_000_000, currency: 'EUR' }, 12.15, 365).value).toBe(121_500);
  });

  it('rounds to the nearest minor unit', () => {
    // 3,000 x 12.15 x 10 / 36,500 = 9.986 -> 10 cents; 1,000 x 10 x 1 / 36,500 = 0.27 -> 0
    expect(lateInterest({ value: 3000, currency: 'EUR' }, 12.15, 10).value).toBe(10);
    expect(lateInterest({ value: 1000, currency: 'EUR' }, 10, 1).value).toBe(0);
  });

  it.each([0, -1, -30])('charges nothing for %i days late', (days) => {
    expect(lateInterest({ value: 1_000_000, currency: 'EUR' }, 12.15, days)).toEqual({ value: 0, currency: 'EUR' });
  });

  it('keeps the currency of the invoice', () => {
    expect(lateInterest({ value: 1_000_000, currency: 'JPY' }, 12.15, 30)).toEqual({ value: 9986, currency: 'JPY' });
  });

  it('always returns whole minor units', () => {
    for (let days = 1; days <= 120; days++) {
      expect(Number.isInteger(lateInterest({ value: 987_654, currency: 'EUR' }, 12.15, days).value)).toBe(true);
    }
  });
});
