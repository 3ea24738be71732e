/**
 * Intl's formatters, each built once per locale and options. Building one costs tens of microseconds (ICU loads its
 * data); using one costs almost nothing. Every email, page and letter formats dozens of amounts and dates, so building
 * them per call was a visible share of every rendering step's CPU. The cache is bounded: its keys come from invoice
 * data (a currency, a language) and configuration (a time zone), which a form could vary.
 */
const MAX_FORMATTERS = 256;

function cached<F>(cache: Map<string, F>, locale: string, options: object, make: () => F): F {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let formatter = cache.get(key);
  if (!formatter) {
    formatter = make(); // a RangeError (unknown currency or zone) is thrown before anything is cached
    if (cache.size >= MAX_FORMATTERS) cache.clear();
    cache.set(key, formatter);
  }
  return formatter;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(numberFormats, locale, options, () => new Intl.NumberFormat(locale, options));
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(dateTimeFormats, locale, options, () => new Intl.DateTimeFormat(locale, options));
}
