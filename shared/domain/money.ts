import { numberFormat } from './intl-formats';

/** Money is integer minor units plus an ISO 4217 currency; formatting is Intl's, per locale. */
export interface Money {
  value: number;
  currency: string;
}

const LOCALES: Record<string, string> = { fr: 'fr-FR', en: 'en-GB' };

/**
 * ISO 4217 minor units of the currencies that do not have two. Intl's own digits come from CLDR, which gives 0 for
 * HUF, COP, IDR, PKR, IQD and others whose ISO 4217 minor unit is 2 (3 for IQD): amounts in minor units would be
 * shown 100 times too large.
 */
const ISO_4217_MINOR_UNITS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0,
  XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

export function minorUnitDigits(currency: string): number {
  return ISO_4217_MINOR_UNITS[currency] ?? 2;
}

/** "1 234,56 €" in French, "€1,234.56" in English. */
export function formatMoney(money: Money, language: string): string {
  const digits = minorUnitDigits(money.currency);
  return numberFormat(LOCALES[language] ?? language, {
    style: 'currency',
    currency: money.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(money.value / 10 ** digits);
}

export function subtractMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new RangeError(`Currency mismatch: ${a.currency} vs ${b.currency}`);
  return { value: a.value - b.value, currency: a.currency };
}

/**
 * Late-payment interest on `amount` for `days` days at `ratePercent` a year (simple interest, actual/365),
 * rounded to the minor unit.
 */
export function lateInterest(amount: Money, ratePercent: number, days: number): Money {
  return { value: Math.round((amount.value * ratePercent * Math.max(0, days)) / 36500), currency: amount.currency };
}
