/**
 * The claim: what the customer owes on an invoice on a given day — principal, late-payment interest period by period,
 * the fixed recovery indemnity — exactly as French law computes it (DESIGN.md §1 "Computation"). Every figure the
 * product states (API, emails, evidence) comes from `computeClaim`, and nothing else computes one.
 *
 * - business (Code de commerce L441-10 II, D441-5): from the day after the due date, the ECB rate of each half-year
 *   (in force on 1 January / 1 July) + 10 points, or a contractual rate raised, half-year by half-year, to the floor of
 *   3 × the legal interest rate; plus 40 EUR.
 * - public (Code de la commande publique R2192-31 et seq.): the ECB rate in force on the first day of the half-year in
 *   which interest started running + 8 points, for the whole delay; plus 40 EUR.
 * - consumer (Code civil 1231-6, 1344-1): no L441-10 penalties, no indemnity; interest at the legal rate only from the
 *   formal notice. The creditor being a company, that is the "other cases" legal rate (see `rates.ts`).
 *
 * Simple interest, actual days / 365. A day counts when the amount was still unpaid at its end: days late of an amount
 * run from the day after the due date up to and including the day it was paid. Each period (same base, same rate) is
 * rounded to the minor unit, half away from zero, and the penalties are their sum.
 */
import { addDays, daysBetween } from './dates';
import type { Money } from './money';
import { halfYearOf, ratesFor, type HalfYear, type HalfYearRates } from './rates';
import type { CustomerKind } from './schemas';


/** Where a period's rate comes from, so the words that state it can say so truthfully. */
export type RateSource =
  /** ECB rate of the half-year + 10 points (L441-10 II, no rate agreed). */
  | 'ecb_plus_10'
  /** The rate agreed in the contract. */
  | 'contractual'
  /** The agreed rate was below 3 × the legal interest rate of the half-year: the floor applies. */
  | 'legal_floor'
  /** Public bodies: ECB rate at the start of the delay + 8 points (R2192-31). */
  | 'ecb_plus_8'
  /** Consumers: the legal interest rate, from the formal notice (Code civil 1231-6). */
  | 'legal_interest';

export interface ClaimPeriod {
  /** First and last day of the period, inclusive. */
  from: string;
  to: string;
  days: number;
  base: Money;
  ratePercent: number;
  source: RateSource;
  amount: Money;
  /** The period's rate is the latest known one, its half-year not being in the table yet. */
  provisional?: true;
}

export interface Waiver {
  /** When it was decided; it covers what had accrued by the end of that day (creditor's calendar). */
  at: string;
  reason: string;
  /** `policy`: waived automatically when the principal was paid; `operator`: an operator's decision. */
  by: 'policy' | 'operator';
}

export interface Claim {
  /** The day the claim is computed for (creditor's calendar), inclusive. */
  asOf: string;
  /** The principal still unpaid. */
  principal: Money;
  penalties: { amount: Money; provisional: boolean; periods: ClaimPeriod[] };
  /** 40 EUR per late invoice (D441-5); 0 for a consumer or an invoice never late. Always in EUR, as the law states it. */
  indemnity: Money;
  /**
   * The indemnity still claimed beside `total`, which cannot hold it: an invoice in another currency than EUR, the
   * indemnity due and not waived.
   */
  indemnityApart?: Money;
  /** Money received beyond the principal, applied to the penalties and the indemnity. */
  penaltiesPaid?: Money;
  /**
   * Penalties and indemnity given up, as they stood on the day of the waiver (`upTo`): how much, when, by whom and why.
   * What accrues after that day is claimed again (a principal still unpaid keeps bearing interest).
   */
  waived?: Waiver & { upTo: string; amount: Money };
  /** Paid towards the penalties beyond what they now come to (a provisional rate since published lower): due back. */
  penaltiesOverpaid?: Money;
  /**
   * What is claimed: the principal, plus the penalties and the indemnity less what was paid towards them or waived. In
   * the invoice's currency: for an invoice in another currency than EUR the indemnity cannot be added without an
   * exchange rate, and is claimed beside it.
   */
  total: Money;
}

