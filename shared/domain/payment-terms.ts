/**
 * The statutory ceiling on payment terms, so that registration and due-date changes can warn the creditor (never
 * refuse: the contract is theirs, and a term beyond the law is still owed).
 *
 * - Between businesses, Code de commerce L441-10 I: 60 days from the invoice date, or 45 days end of month when the
 *   contract says so. The law does not say which "45 days end of month" it means and both readings are in use (end of
 *   the month then 45 days, or 45 days then end of that month), so the later one is given the benefit of the doubt.
 * - Public buyers, Code de la commande publique R2192-10 et seq.: 30 days for the State and local authorities, 50 for
 *   public hospitals, 60 for some public companies. The product cannot tell these buyers apart, so 30 days is the
 *   limit and the longer ones are mentioned in the warning. The law counts from receipt of the invoice, which the
 *   product does not know: the issue date stands in for it.
 * - Consumers: none of these limits applies.
 */
import { addDays, daysBetween } from './dates';
import type { CustomerKind } from './schemas';


export interface PaymentTermsInput {
  issueDate: string;
  dueDate: string;
  kind: CustomerKind;
  /** The payment terms as the contract words them, e.g. "45 jours fin de mois". */
  paymentTerms?: string;
}

interface Limit {
  latest: string;
  /** What follows "exceeds" in the warning: the rule, its dates and its article. */
  rule: string;
}

const COMMERCE = 'Code de commerce L441-10 I';
const PUBLIC_PROCUREMENT = 'Code de la commande publique R2192-10';
const BUSINESS_DAYS = 60;
const END_OF_MONTH_DAYS = 45;
const PUBLIC_DAYS = 30;
const PUBLIC_HOSPITAL_DAYS = 50;
const PUBLIC_COMPANY_DAYS = 60;
/** Later than any due date, so that "no limit" still compares as a date. */
const NO_LIMIT = '9999-12-31';

// "45" not preceded by a digit (145 is another term), an optional unit, then the end-of-month words; or the other way
// round ("fin de mois + 45 jours"), which is how reading (a) is often written.
const UNIT = String.raw`(?:jours?|j|days?|d)\.?`;
const END_OF_MONTH = String.raw`(?:fin\s+d[eu]\s+mois|fdm|end[\s-]+of[\s-]+(?:the[\s-]+)?month|eom)`;
const FORTY_FIVE = String.raw`(?<!\d)45(?!\d)`;
const STIPULATION = new RegExp(
  String.raw`${FORTY_FIVE}\s*(?:${UNIT})?[\s,-]*${END_OF_MONTH}\b|\b${END_OF_MONTH}[\s+,-]*${FORTY_FIVE}`,
  'i',
);

/** True when the terms expressly stipulate 45 days end of month, in French or English. */
export function statesEndOfMonth(paymentTerms: string | undefined): boolean {
  return paymentTerms !== undefined && STIPULATION.test(paymentTerms);
}

/** The last day of the month of a YYYY-MM-DD date. */
function endOfMonth(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  // Day 0 of the next month is the last day of this one; month is 1-based, so it already names the next month.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return addDays(date, daysInMonth - day);
}

function daysFromIssue(issueDate: string, days: number, article: string): Limit {
  return { latest: addDays(issueDate, days), rule: `${days} days from the issue date ${issueDate} (${article})` };
}

function endOfMonthReading(issueDate: string, latest: string, reading: string): Limit {
  const rule = `${END_OF_MONTH_DAYS} days end of month, read as ${reading}: ${latest} for the issue date ${issueDate}`;
  return { latest, rule: `${rule} (${COMMERCE})` };
}

/** Both readings of 45 days end of month. */
function endOfMonthReadings(issueDate: string): Limit[] {
  return [
    endOfMonthReading(
      issueDate,
      addDays(endOfMonth(issueDate), END_OF_MONTH_DAYS),
      `the end of the issue month plus ${END_OF_MONTH_DAYS} days`,
    ),
    endOfMonthReading(
      issueDate,
      endOfMonth(addDays(issueDate, END_OF_MONTH_DAYS)),
      `${END_OF_MONTH_DAYS} days then the end of that month`,
    ),
  ];
}

/** The latest of the limits; on a tie the first, so that the plain 60 days is named when it is as generous. */
function latestOf(limits: Limit[]): Limit {
  return limits.reduce((best, limit) => (limit.latest > best.latest ? limit : best));
}

/** The latest due date the law allows for this invoice, and which rule gives it (for the warning and for tests). */
export function legalDueDateLimit(input: PaymentTermsInput): { latest: string; rule: string } {
  const { issueDate } = input;
  switch (input.kind) {
    case 'business': {
      const sixtyDays = daysFromIssue(issueDate, BUSINESS_DAYS, COMMERCE);
      return statesEndOfMonth(input.paymentTerms) ? latestOf([sixtyDays, ...endOfMonthReadings(issueDate)]) : sixtyDays;
    }
    case 'public':
      return daysFromIssue(issueDate, PUBLIC_DAYS, PUBLIC_PROCUREMENT);
    case 'consumer':
      return { latest: NO_LIMIT, rule: 'no statutory limit: L441-10 and R2192-10 do not apply to consumers' };
  }
}

/**
 * Why an over-long term might still be lawful, as a sentence to add to the warning, or '' when nothing would make it
 * so. Only the exceptions that would actually cover the term are named: a public hospital does not excuse 55 days.
 */
function possibleExcuse(input: PaymentTermsInput, days: number): string {
  if (input.kind === 'business') {
    // When the contract already stipulates 45 days end of month, both readings are in the limit and nothing is left.
    const endOfMonthLatest = latestOf(endOfMonthReadings(input.issueDate)).latest;
    return input.dueDate <= endOfMonthLatest
      ? ` It would fit a term of ${END_OF_MONTH_DAYS} days end of month, lawful only if stipulated in the contract` +
          ' (give it in terms.paymentTerms).'
      : '';
  }
  if (input.kind === 'public' && days <= PUBLIC_COMPANY_DAYS) {
    const excuses = [
      ...(days <= PUBLIC_HOSPITAL_DAYS ? [`a public hospital (${PUBLIC_HOSPITAL_DAYS} days)`] : []),
      `a public company allowed ${PUBLIC_COMPANY_DAYS} days`,
    ];
    return ` It is lawful only if the customer is ${excuses.join(' or ')}.`;
  }
  return '';
}

/** Warnings (English sentences, never a refusal) when the agreed due date exceeds what the law allows. */
export function paymentTermWarnings(input: PaymentTermsInput): string[] {
  const limit = legalDueDateLimit(input);
  // A due date on the limit itself is lawful.
  if (input.dueDate <= limit.latest) return [];
  const days = daysBetween(input.issueDate, input.dueDate);
  return [`Payment term of ${days} days (due ${input.dueDate}) exceeds ${limit.rule}.${possibleExcuse(input, days)}`];
}
