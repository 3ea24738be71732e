/**
 * The claim against worked cases computed by hand from the published rates (each expected figure's arithmetic is in
 * its comment: base × rate × days / 36500, rounded half away from zero), then properties over random histories.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeClaim, periodInterest, type ClaimInput } from '../../../shared/domain/claim';
import { addDays, daysBetween } from '../../../shared/domain/dates';

const eur = (value: number) => ({ value, currency: 'EUR' });
const business = (input: Partial<ClaimInput> & Pick<ClaimInput, 'amount' | 'dueDate'>): ClaimInput => ({ kind: 'business', payments: [], ...input });
const periodsOf = (input: ClaimInput, asOf: string) =>
  computeClaim(input, asOf).penalties.periods.map(({ from, to, days, base, ratePercent, source, amount }) => ({
    from, to, days, base: base.value, ratePercent, source, amount: amount.value,
  }));

describe('the claim against a business customer, by hand', () => {
  it('lowers the base from the day after a partial payment (the 1,234,567.89 EUR case of issue 11)', () => {
    // Due Friday 29 January 2027, 1,000,000.00 paid on 10 February, stated on 15 February. 2027 is not in the table:
    // the latest rate (ECB 2.15 + 10 = 12.15 %) applies, provisionally.
    const input = business({ amount: eur(123_456_789), dueDate: '2027-01-29', payments: [{ date: '2027-02-10', value: 100_000_000 }] });
    const claim = computeClaim(input, '2027-02-15');
    expect(periodsOf(input, '2027-02-15')).toEqual([
      // 30 Jan – 10 Feb, 12 days: 123,456,789 × 12.15 × 12 / 36500 = 493,150.68 → 493,151
      { from: '2027-01-30', to: '2027-02-10', days: 12, base: 123_456_789, ratePercent: 12.15, source: 'ecb_plus_10', amount: 493_151 },
      // 11 – 15 Feb, 5 days: 23,456,789 × 12.15 × 5 / 36500 = 39,041.10 → 39,041
      { from: '2027-02-11', to: '2027-02-15', days: 5, base: 23_456_789, ratePercent: 12.15, source: 'ecb_plus_10', amount: 39_041 },
    ]);
    expect(claim.penalties.amount).toEqual(eur(532_192)); // 5,321.92, not the 1,327.40 of the balance-times-days rule
    expect(claim.penalties.provisional).toBe(true);
    expect(claim.principal).toEqual(eur(23_456_789));
    expect(claim.indemnity).toEqual(eur(4000));
    expect(claim.total).toEqual(eur(23_456_789 + 532_192 + 4000));
  });

  it('changes rate on 1 July: the ECB rate of 1 January for the first half-year, of 1 July for the second', () => {
    const input = business({ amount: eur(100_000_000), dueDate: '2025-06-15' });
    expect(periodsOf(input, '2025-07-10')).toEqual([
      // 16 – 30 June 2025, 15 days at 3.15 + 10: 100,000,000 × 13.15 × 15 / 36500 = 540,410.96 → 540,411
      { from: '2025-06-16', to: '2025-06-30', days: 15, base: 100_000_000, ratePercent: 13.15, source: 'ecb_plus_10', amount: 540_411 },
      // 1 – 10 July 2025, 10 days at 2.15 + 10: 100,000,000 × 12.15 × 10 / 36500 = 332,876.71 → 332,877
      { from: '2025-07-01', to: '2025-07-10', days: 10, base: 100_000_000, ratePercent: 12.15, source: 'ecb_plus_10', amount: 332_877 },
    ]);
    expect(computeClaim(input, '2025-07-10').penalties).toMatchObject({ amount: eur(873_288), provisional: false });
  });

  it('changes rate on 1 January (14.25 % in the second half of 2024, 13.15 % in the first of 2025)', () => {
    const input = business({ amount: eur(500_000), dueDate: '2024-12-01' });
    expect(periodsOf(input, '2025-01-31').map((p) => [p.from, p.to, p.ratePercent, p.amount])).toEqual([
      ['2024-12-02', '2024-12-31', 14.25, 5856], // 500,000 × 14.25 × 30 / 36500 = 5,856.16
      ['2025-01-01', '2025-01-31', 13.15, 5584], // 500,000 × 13.15 × 31 / 36500 = 5,584.25
    ]);
  });

  it('keeps one period across 1 January when the rate does not change (12.15 % in both halves)', () => {
    const input = business({ amount: eur(1_000_000), dueDate: '2025-12-20' });
    // 21 December 2025 – 10 January 2026, 21 days: 1,000,000 × 12.15 × 21 / 36500 = 6,990.41 → 6,990
    expect(periodsOf(input, '2026-01-10')).toEqual([
      { from: '2025-12-21', to: '2026-01-10', days: 21, base: 1_000_000, ratePercent: 12.15, source: 'ecb_plus_10', amount: 6990 },
    ]);
  });

  it('raises a contractual rate below 3 × the legal interest rate to that floor, half-year by half-year', () => {
    // 10 % agreed. H1 2024: floor 3 × 5.07 = 15.21 %; H2 2024: 3 × 4.92 = 14.76 %: both above 10 %.
    const input = business({ amount: eur(1_000_000), dueDate: '2024-06-20', contractualRatePercent: 10 });
    expect(periodsOf(input, '2024-07-09').map((p) => [p.days, p.ratePercent, p.source, p.amount])).toEqual([
      [10, 15.21, 'legal_floor', 4167], // 1,000,000 × 15.21 × 10 / 36500 = 4,167.12
      [9, 14.76, 'legal_floor', 3639], // 1,000,000 × 14.76 × 9 / 36500 = 3,639.45
    ]);
  });

  it('keeps a contractual rate above the floor (12 % in H2 2025, floor 3 × 2.76 = 8.28 %)', () => {
    const input = business({ amount: eur(1_000_000), dueDate: '2025-09-30', contractualRatePercent: 12 });
    // 1 – 30 October, 30 days: 1,000,000 × 12 × 30 / 36500 = 9,863.01 → 9,863
    expect(periodsOf(input, '2025-10-30')).toEqual([
      { from: '2025-10-01', to: '2025-10-30', days: 30, base: 1_000_000, ratePercent: 12, source: 'contractual', amount: 9863 },
    ]);
  });

  it('counts the day of payment as late, and nothing after a full payment; the principal paid, penalties remain', () => {
    // 5 days late (1 – 5 October), paid in full on 5 October: 100,000 × 12.15 × 5 / 36500 = 166.44 → 166
    const input = business({ amount: eur(100_000), dueDate: '2025-09-30', payments: [{ date: '2025-10-05', value: 100_000 }] });
    const claim = computeClaim(input, '2025-12-31');
    expect(claim.principal).toEqual(eur(0));
    expect(claim.penalties.amount).toEqual(eur(166));
    expect(claim.indemnity).toEqual(eur(4000));
    expect(claim.total).toEqual(eur(4166));
  });

  it('owes nothing for an invoice paid on its due date, nor before it falls due', () => {
    const paidOnTime = business({ amount: eur(100_000), dueDate: '2025-09-30', payments: [{ date: '2025-09-30', value: 100_000 }] });
    expect(computeClaim(paidOnTime, '2025-12-31')).toMatchObject({ principal: eur(0), penalties: { amount: eur(0), periods: [] }, indemnity: eur(0), total: eur(0) });
    const notYetDue = business({ amount: eur(100_000), dueDate: '2025-09-30' });
    expect(computeClaim(notYetDue, '2025-09-30')).toMatchObject({ penalties: { amount: eur(0) }, indemnity: eur(0), total: eur(100_000) });
  });

  it('claims in the invoice currency, the 40 EUR indemnity beside a total it cannot be added to', () => {
    // 1,000.00 USD, 30 days at 12.15 %: 100,000 × 12.15 × 30 / 36500 = 998.63 → 999 cents
    const usd = computeClaim(business({ amount: { value: 100_000, currency: 'USD' }, dueDate: '2025-09-30' }), '2025-10-30');
    expect(usd.penalties.amount).toEqual({ value: 999, currency: 'USD' });
    expect(usd.indemnity).toEqual(eur(4000));
    expect(usd.indemnityApart).toEqual(eur(4000));
    expect(usd.total).toEqual({ value: 100_999, currency: 'USD' });
    // Waived with the penalties: nothing is claimed beside the total any more.
    const waiver = { at: '2025-10-30T09:00:00.000Z', upTo: '2025-10-30', reason: 'geste', by: 'operator' as const };
    const waived = computeClaim(business({ amount: { value: 100_000, currency: 'USD' }, dueDate: '2025-09-30', waiver }), '2025-10-30');
    expect(waived.indemnityApart).toBeUndefined();
    expect(waived.total).toEqual({ value: 100_000, currency: 'USD' });
    // 1,000,000 JPY (no minor unit), 30 days: 1,000,000 × 12.15 × 30 / 36500 = 9,986.30 → 9,986 yen
    const jpy = computeClaim(business({ amount: { value: 1_000_000, currency: 'JPY' }, dueDate: '2025-09-30' }), '2025-10-30');
    expect(jpy.penalties.amount).toEqual({ value: 9986, currency: 'JPY' });
  });

  it('keeps the figures but claims only the principal once penalties and indemnity are waived', () => {
    const input = business({
      amount: eur(100_000),
      dueDate: '2025-09-30',
      payments: [{ date: '2025-10-05', value: 100_000 }],
      waiver: { at: '2025-10-06T08:00:00.000Z', upTo: '2025-10-06', reason: 'principal paid', by: 'policy' },
    });
    const claim = computeClaim(input, '2025-12-31');
    expect(claim.waived).toEqual({ at: '2025-10-06T08:00:00.000Z', upTo: '2025-10-06', reason: 'principal paid', by: 'policy', amount: eur(4166) });
    expect(claim).toMatchObject({ penalties: { amount: eur(166) }, indemnity: eur(4000), total: eur(0) });
  });

  it('waives what had accrued by the day of a waiver; a principal still unpaid bears interest again from the next day', () => {
    // 1,000.00 due 30 September 2025, penalties waived on 10 October (10 days: 100,000 × 12.15 × 10 / 36500 = 332.88
    // → 333, and the 40 EUR), still unpaid on 30 October: 11 – 30 October, 20 days = 665.75 → 666 claimed again.
    const input = business({ amount: eur(100_000), dueDate: '2025-09-30', waiver: { at: '2025-10-10T09:00:00.000Z', upTo: '2025-10-10', reason: 'geste commercial', by: 'operator' } });
    const claim = computeClaim(input, '2025-10-30');
    expect(claim.penalties.periods.map((p) => [p.from, p.to, p.amount.value])).toEqual([['2025-10-01', '2025-10-10', 333], ['2025-10-11', '2025-10-30', 666]]);
    expect(claim.waived?.amount).toEqual(eur(333 + 4000));
    expect(claim.total).toEqual(eur(100_000 + 666));
  });

  it('does not waive an indemnity that was not yet due on the day of the waiver', () => {
    const input = business({ amount: eur(100_000), dueDate: '2025-09-30', waiver: { at: '2025-09-20T09:00:00.000Z', upTo: '2025-09-20', reason: 'client fidèle', by: 'operator' } });
    // 1 – 10 October: 333 of penalties and the 40 EUR indemnity, none of them covered by a waiver made before.
    expect(computeClaim(input, '2025-10-10')).toMatchObject({ waived: { amount: eur(0) }, total: eur(100_000 + 333 + 4000) });
  });

  it('says what was paid towards penalties beyond what they now come to, instead of losing it', () => {
    const input = business({ amount: eur(100_000), dueDate: '2025-09-30', payments: [{ date: '2025-10-05', value: 100_000 }], penaltiesPaid: 5000 });
    expect(computeClaim(input, '2025-12-31')).toMatchObject({ penaltiesPaid: eur(4166), penaltiesOverpaid: eur(834), total: eur(0) });
  });

  it('counts money received beyond the principal towards the penalties and the indemnity', () => {
    const input = business({ amount: eur(100_000), dueDate: '2025-09-30', payments: [{ date: '2025-10-05', value: 100_000 }], penaltiesPaid: 1000 });
    expect(computeClaim(input, '2025-12-31')).toMatchObject({ penaltiesPaid: eur(1000), total: eur(3166) });
    // Only what was owed counts; the rest is the customer's credit, not a negative claim.
    expect(computeClaim({ ...input, penaltiesPaid: 9999 }, '2025-12-31')).toMatchObject({ penaltiesPaid: eur(4166), total: eur(0) });
  });

  it('owes nothing on a cancelled invoice', () => {
    const claim = computeClaim(business({ amount: eur(100_000), dueDate: '2025-09-30', cancelled: true }), '2025-12-31');
    expect(claim).toMatchObject({ principal: eur(0), penalties: { amount: eur(0) }, indemnity: eur(0), total: eur(0) });
  });
});

describe('the claim against a public body, by hand', () => {
  it('fixes ECB + 8 at the start of the delay for the whole delay, across 1 July', () => {
    // Interest starts on 21 June 2025 (H1 2025: ECB 3.15 %), so 11.15 % throughout, even after 1 July (ECB 2.15 %).
    // 21 June – 20 July, 30 days: 100,000 × 11.15 × 30 / 36500 = 916.44 → 916
    const input: ClaimInput = { kind: 'public', amount: eur(100_000), dueDate: '2025-06-20', payments: [], contractualRatePercent: 20 };
    expect(periodsOf(input, '2025-07-20')).toEqual([
      { from: '2025-06-21', to: '2025-07-20', days: 30, base: 100_000, ratePercent: 11.15, source: 'ecb_plus_8', amount: 916 },
    ]);
    expect(computeClaim(input, '2025-07-20')).toMatchObject({ indemnity: eur(4000), total: eur(100_000 + 916 + 4000) });
  });
});

describe('the claim against a consumer, by hand', () => {
  it('claims neither penalties nor the indemnity before the formal notice', () => {
    const claim = computeClaim({ kind: 'consumer', amount: eur(100_000), dueDate: '2025-06-20', payments: [] }, '2025-12-31');
    expect(claim).toMatchObject({ penalties: { amount: eur(0), periods: [] }, indemnity: eur(0), total: eur(100_000) });
  });

  it('never runs a consumer\'s interest before the debt is due, even after a notice (a due date moved later)', () => {
    const input: ClaimInput = { kind: 'consumer', amount: eur(100_000), dueDate: '2025-11-20', payments: [], formalNoticeDate: '2025-11-10' };
    // 21 – 30 November, 10 days at 2.76 %: 100,000 × 2.76 × 10 / 36500 = 75.62 → 76
    expect(periodsOf(input, '2025-11-30')).toEqual([
      { from: '2025-11-21', to: '2025-11-30', days: 10, base: 100_000, ratePercent: 2.76, source: 'legal_interest', amount: 76 },
    ]);
  });

  it('claims legal interest from the day after the formal notice, at each half-year\'s rate', () => {
    const input: ClaimInput = { kind: 'consumer', amount: eur(100_000), dueDate: '2025-10-31', payments: [], formalNoticeDate: '2025-12-15' };
    expect(periodsOf(input, '2026-01-14')).toEqual([
      // 16 – 31 December 2025, 16 days at 2.76 %: 100,000 × 2.76 × 16 / 36500 = 120.99 → 121
      { from: '2025-12-16', to: '2025-12-31', days: 16, base: 100_000, ratePercent: 2.76, source: 'legal_interest', amount: 121 },
      // 1 – 14 January 2026, 14 days at 2.62 %: 100,000 × 2.62 × 14 / 36500 = 100.49 → 100
      { from: '2026-01-01', to: '2026-01-14', days: 14, base: 100_000, ratePercent: 2.62, source: 'legal_interest', amount: 100 },
    ]);
    expect(computeClaim(input, '2026-01-14')).toMatchObject({ indemnity: eur(0), total: eur(100_221) });
  });
});

describe('periodInterest', () => {
  it('rounds an exact half cent away from zero: 73 × 10 % × 25 / 365 = 0.5', () => {
    expect(periodInterest(73, 10_000_000, 25)).toBe(1);
    expect(periodInterest(73, 10_000_000, 24)).toBe(0); // 0.48
  });

  it('stays exact where floating point would not: 10^13 minor units for 2,000 days', () => {
    // 10,000,000,000,000 × 12.15 × 2000 / 36500 = 6,657,534,246,575.34...
    expect(periodInterest(10_000_000_000_000, 12_150_000, 2000)).toBe(6_657_534_246_575);
  });
});

describe('claim properties', () => {
  const day = fc.integer({ min: 0, max: 900 }).map((n) => addDays('2023-01-01', n));
  const history = fc.record({
    kind: fc.constantFrom<ClaimInput['kind']>('business', 'public'),
    amount: fc.integer({ min: 1, max: 10_000_000 }),
    dueDate: day,
    contractual: fc.option(fc.integer({ min: 0, max: 4000 }).map((n) => n / 100), { nil: undefined }),
    payments: fc.array(fc.record({ date: day, value: fc.integer({ min: 1, max: 5_000_000 }) }), { maxLength: 5 }),
    asOf: day,
  });
  const inputOf = (h: { kind: ClaimInput['kind']; amount: number; dueDate: string; contractual?: number; payments: ClaimInput['payments'] }): ClaimInput => ({
    kind: h.kind,
    amount: eur(h.amount),
    dueDate: h.dueDate,
    payments: h.payments,
    ...(h.contractual === undefined ? {} : { contractualRatePercent: h.contractual }),
  });

  it('lays periods end to end from the day after the due date, each one base and one rate', () => {
    fc.assert(
      fc.property(history, (h) => {
        const { periods } = computeClaim(inputOf(h), h.asOf).penalties;
        for (const [i, p] of periods.entries()) {
          expect(p.days).toBe(daysBetween(p.from, p.to) + 1);
          expect(p.from >= addDays(h.dueDate, 1) && p.to <= h.asOf).toBe(true);
          if (i > 0) expect(p.from > periods[i - 1].to).toBe(true);
        }
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('never lowers the penalties as time passes, and never raises them for a payment made', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 60 }), fc.record({ date: day, value: fc.integer({ min: 1, max: 5_000_000 }) }), (h, later, extra) => {
        const input = inputOf(h);
        const now = computeClaim(input, h.asOf).penalties.amount.value;
        expect(computeClaim(input, addDays(h.asOf, later)).penalties.amount.value).toBeGreaterThanOrEqual(now);
        const paid = { ...input, payments: [...input.payments, extra] };
        expect(computeClaim(paid, h.asOf).penalties.amount.value).toBeLessThanOrEqual(now);
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('adds up: the total is principal + penalties + indemnity, and the principal is what payments left', () => {
    fc.assert(
      fc.property(history, (h) => {
        const claim = computeClaim(inputOf(h), h.asOf);
        const paid = h.payments.filter((p) => p.date <= h.asOf).reduce((s, p) => s + p.value, 0);
        expect(claim.principal.value).toBe(Math.max(0, h.amount - paid));
        expect(claim.total.value).toBe(claim.principal.value + claim.penalties.amount.value + claim.indemnity.value);
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it('differs from one computation per half-year by at most one minor unit per period, for a single base', () => {
    // Without payments the periods are the half-years (merged where the rate repeats): recompute each day by day.
    fc.assert(
      fc.property(history, (h) => {
        const input = { ...inputOf(h), payments: [] };
        const { periods, amount } = computeClaim(input, h.asOf).penalties;
        const exact = periods.reduce((s, p) => s + (h.amount * p.ratePercent * p.days) / 36500, 0);
        expect(Math.abs(amount.value - exact)).toBeLessThanOrEqual(periods.length * 0.5 + 1e-6);
      }),
      { seed: 14, numRuns: 300 },
    );
  });
});
