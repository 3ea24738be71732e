/**
 * The published rates French late-payment law refers to, half-year by half-year. They are data, not configuration:
 * a claim made today for a delay that began in 2023 must use the 2023 rates, whatever the deployment says now.
 *
 * Adding a half-year is one line in `RATES` (and one line in the test that pins every value):
 * - `ecb`: the ECB main refinancing operations rate in force on the half-year's first day (1 January or 1 July);
 * - `legal`: the taux de l'intérêt légal of the half-year, fixed by arrêté at the end of the previous half-year
 *   (Code monétaire et financier L313-2). It has two values, chosen by who the *creditor* is: `consumer` when the
 *   creditor is a natural person not acting professionally, `other` in every other case. The creditor here is a
 *   company, so its claims use `other`, against a consumer too; `consumer` is kept so the table is the published one.
 */

export interface HalfYearRates {
  /** ECB main refinancing rate in force on 1 January (H1) or 1 July (H2), percent. */
  ecb: number;
  /** Taux de l'intérêt légal of the half-year, percent. */
  legal: { other: number; consumer: number };
}

/** "2026-H1". */
export type HalfYear = `${number}-H${1 | 2}`;

/** The version of the table: its latest half-year. A claim for a later half-year uses its rates and says it is provisional. */
export const RATES_VERSION: HalfYear = '2026-H1';

export const RATES: ReadonlyMap<HalfYear, HalfYearRates> = new Map<HalfYear, HalfYearRates>([
  ['2015-H1', { ecb: 0.05, legal: { other: 0.93, consumer: 4.06 } }],
  ['2015-H2', { ecb: 0.05, legal: { other: 0.99, consumer: 4.29 } }],
  ['2016-H1', { ecb: 0.05, legal: { other: 1.01, consumer: 4.54 } }],
  ['2016-H2', { ecb: 0.0, legal: { other: 0.93, consumer: 4.35 } }],
  ['2017-H1', { ecb: 0.0, legal: { other: 0.9, consumer: 4.16 } }],
  ['2017-H2', { ecb: 0.0, legal: { other: 0.9, consumer: 3.94 } }],
  ['2018-H1', { ecb: 0.0, legal: { other: 0.89, consumer: 3.73 } }],
  ['2018-H2', { ecb: 0.0, legal: { other: 0.88, consumer: 3.6 } }],
  ['2019-H1', { ecb: 0.0, legal: { other: 0.86, consumer: 3.4 } }],
  ['2019-H2', { ecb: 0.0, legal: { other: 0.87, consumer: 3.26 } }],
  ['2020-H1', { ecb: 0.0, legal: { other: 0.87, consumer: 3.15 } }],
  ['2020-H2', { ecb: 0.0, legal: { other: 0.84, consumer: 3.11 } }],
  ['2021-H1', { ecb: 0.0, legal: { other: 0.79, consumer: 3.14 } }],
  ['2021-H2', { ecb: 0.0, legal: { other: 0.76, consumer: 3.12 } }],
  ['2022-H1', { ecb: 0.0, legal: { other: 0.76, consumer: 3.13 } }],
  ['2022-H2', { ecb: 0.0, legal: { other: 0.77, consumer: 3.15 } }],
  ['2023-H1', { ecb: 2.5, legal: { other: 2.06, consumer: 4.47 } }],
  ['2023-H2', { ecb: 4.0, legal: { other: 4.22, consumer: 6.82 } }],
  ['2024-H1', { ecb: 4.5, legal: { other: 5.07, consumer: 8.01 } }],
  ['2024-H2', { ecb: 4.25, legal: { other: 4.92, consumer: 8.16 } }],
  ['2025-H1', { ecb: 3.15, legal: { other: 3.71, consumer: 7.21 } }],
  ['2025-H2', { ecb: 2.15, legal: { other: 2.76, consumer: 6.65 } }],
  ['2026-H1', { ecb: 2.15, legal: { other: 2.62, consumer: 6.67 } }],
]);

/** The half-year a calendar date (YYYY-MM-DD) falls in. */
export function halfYearOf(date: string): HalfYear {
  return `${Number(date.slice(0, 4))}-H${date.slice(5, 7) <= '06' ? 1 : 2}` as HalfYear;
}

/** The first and last day of a half-year. */
export function halfYearBounds(halfYear: HalfYear): { first: string; last: string } {
  const [year, half] = halfYear.split('-H');
  return half === '1' ? { first: `${year}-01-01`, last: `${year}-06-30` } : { first: `${year}-07-01`, last: `${year}-12-31` };
}

const LATEST = RATES.get(RATES_VERSION)!;
const EARLIEST: HalfYear = RATES.keys().next().value!;

/**
 * The rates of a half-year. One not yet in the table (the table was not updated after 1 January or 1 July) takes the
 * latest known rates and says so: a claim that uses them is provisional until the table catches up.
 */
export function ratesFor(halfYear: HalfYear): { rates: HalfYearRates; provisional: boolean } {
  const known = RATES.get(halfYear);
  if (known) return { rates: known, provisional: false };
  if (halfYear < EARLIEST) {
    throw new RangeError(`No rates before ${EARLIEST}: ${halfYear} is older than the table (and than any claim still due).`);
  }
  return { rates: LATEST, provisional: true };
}

/** Whether the table lacks the half-year of `today`: the daily digest then asks the team to add it. */
export function ratesOutdated(today: string): HalfYear | undefined {
  const current = halfYearOf(today);
  return RATES.has(current) ? undefined : current;
}