export interface ClaimInput {
  kind: CustomerKind;
  /** The invoice amount (after any correction). */
  amount: Money;
  dueDate: string;
  /** Money applied to the principal, by the day it was paid (creditor's calendar). */
  payments: { date: string; value: number }[];
  /** A contractual annual late-payment rate (business customers). */
  contractualRatePercent?: number;
  /** The day the formal notice was sent: a consumer's interest runs from the next day. */
  formalNoticeDate?: string;
  /** A cancelled invoice (credit note) owes nothing. */
  cancelled?: boolean;
  /** Money received beyond the principal (minor units of the invoice's currency). */
  penaltiesPaid?: number;
  /** A waiver, with the last day it covers. */
  waiver?: Waiver & { upTo: string };
}

/** The recovery indemnity of D441-5, in EUR minor units. */
export const RECOVERY_INDEMNITY: Money = { value: 4000, currency: 'EUR' };

/** Rates are carried as integer millionths of a percent (12.15 % is 12_150_000), so no sum or product of rates drifts. */
const RATE_SCALE = 1_000_000;
const toUnits = (ratePercent: number): number => Math.round(ratePercent * RATE_SCALE);
const toPercent = (units: number): number => units / RATE_SCALE;

/** base × rate × days / 365, rounded to the minor unit half away from zero, in exact integer arithmetic. */
export function periodInterest(base: number, rateUnits: number, days: number): number {
  const numerator = BigInt(base) * BigInt(rateUnits) * BigInt(days);
  const denominator = BigInt(365 * 100 * RATE_SCALE);
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  return Number(remainder * 2n >= denominator ? quotient + 1n : quotient);
}

/**
 * The day interest starts running, or none (a consumer who has had no formal notice yet). A consumer's runs from the
 * notice, but never before the debt is due (a due date moved after the notice).
 */
function interestStart(input: ClaimInput): string | undefined {
  const afterDue = addDays(input.dueDate, 1);
  if (input.kind !== 'consumer') return afterDue;
  if (!input.formalNoticeDate) return undefined;
  const afterNotice = addDays(input.formalNoticeDate, 1);
  return afterNotice > afterDue ? afterNotice : afterDue;
}

/** A contractual late-payment rate is never below 3 × the legal interest rate of the half-year (L441-10 II). */
const floorUnits = (rates: HalfYearRates): number => 3 * toUnits(rates.legal.other);

/** The floor a contractual rate is raised to in a half-year, percent (for the warning given at registration). */
export function contractualRateFloor(halfYear: HalfYear): number {
  return toPercent(floorUnits(ratesFor(halfYear).rates));
}

/** The rate of one day's half-year for this kind of customer. */
function rateFor(input: ClaimInput, halfYear: HalfYear, startHalfYear: HalfYear): { units: number; source: RateSource; provisional: boolean } {
  if (input.kind === 'public') {
    const { rates, provisional } = ratesFor(startHalfYear);
    return { units: toUnits(rates.ecb) + toUnits(8), source: 'ecb_plus_8', provisional };
  }
  const { rates, provisional } = ratesFor(halfYear);
  if (input.kind === 'consumer') return { units: toUnits(rates.legal.other), source: 'legal_interest', provisional };
  if (input.contractualRatePercent === undefined) return { units: toUnits(rates.ecb) + toUnits(10), source: 'ecb_plus_10', provisional };
  const floor = floorUnits(rates);
  const agreed = toUnits(input.contractualRatePercent);
  return agreed >= floor ? { units: agreed, source: 'contractual', provisional } : { units: floor, source: 'legal_floor', provisional };
}

/**
 * The days where the base or the rate may change: the day after each payment, and each 1 January / 1 July (the rate
 * of a public body is fixed, but splitting there changes nothing once equal neighbours are merged); and the day after a
 * waiver, so that what it covers is a sum of whole periods.
 */
function boundaries(input: ClaimInput, from: string, to: string): string[] {
  const days = new Set<string>();
  for (const payment of input.payments) days.add(addDays(payment.date, 1));
  if (input.waiver) days.add(addDays(input.waiver.upTo, 1));
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 1) {
    days.add(`${year}-01-01`);
    days.add(`${year}-07-01`);
  }
  return [...days].filter((day) => day > from && day <= to).sort();
}

