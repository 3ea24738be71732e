/**
 * The customer's statement as CSV, for an accounts-payable team's spreadsheet: a header row, then one row per open
 * invoice (number, reference, purchase order, dates, currency, amounts, what is claimed, status, promised date).
 *
 * RFC 4180: comma-separated, fields quoted when they hold a comma, a quote or a line break (quotes doubled), CRLF
 * line endings; a UTF-8 byte order mark first, without which Excel reads the accents as Windows-1252. Amounts are
 * plain decimals with a dot (1234.56) from the integer minor units, dates ISO (2027-03-31): what a spreadsheet
 * or an import script reads without guessing the locale. Customer data can be hostile: a cell that a spreadsheet
 * would take for a formula (= + - @, tab, carriage return first) starts with an apostrophe instead.
 */
import type { Creditor } from '../domain/creditor';
import { minorUnitDigits, type Money } from '../domain/money';
import type { Language } from './labels';
import { invoiceLabels } from './email/customer-emails';
import { claimedOf, lineState, stateLabel, type StatementLine } from './pages/statement-page';
import { fr, type French } from './typography';

/** What the statement downloads (PDF, CSV) are made from. */
export interface StatementDownloadInput {
  creditor: Creditor;
  language: Language;
  customer: { id: string; name: string };
  /** The open invoices, in due date order. */
  lines: StatementLine[];
  /** YYYY-MM-DD in the creditor's calendar. */
  today: string;
}

/** The columns' titles, in the customer's language: the CSV's header row, the PDF table's words. */
export function statementColumns(language: Language) {
  const t = (french: French, english: string) => (language === 'fr' ? french : english);
  // The invoice's own facts are named as everywhere else (emails, letters, the evidence file).
  const { invoiceNumber, reference, purchaseOrder, issueDate, dueDate } = invoiceLabels(language);
  return {
    invoiceNumber,
    reference,
    purchaseOrder,
    issueDate,
    dueDate,
    currency: t(fr`Devise`, 'Currency'),
    amount: t(fr`Montant`, 'Amount'),
    outstanding: t(fr`Reste à payer`, 'Outstanding'),
    claimed: t(fr`Total réclamé`, 'Claimed total'),
    status: t(fr`Statut`, 'Status'),
    promisedDate: t(fr`Date de paiement prévue`, 'Promised date'),
  };
}

/**
 * Integer minor units as a decimal with a dot: 123456 EUR → "1234.56", 5000 JPY → "5000", 1234 KWD → "1.234". The
 * digits are ISO 4217's (money.ts), the ones the amounts are counted in: Intl's (CLDR) differ for a few currencies.
 */
export function decimalAmount(money: Money): string {
  const digits = minorUnitDigits(money.currency);
  const sign = money.value < 0 ? '-' : '';
  const units = Math.abs(Math.trunc(money.value));
  if (digits === 0) return `${sign}${units}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(units / scale)}.${String(units % scale).padStart(digits, '0')}`;
}

/** A spreadsheet takes a cell starting with these for a formula (or for a formula's start after a tab or a CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: a leading apostrophe where a formula could start, then quoted as RFC 4180 requires. */
export function csvField(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** The cells of one invoice, in the columns' order. */
function row(line: StatementLine, input: StatementDownloadInput): string[] {
  const { invoice } = line;
  const reg = invoice.registration;
  const state = lineState(invoice, input.today);
  return [
    invoice.invoiceId,
    reg.reference ?? '',
    reg.purchaseOrder ?? '',
    invoice.issueDate,
    invoice.dueDate,
    invoice.amount.currency,
    decimalAmount(invoice.amount),
    decimalAmount(invoice.outstanding),
    decimalAmount(claimedOf(line)),
    stateLabel(state, input.language, 'short'),
    state.promisedDate ?? '',
  ];
}

export function renderStatementCsv(input: StatementDownloadInput): string {
  const header = Object.values(statementColumns(input.language));
  const records = [header, ...input.lines.map((line) => row(line, input))];
  return `\uFEFF${records.map((cells) => cells.map(csvField).join(',')).join('\r\n')}\r\n`;
}
