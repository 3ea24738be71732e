/**
 * Stands in for the date-holidays library inside Lambda bundles (infra/bundling.ts aliases `date-holidays` to this
 * file). The library with its time-zone and astronomy data weighs about 1.3 MB; a bundle only needs the public
 * holidays of the creditor's country, which the synth computes with the library itself and embeds as
 * `__PUBLIC_HOLIDAYS__` (`{ "FR": { "2027": ["2027-01-01", ...] } }`). Redeploying extends the years covered.
 */

/** Replaced by esbuild's `define` when a Lambda bundle is built. */
declare const __PUBLIC_HOLIDAYS__: Record<string, Record<string, string[]>>;

export default class PrecomputedHolidays {
  private readonly key: string;

  constructor(country: string, region?: string) {
    this.key = region ? `${country}-${region}` : country;
  }

  /** The same shape as date-holidays' answer, for the fields the calendar reads. */
  getHolidays(year: number): { date: string; type: 'public' }[] {
    const dates = __PUBLIC_HOLIDAYS__[this.key]?.[String(year)];
    if (!dates) {
      throw new Error(
        `This deployment carries no public holidays for ${this.key} in ${year}: redeploy (npx cdk deploy) to extend the table.`,
      );
    }
    return dates.map((date) => ({ date: `${date} 00:00:00`, type: 'public' }));
  }
}