/** The principal unpaid on `day`: a payment lowers it from the day after the day it was paid. */
function unpaidOn(input: ClaimInput, day: string): number {
  const paid = input.payments.filter((p) => p.date < day).reduce((sum, p) => sum + p.value, 0);
  return Math.max(0, input.amount.value - paid);
}

/** The claim on `asOf` (a YYYY-MM-DD day of the creditor's calendar, inclusive). */
export function computeClaim(input: ClaimInput, asOf: string): Claim {
  const currency = input.amount.currency;
  const money = (value: number): Money => ({ value, currency });
  const principal = input.cancelled ? 0 : unpaidOn(input, addDays(asOf, 1));
  const periods = input.cancelled ? [] : interestPeriods(input, asOf);
  const penalties = periods.reduce((sum, p) => sum + p.amount.value, 0);
  const late = !input.cancelled && input.kind !== 'consumer' && asOf > input.dueDate && unpaidOn(input, addDays(input.dueDate, 1)) > 0;
  const indemnity: Money = late ? RECOVERY_INDEMNITY : { value: 0, currency: RECOVERY_INDEMNITY.currency };
  const indemnityValue = indemnity.currency === currency ? indemnity.value : 0;
  const extras = penalties + indemnityValue;
  const paid = input.penaltiesPaid ?? 0;
  const paidTowards = Math.min(extras, paid);
  // A waiver gives up what had accrued by its day and was not paid (the indemnity, if it was due by then); interest of
  // later days is claimed again.
  const waiver = input.waiver;
  const indemnityWaived = waiver !== undefined && waiver.upTo > input.dueDate;
  const waivedAmount = waiver
    ? Math.max(0, periods.filter((p) => p.to <= waiver.upTo).reduce((sum, p) => sum + p.amount.value, 0) + (indemnityWaived ? indemnityValue : 0) - paid)
    : 0;
  const apart = indemnity.value > 0 && indemnity.currency !== currency && !indemnityWaived;
  return {
    asOf,
    principal: money(principal),
    penalties: { amount: money(penalties), provisional: periods.some((p) => p.provisional), periods },
    indemnity,
    ...(apart ? { indemnityApart: indemnity } : {}),
    ...(paidTowards > 0 ? { penaltiesPaid: money(paidTowards) } : {}),
    ...(paid > extras ? { penaltiesOverpaid: money(paid - extras) } : {}),
    ...(waiver ? { waived: { ...waiver, amount: money(waivedAmount) } } : {}),
    total: money(principal + Math.max(0, extras - paidTowards - waivedAmount)),
  };
}

function interestPeriods(input: ClaimInput, asOf: string): ClaimPeriod[] {
  const start = interestStart(input);
  if (!start || start > asOf) return [];
  const startHalfYear = halfYearOf(start);
  const afterWaiver = input.waiver ? addDays(input.waiver.upTo, 1) : undefined;
  const periods: ClaimPeriod[] = [];
  const cuts = [start, ...boundaries(input, start, asOf), addDays(asOf, 1)];
  for (let i = 0; i < cuts.length - 1; i += 1) {
    const from = cuts[i];
    const to = addDays(cuts[i + 1], -1);
    // Payments only change the base at a cut: every day up to the next one has the base of the first.
    const base = unpaidOn(input, from);
    if (base === 0) continue;
    const rate = rateFor(input, halfYearOf(from), startHalfYear);
    const previous = periods.at(-1);
    // Equal neighbours are one period, except across a waiver's day: what it covers must stay its own sum.
    if (previous && previous.to === addDays(from, -1) && from !== afterWaiver && previous.base.value === base && toUnits(previous.ratePercent) === rate.units && previous.source === rate.source) {
      previous.to = to;
      previous.days = daysBetween(previous.from, to) + 1;
      if (rate.provisional) previous.provisional = true;
      continue;
    }
    periods.push({
      from,
      to,
      days: daysBetween(from, to) + 1,
      base: { value: base, currency: input.amount.currency },
      ratePercent: toPercent(rate.units),
      source: rate.source,
      amount: { value: 0, currency: input.amount.currency },
      ...(rate.provisional ? { provisional: true as const } : {}),
    });
  }
  for (const period of periods) period.amount.value = periodInterest(period.base.value, toUnits(period.ratePercent), period.days);
  return periods;
}
