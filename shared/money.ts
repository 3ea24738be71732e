/** Money is integer minor units plus an ISO 4217 currency; formatting is Intl's, per locale. */
export interface Money {
  value: number;
  currency: string;
}

const LOCALES: Record<string, string> = { fr: 'fr-FR', en: 'en-GB' };

export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "1 234,56 €" in French, "€1,234.56" in English. */
export function formatMoney(money: Money, language: string): string {
  const digits = minorUnitDigits(money.currency);
  return new Intl.NumberFormat(LOCALES[language] ?? language, {
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
