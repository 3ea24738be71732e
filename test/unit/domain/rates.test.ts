/**
 * Every rate of the table, pinned against the published value (a second transcription, checked against the sources
 * named here, 2026-12-01): a typo in `shared/domain/rates.ts` fails one line of this test. Adding a half-year adds one
 * line here too.
 */
import { describe, expect, it } from 'vitest';
import { halfYearOf, RATES, RATES_VERSION, ratesFor, ratesOutdated, type HalfYear } from '../../../shared/domain/rates';

/**
 * ECB: main refinancing operations rate in force on the half-year's first day (Banque de France, "policy rates"
 * table; ECB decisions of 10 Sep 2014 0.05, 16 Mar 2016 0.00, 21 Dec 2022 2.50, 21 Jun 2023 4.00, 20 Sep 2023 4.50,
 * 12 Jun 2024 4.25, 18 Dec 2024 3.15, 11 Jun 2025 2.15). Legal: taux de l'intérêt légal, "autres cas" then
 * "personnes physiques n'agissant pas pour des besoins professionnels", as fixed by each half-year's arrêté.
 */
const PUBLISHED: [HalfYear, number, number, number][] = [
  ['2015-H1', 0.05, 0.93, 4.06],
  ['2015-H2', 0.05, 0.99, 4.29], // arrêté du 24 juin 2015
  ['2016-H1', 0.05, 1.01, 4.54], // arrêté du 23 décembre 2015
  ['2016-H2', 0.0, 0.93, 4.35],
  ['2017-H1', 0.0, 0.9, 4.16], // arrêté du 29 décembre 2016
  ['2017-H2', 0.0, 0.9, 3.94], // arrêté du 26 juin 2017
  ['2018-H1', 0.0, 0.89, 3.73], // arrêté du 28 décembre 2017
  ['2018-H2', 0.0, 0.88, 3.6], // arrêté du 27 juin 2018
  ['2019-H1', 0.0, 0.86, 3.4], // arrêté du 21 décembre 2018
  ['2019-H2', 0.0, 0.87, 3.26], // arrêté du 26 juin 2019
  ['2020-H1', 0.0, 0.87, 3.15],
  ['2020-H2', 0.0, 0.84, 3.11],
  ['2021-H1', 0.0, 0.79, 3.14],
  ['2021-H2', 0.0, 0.76, 3.12],
  ['2022-H1', 0.0, 0.76, 3.13],
  ['2022-H2', 0.0, 0.77, 3.15], // arrêté du 27 juin 2022 (the ECB's first rise took effect on 27 July)
  ['2023-H1', 2.5, 2.06, 4.47], // arrêté du 26 décembre 2022
  ['2023-H2', 4.0, 4.22, 6.82], // arrêté du 27 juin 2023
  ['2024-H1', 4.5, 5.07, 8.01], // arrêté du 21 décembre 2023
  ['2024-H2', 4.25, 4.92, 8.16], // arrêté du 26 juin 2024
  ['2025-H1', 3.15, 3.71, 7.21], // arrêté du 17 décembre 2024
  ['2025-H2', 2.15, 2.76, 6.65], // arrêté du 19 juin 2025
  ['2026-H1', 2.15, 2.62, 6.67], // arrêté du 15 décembre 2025
];

describe('the rates table', () => {
  it.each(PUBLISHED)('holds the published rates of %s: ECB %d %%, legal %d %% (other) and %d %% (consumer creditor)', (half, ecb, other, consumer) => {
    expect(RATES.get(half)).toEqual({ ecb, legal: { other, consumer } });
  });

  it('has no half-year that is not pinned above, and no gap from 2015 to its version', () => {
    expect([...RATES.keys()]).toEqual(PUBLISHED.map(([half]) => half));
    expect(RATES_VERSION).toBe(PUBLISHED.at(-1)![0]);
  });
});

describe('ratesFor', () => {
  it('gives a known half-year its own rates', () => {
    expect(ratesFor('2023-H2')).toEqual({ rates: RATES.get('2023-H2'), provisional: false });
  });

  it('gives a half-year beyond the table the latest rates, marked provisional', () => {
    expect(ratesFor('2027-H1')).toEqual({ rates: RATES.get(RATES_VERSION), provisional: true });
  });

  it('refuses a half-year before the table rather than invent a rate', () => {
    expect(() => ratesFor('2014-H2')).toThrow(RangeError);
  });
});

describe('halfYearOf', () => {
  it('puts 30 June in the first half and 1 July in the second', () => {
    expect(halfYearOf('2026-06-30')).toBe('2026-H1');
    expect(halfYearOf('2026-07-01')).toBe('2026-H2');
    expect(halfYearOf('2026-12-31')).toBe('2026-H2');
    expect(halfYearOf('2027-01-01')).toBe('2027-H1');
  });
});

describe('ratesOutdated', () => {
  it('names the current half-year when the table lacks it, and nothing when it has it', () => {
    expect(ratesOutdated('2026-03-15')).toBeUndefined();
    expect(ratesOutdated('2026-12-01')).toBe('2026-H2');
  });
});
