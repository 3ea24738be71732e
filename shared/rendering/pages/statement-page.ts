/**
 * The customer's statement behind a statement link (`/r/{token}`, DESIGN.md §5 "One email per customer"): every open
 * invoice of the customer with its status and what is claimed today, the three answers per invoice (promise, problem,
 * question), one payment date for all of them at once, our bank details, and the statement to download (PDF, CSV).
 *
 * Pure functions returning complete responses, like the answer page whose look, headers and form fields they share
 * (answer-pages.ts). No JavaScript: each invoice's answers are `<details>` elements, and every form posts to the
 * page's own path with `invoiceId` and `action` (`promise` | `dispute` | `question`), or `action=promise_all`.
 * A GET renders, a POST records: nothing here changes anything.
 */
import type { Claim } from '../../domain/claim';
import type { Creditor } from '../../domain/creditor';
import { daysBetween } from '../../domain/dates';
import type { Dispute, InvoiceRecord, PaymentMethod } from '../../domain/invoice';
import { formatMoney, type Money } from '../../domain/money';
import { html, type SafeHtml } from '../html';
import { disputeReasonLabel, formatDate, paymentMethodLabel, type Language } from '../labels';
import { fr } from '../typography';
import {
  ACTIONS,
  DISPUTE_REASONS,
  FORM_FIELDS,
  FORM_TITLES,
  PAYMENT_METHODS,
  bankDetailsCard,
  capitalize,
  creditorFooter,
  disputeForm,
  documentHtml,
  errorText,
  isAction,
  paymentLink,
  pdfLink,
  promiseForm,
  questionForm,
  response,
  t,
  type AnswerAction,
  type FieldError,
  type FormContext,
  type PageResponse,
} from './answer-pages';

export interface StatementLine {
  invoice: InvoiceRecord;
  /** Given when the invoice is overdue: the claim as of today. */
  claim?: Claim;
}

export type StatementAction = AnswerAction | 'promise_all';

export interface StatementPageInput {
  creditor: Creditor;
  language: Language;
  customer: { id: string; name: string };
  /** The customer's open invoices, in due date order; none: the page says there is nothing open. */
  lines: StatementLine[];
  /** '/r/{token}': every form posts there; the downloads are `${formAction}?format=pdf|csv`. */
  formAction: string;
  /** YYYY-MM-DD in the creditor's calendar. */
  today: string;
  /** The latest date a promise may name (the date fields' max). */
  latestPromiseDate: string;
  /** From ?invoice=<id>&action=… in an emailed link: that invoice's form open and focused. */
  focus?: { invoiceId?: string; action?: StatementAction };
  /** A rejected POST: its errors (shown at the form that was sent, linked from an error summary) and values. */
  errors?: FieldError[];
  values?: Record<string, string | undefined>;
}

export interface StatementConfirmationInput extends Omit<StatementPageInput, 'errors' | 'values' | 'focus'> {
  answered: {
    invoiceId: string;
    action: 'promise' | 'dispute' | 'question';
    promisedDate?: string;
    /** When known, said beside the date. */
    paymentMethod?: PaymentMethod;
    /** When known, said beside the problem. */
    reason?: Dispute['reason'];
  }[];
}

// ---------------------------------------------------------------------------------------------------------------
// What a line says: its status, what is claimed. The PDF and the CSV use the same words.
// ---------------------------------------------------------------------------------------------------------------

export type LineStateKind = 'not_yet_due' | 'due_today' | 'promised' | 'disputed' | 'overdue';

export interface LineState {
  kind: LineStateKind;
  /** Days past the due date (overdue). */
  days: number;
  /** The date the customer promised (promised). */
  promisedDate?: string;
  /** Something was paid, less than the invoice. */
  partial: boolean;
}

/** A problem reported and not yet resolved: a promise for all invoices leaves it out (as the service does). */
export function hasOpenDispute(invoice: InvoiceRecord): boolean {
  return invoice.status === 'disputed' || invoice.dispute?.status === 'open';
}

/**
 * Where a line stands for the customer. The record's status may lag the calendar by a step (the execution marks an
 * invoice overdue the morning after its due date): a date gone by reads as overdue unless a promise or a problem
 * explains it.
 */
export function lineState(invoice: InvoiceRecord, today: string): LineState {
  const partial = invoice.outstanding.value < invoice.amount.value;
  const late = Math.max(0, daysBetween(invoice.dueDate, today));
  if (hasOpenDispute(invoice)) return { kind: 'disputed', days: late, partial };
  if (invoice.status === 'promised' && invoice.promise && !invoice.promise.brokenAt) {
    return { kind: 'promised', days: late, promisedDate: invoice.promise.date, partial };
  }
  if (invoice.status === 'overdue' || late > 0) return { kind: 'overdue', days: late, partial };
  if (today === invoice.dueDate) return { kind: 'due_today', days: 0, partial };
  return { kind: 'not_yet_due', days: 0, partial };
}

/**
 * The status in words. `long` (the page, the PDF) names the promised date and what happens to a problem; `short`
 * (the CSV, whose next column holds the promised date) does not. `date` formats the promised date.
 */
export function stateLabel(state: LineState, language: Language, style: 'long' | 'short', date: (day: string) => string = (day) => formatDate(day, language)): string {
  let text: string;
  switch (state.kind) {
    case 'not_yet_due':
      text = t(language, fr`Pas encore échue`, 'Not yet due');
      break;
    case 'due_today':
      text = t(language, fr`Échéance aujourd'hui`, 'Due today');
      break;
    case 'promised':
      text = style === 'long' && state.promisedDate
        ? t(language, fr`Paiement prévu le ${date(state.promisedDate)}`, `Payment promised for ${date(state.promisedDate)}`)
        : t(language, fr`Paiement prévu`, 'Payment promised');
      break;
    case 'disputed':
      text = style === 'long'
        ? t(language, fr`Problème signalé, en cours d'examen`, 'Problem reported, being looked at')
        : t(language, fr`Problème signalé`, 'Problem reported');
      break;
    case 'overdue':
      text = state.days === 0
        ? t(language, fr`En retard`, 'Overdue')
        : state.days === 1
          ? t(language, fr`En retard d'un jour`, 'Overdue by 1 day')
          : t(language, fr`En retard de ${state.days} jours`, `Overdue by ${state.days} days`);
      break;
  }
  return state.partial ? `${text}${t(language, fr`, paiement partiel reçu`, ', partly paid')}` : text;
}

/** What is claimed beyond the principal, when the claim adds anything: its total and the words for what it holds. */
export interface ClaimSummary {
  total: Money;
  /** The fixed indemnity claimed beside a total in another currency than EUR. */
  apart?: Money;
  /** "including late-payment penalties and the fixed indemnity for recovery costs". */
  words: string;
}

export function claimSummary(line: StatementLine, language: Language): ClaimSummary | undefined {
  const { claim, invoice } = line;
  if (!claim) return undefined;
  const apart = claim.indemnityApart && claim.indemnityApart.value > 0 ? claim.indemnityApart : undefined;
  if (claim.total.value === claim.principal.value && !apart) return undefined;
  const business = (invoice.customer.kind ?? 'business') === 'business';
  const penalties = claim.penalties.amount.value > 0;
  const indemnity = claim.indemnity.value > 0 && !apart;
  const fr_: string[] = [];
  const en: string[] = [];
  if (penalties) {
    fr_.push(business ? fr`pénalités de retard` : fr`intérêts de retard`);
    en.push(business ? 'late-payment penalties' : 'late-payment interest');
  }
  if (indemnity) {
    fr_.push(fr`indemnité forfaitaire pour frais de recouvrement`);
    en.push('the fixed indemnity for recovery costs');
  }
  let words = fr_.length
    ? t(language, fr`dont ${fr_.join(' et ')}`, `including ${en.join(' and ')}`)
    : t(language, fr`pénalités comprises`, 'including penalties');
  if (apart) {
    words += t(language, fr`, plus l'indemnité forfaitaire pour frais de recouvrement de ${formatMoney(apart, language)}`, `, plus the fixed indemnity for recovery costs of ${formatMoney(apart, language)}`);
  }
  return { total: claim.total, ...(apart ? { apart } : {}), words };
}

/** What is asked of a line today: the claim's total once overdue, otherwise what is left to pay. */
export function claimedOf(line: StatementLine): Money {
  return line.claim ? line.claim.total : line.invoice.outstanding;
}

/** Sums by currency, in the order the currencies first appear. */
export function totalsByCurrency(amounts: Money[]): Money[] {
  const sums = new Map<string, number>();
  for (const amount of amounts) sums.set(amount.currency, (sums.get(amount.currency) ?? 0) + amount.value);
  return [...sums].map(([currency, value]) => ({ value, currency }));
}

/** The statement's totals: outstanding per currency, and claimed per currency when a claim adds anything. */
export function statementTotals(lines: StatementLine[], language: Language): { outstanding: Money[]; claimed?: Money[] } {
  const outstanding = totalsByCurrency(lines.map((line) => line.invoice.outstanding));
  const summaries = lines.map((line) => claimSummary(line, language));
  if (!summaries.some(Boolean)) return { outstanding };
  const claimed = totalsByCurrency([
    ...lines.map(claimedOf),
    ...summaries.flatMap((summary) => (summary?.apart ? [summary.apart] : [])),
  ]);
  return { outstanding, claimed };
}

// ---------------------------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------------------------

/**
 * The statement's own rules, after the answer page's stylesheet: invoice cards, their status badges, the answers
 * inside a card, and text for screen readers only. Literal text, never data.
 */
const STATEMENT_STYLE = html`h3{font-size:1.15rem;line-height:1.3;margin:0 0 .5rem}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.card.highlight{border:2px solid #1d4ed8;box-shadow:0 0 0 4px #dbeafe}
.status{display:inline-block;max-width:100%;margin:0 0 .75rem;padding:.2rem .65rem;border-radius:1rem;font-weight:700;font-size:.95rem;background:#e5e7eb;color:#1f2937}
.status.overdue{background:#fee2e2;color:#7f1d1d}
.status.promised{background:#dcfce7;color:#14532d}
.status.disputed{background:#fef3c7;color:#78350f}
.amounts{display:block}
.facts dd .hint{display:block;font-weight:400}
.downloads{margin:0}
.downloads li{margin:0 0 .35rem}
.card details.answer{margin:.5rem 0 0;padding:.5rem .75rem}
.card details.answer>summary{font-size:1.05rem}
.answered{margin:0;padding-left:1.25rem}
.answered li{margin:0 0 .5rem}
`;

type Words = (french: string, english: string) => string;

function wordsFor(language: Language): Words {
  return (french, english) => (language === 'fr' ? french : english);
}

function amounts(list: Money[], language: Language): SafeHtml {
  return html`${list.map((money) => html`<span class="amounts">${formatMoney(money, language)}</span>`)}`;
}

interface Submitted {
  /** The line whose form was sent, or -1 for the pay-all form. */
  index: number;
  action: StatementAction;
}

/** The form a rejected POST came from: `promise_all`, or an answer naming a listed invoice. */
function submittedForm(lines: StatementLine[], values: Record<string, string | undefined>): Submitted | undefined {
  if (values.action === 'promise_all') return { index: -1, action: 'promise_all' };
  if (!isAction(values.action)) return undefined;
  const index = lines.findIndex((line) => line.invoice.invoiceId === values.invoiceId);
  return index >= 0 ? { index, action: values.action } : undefined;
}

/** The ids of a line's card and forms: by position, so any invoice id makes a valid, unique id. */
const linePrefix = (index: number) => `inv${index + 1}`;
const ALL = 'all';

/** Where an error's link leads: the field at fault in the form that was sent. */
function errorTarget(error: FieldError, sent: Submitted, lines: StatementLine[]): string | undefined {
  const field = error.path.split('.')[0];
  if (sent.action === 'promise_all') return ['promisedDate', 'paymentMethod'].includes(field) ? `${ALL}-${field}` : undefined;
  const prefix = `${linePrefix(sent.index)}-${sent.action}`;
  // Someone who needs longer than the policy allows is led to the invoice's question form, which reaches the team.
  if (error.code === 'promise_too_far') return `${linePrefix(sent.index)}-question-message`;
  if (!lines[sent.index] || !FORM_FIELDS[sent.action].includes(field)) return undefined;
  return `${prefix}-${field === 'reason' ? `reason-${DISPUTE_REASONS[0]}` : field}`;
}

function errorItems(errors: FieldError[], sent: Submitted | undefined, lines: StatementLine[], language: Language, latest: string): SafeHtml[] {
  const seen = new Set<string>();
  const items: SafeHtml[] = [];
  for (const error of errors) {
    const form = sent ? (sent.action === 'promise_all' ? 'promise' : sent.action) : undefined;
    const text = errorText(error, form, language, latest);
    if (seen.has(text)) continue;
    seen.add(text);
    const target = sent ? errorTarget(error, sent, lines) : undefined;
    items.push(target ? html`<li><a href="#${target}">${text}</a></li>` : html`<li>${text}</li>`);
  }
  return items;
}

/**
 * The error summary at the top of the page (announced, and focused on load so the keyboard starts there), with links
 * to the fields at fault; it names the invoice whose form was sent.
 */
function errorSummary(errors: FieldError[], sent: Submitted | undefined, lines: StatementLine[], language: Language, latest: string): SafeHtml {
  const w = wordsFor(language);
  const where = !sent
    ? ''
    : sent.action === 'promise_all'
      ? w(fr`Votre date de paiement pour toutes les factures n'a pas été enregistrée.`, 'Your payment date for all invoices was not recorded.')
      : w(fr`Votre réponse pour la facture ${lines[sent.index].invoice.invoiceId} n'a pas été enregistrée.`, `Your answer for invoice ${lines[sent.index].invoice.invoiceId} was not recorded.`);
  return html`<div class="alert" role="alert" id="error-summary" tabindex="-1" autofocus><p><strong>${w(fr`Merci de corriger les points suivants :`, 'Please correct the following:')}</strong>${where ? html` ${where}` : ''}</p><ul>${errorItems(errors, sent, lines, language, latest)}</ul></div>`;
}

/** The same messages at the form that was sent; its fields point to it with aria-describedby. */
function formErrorBox(id: string, errors: FieldError[], sent: Submitted, lines: StatementLine[], language: Language, latest: string): SafeHtml {
  return html`<div class="alert" id="${id}"><p><strong>${t(language, fr`Merci de corriger les points suivants :`, 'Please correct the following:')}</strong></p><ul>${errorItems(errors, sent, lines, language, latest)}</ul></div>`;
}

interface PageState {
  input: StatementPageInput;
  errors: FieldError[];
  values: Record<string, string | undefined>;
  sent?: Submitted;
  /** The line the emailed link points to, and which of its forms. */
  focusIndex: number;
  focusAction?: AnswerAction;
  /** The pay-all form is the one to show first. */
  focusAll: boolean;
  /** The element that takes the focus on load, when nothing else does (errors take it first). */
  autofocusDone: boolean;
}

function invalidFields(state: PageState, index: number, action: StatementAction): Set<string> {
  const own = state.sent && state.sent.index === index && state.sent.action === action && state.errors.length > 0;
  return new Set(own ? state.errors.map((e) => e.path.split('.')[0]) : []);
}

function answerForms(state: PageState, line: StatementLine, index: number): SafeHtml[] {
  const { input } = state;
  const { language, formAction } = input;
  const prefix = linePrefix(index);
  const sentHere = state.sent && state.sent.index === index && state.errors.length > 0 ? state.sent.action : undefined;
  const tooFar = sentHere === 'promise' && state.errors.some((e) => e.code === 'promise_too_far');
  return ACTIONS.map((form) => {
    const own = sentHere === form;
    const errorsId = own ? `${prefix}-${form}-errors` : undefined;
    const ctx: FormContext = {
      form,
      prefix: `${prefix}-${form}`,
      language,
      values: own ? state.values : {},
      invalid: invalidFields(state, index, form),
      ...(errorsId ? { errorsId } : {}),
    };
    const body = form === 'promise'
      ? promiseForm(ctx, line.invoice, input.today, input.latestPromiseDate)
      : form === 'dispute'
        ? disputeForm(ctx)
        : questionForm(ctx);
    const focused = state.focusIndex === index && state.focusAction === form;
    const open = own || focused || (form === 'question' && tooFar);
    let autofocus: SafeHtml | '' = '';
    if (focused && !state.autofocusDone) {
      autofocus = html` autofocus`;
      state.autofocusDone = true;
    }
    return html`<details class="${focused ? 'answer highlight' : 'answer'}" id="${prefix}-${form}"${open ? html` open` : ''}><summary${autofocus}>${FORM_TITLES[form][language]}<span class="sr-only"> — ${t(language, fr`facture ${line.invoice.invoiceId}`, `invoice ${line.invoice.invoiceId}`)}</span></summary>${own && errorsId ? formErrorBox(errorsId, state.errors, state.sent!, input.lines, language, input.latestPromiseDate) : ''}<form method="post" action="${formAction}"><input type="hidden" name="invoiceId" value="${line.invoice.invoiceId}"><input type="hidden" name="action" value="${form}">${body}</form></details>`;
  });
}

function invoiceCard(state: PageState, line: StatementLine, index: number): SafeHtml {
  const { language, today } = state.input;
  const { invoice } = line;
  const reg = invoice.registration;
  const prefix = linePrefix(index);
  const w = wordsFor(language);
  const status = lineState(invoice, today);
  const rows: [string, SafeHtml | string][] = [];
  if (reg.reference && reg.reference !== invoice.invoiceId) rows.push([w(fr`Référence`, 'Reference'), reg.reference]);
  if (reg.purchaseOrder) rows.push([w(fr`Bon de commande`, 'Purchase order'), reg.purchaseOrder]);
  rows.push([w(fr`Date d'émission`, 'Issue date'), formatDate(invoice.issueDate, language)]);
  rows.push([w(fr`Date d'échéance`, 'Due date'), formatDate(invoice.dueDate, language)]);
  if (invoice.outstanding.value !== invoice.amount.value) {
    rows.push([w(fr`Montant de la facture`, 'Invoice amount'), formatMoney(invoice.amount, language)]);
    rows.push([w(fr`Reste à payer`, 'Amount outstanding'), formatMoney(invoice.outstanding, language)]);
  } else {
    rows.push([w(fr`Montant à régler`, 'Amount due'), formatMoney(invoice.outstanding, language)]);
  }
  const claim = claimSummary(line, language);
  if (claim) {
    rows.push([
      w(fr`Montant réclamé à ce jour`, 'Amount claimed today'),
      html`${formatMoney(claim.total, language)}<span class="hint">${claim.words}</span>`,
    ]);
  }
  const highlighted = state.focusIndex === index;
  return html`<section class="${highlighted ? 'card invoice highlight' : 'card invoice'}" id="${prefix}" aria-labelledby="${prefix}-title"><h3 id="${prefix}-title">${w(fr`Facture ${invoice.invoiceId}`, `Invoice ${invoice.invoiceId}`)}</h3><p class="status ${status.kind}">${stateLabel(status, language, 'long')}</p><dl class="facts">${rows.map(
    ([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`,
  )}</dl>${pdfLink(invoice, language)}${paymentLink(invoice, language)}${answerForms(state, line, index)}</section>`;
}

/** One date for every invoice a promise suits: not those with a problem reported, which wait for our team. */
function payAllSection(state: PageState, promisable: StatementLine[]): SafeHtml {
  const { input, values } = state;
  const { language, today, latestPromiseDate: latest, formAction } = input;
  const w = wordsFor(language);
  const own = state.sent?.action === 'promise_all' && state.errors.length > 0;
  const invalid = invalidFields(state, -1, 'promise_all');
  const invalidAttrs = (field: string) => (invalid.has(field) ? html` aria-invalid="true" aria-describedby="${ALL}-errors"` : '');
  // The earliest due date still ahead, so no invoice is paid late by following the suggestion; within the policy.
  const earliestDue = promisable.map((line) => line.invoice.dueDate).sort()[0];
  let suggested = earliestDue > today ? earliestDue : today;
  if (suggested > latest) suggested = latest;
  const date = (own ? values.promisedDate : undefined) ?? suggested;
  const methods = new Set(promisable.map((line) => line.invoice.registration.paymentMethod ?? 'transfer'));
  const method = (own ? values.paymentMethod : undefined) ?? (methods.size === 1 ? [...methods][0] : 'transfer');
  const total = totalsByCurrency(promisable.map(claimedOf)).map((money) => formatMoney(money, language)).join(' + ');
  const excluded = input.lines.length - promisable.length;
  let autofocus: SafeHtml | '' = '';
  if (state.focusAll && !state.autofocusDone) {
    autofocus = html` autofocus`;
    state.autofocusDone = true;
  }
  return html`<section class="${state.focusAll ? 'card highlight' : 'card'}" id="pay-all" aria-labelledby="pay-all-title"><h2 id="pay-all-title">${w(fr`Une seule date pour toutes les factures`, 'One payment date for all invoices')}</h2><p>${w(
    fr`Indiquez-nous quand vous réglerez les ${promisable.length} factures ci-dessous (${total}).`,
    `Tell us when you will pay the ${promisable.length} invoices below (${total}).`,
  )}</p>${excluded > 0
    ? html`<p class="hint" id="pay-all-excluded">${excluded === 1
        ? w(fr`La facture pour laquelle vous avez signalé un problème n'est pas comprise : notre équipe s'en occupe.`, 'The invoice for which you reported a problem is not included: our team is looking into it.')
        : w(fr`Les ${excluded} factures pour lesquelles vous avez signalé un problème ne sont pas comprises : notre équipe s'en occupe.`, `The ${excluded} invoices for which you reported a problem are not included: our team is looking into them.`)}</p>`
    : ''}${own ? formErrorBox(`${ALL}-errors`, state.errors, state.sent!, input.lines, language, latest) : ''}<form method="post" action="${formAction}"><input type="hidden" name="action" value="promise_all"><label for="${ALL}-promisedDate">${w(fr`Date de paiement prévue`, 'Planned payment date')}</label><input type="date" id="${ALL}-promisedDate" name="promisedDate" value="${date}" min="${today}" max="${latest}" required${invalidAttrs('promisedDate')}${autofocus}><label for="${ALL}-paymentMethod">${w(fr`Moyen de paiement`, 'Payment method')}</label><select id="${ALL}-paymentMethod" name="paymentMethod" required${invalidAttrs('paymentMethod')}>${PAYMENT_METHODS.map(
    (m) => html`<option value="${m}"${m === method ? html` selected` : ''}>${capitalize(paymentMethodLabel(m, language))}</option>`,
  )}</select><button type="submit">${w(fr`Confirmer cette date pour les ${promisable.length} factures`, `Confirm this date for all ${promisable.length} invoices`)}</button></form><p class="hint">${w(
    fr`Pour un virement, nos coordonnées bancaires sont en bas de page.`,
    'For a bank transfer, our bank details are at the bottom of this page.',
  )} <a href="#bank-title">${w(fr`Voir nos coordonnées bancaires`, 'See our bank details')}</a></p></section>`;
}

/** The statement itself: summary and downloads, errors, the pay-all form, the invoices, the bank details. */
function statementContent(input: StatementPageInput, titleTag: 'h1' | 'h2'): SafeHtml {
  const { creditor, language, lines, formAction, today } = input;
  const w = wordsFor(language);
  const errors = input.errors ?? [];
  const values = input.values ?? {};
  const sent = errors.length > 0 ? submittedForm(lines, values) : undefined;
  const promisable = lines.filter((line) => !hasOpenDispute(line.invoice));
  const payAll = promisable.length >= 2;

  // The emailed link's target: an invoice (its promise form unless it names another), or the pay-all form, which
  // with fewer than two invoices to promise is the one invoice's promise form.
  let focusIndex = input.focus?.invoiceId !== undefined ? lines.findIndex((line) => line.invoice.invoiceId === input.focus!.invoiceId) : -1;
  let focusAction: AnswerAction | undefined;
  let focusAll = false;
  if (input.focus?.action === 'promise_all' && focusIndex < 0) {
    if (payAll) focusAll = true;
    else if (promisable.length === 1) focusIndex = lines.indexOf(promisable[0]);
  }
  if (focusIndex >= 0) focusAction = input.focus?.action && input.focus.action !== 'promise_all' ? input.focus.action : 'promise';
  const state: PageState = { input, errors, values, ...(sent ? { sent } : {}), focusIndex, ...(focusAction ? { focusAction } : {}), focusAll, autofocusDone: errors.length > 0 };

  const title = w(fr`Votre relevé au ${formatDate(today, language)}`, `Your statement as of ${formatDate(today, language)}`);
  const heading = titleTag === 'h1' ? html`<h1 id="statement-title">${title}</h1>` : html`<h2 id="statement-title">${title}</h2>`;
  const summaryRows: [string, SafeHtml | string][] = [
    [w(fr`Client`, 'Customer'), input.customer.name],
    [w(fr`Votre n° client`, 'Your customer number'), input.customer.id],
    [w(fr`Factures ouvertes`, 'Open invoices'), String(lines.length)],
  ];
  const totals = statementTotals(lines, language);
  if (lines.length > 0) summaryRows.push([w(fr`Total restant à payer`, 'Total outstanding'), amounts(totals.outstanding, language)]);
  if (totals.claimed) {
    summaryRows.push([
      w(fr`Total réclamé à ce jour`, 'Total claimed today'),
      html`${amounts(totals.claimed, language)}<span class="hint">${w(fr`pénalités de retard et indemnités comprises pour les factures en retard`, 'including late-payment penalties and indemnities on overdue invoices')}</span>`,
    ]);
  }
  const downloads = html`<ul class="downloads"><li><a href="${formAction}?format=pdf">${w(fr`Télécharger le relevé (PDF)`, 'Download the statement (PDF)')}</a></li><li><a href="${formAction}?format=csv">${w(fr`Télécharger le relevé pour un tableur (CSV)`, 'Download the statement for a spreadsheet (CSV)')}</a></li></ul>`;
  const summary = html`<section class="card" id="summary" aria-labelledby="summary-title"><h2 id="summary-title">${w(fr`En résumé`, 'Summary')}</h2><dl class="facts">${summaryRows.map(
    ([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`,
  )}</dl>${downloads}</section>`;

  if (lines.length === 0) {
    return html`${heading}${errors.length ? errorSummary(errors, undefined, lines, language, input.latestPromiseDate) : ''}<div class="notice" id="nothing-open"><p>${w(
      fr`Vous n'avez aucune facture ouverte chez ${creditor.name} : vous n'avez rien à régler. Merci !`,
      `You have no open invoice with ${creditor.name}: there is nothing to pay. Thank you!`,
    )}</p></div>${summary}`;
  }

  const intro = html`<p>${w(
    fr`Voici toutes vos factures encore ouvertes chez nous. Pour chacune, dites-nous en un clic quand vous la réglerez, signalez un problème ou posez une question ; ou donnez-nous une seule date pour toutes.`,
    'Here are all your invoices still open with us. For each one, tell us in one click when you will pay it, report a problem or ask a question; or give us one date for all of them.',
  )}</p>`;
  const overdue = lines.some((line) => lineState(line.invoice, today).kind === 'overdue')
    ? html`<div class="notice warn"><p>${w(
        fr`Certaines factures ont dépassé leur échéance. Si le règlement est déjà en cours, indiquez-nous simplement sa date.`,
        'Some invoices are past their due date. If payment is already on its way, simply let us know the date.',
      )}</p></div>`
    : '';
  const cards = lines.map((line, index) => invoiceCard(state, line, index));
  const list = html`<h2 id="invoices-title">${w(fr`Vos factures ouvertes (${lines.length})`, `Your open invoices (${lines.length})`)}</h2>${cards}`;
  const bank = bankDetailsCard(creditor, language, {
    value: w(fr`les numéros des factures réglées`, 'the numbers of the invoices you pay'),
    mono: false,
  });
  return html`${heading}${errors.length ? errorSummary(errors, sent, lines, language, input.latestPromiseDate) : ''}${intro}${summary}${overdue}${payAll ? payAllSection(state, promisable) : ''}${list}${bank}`;
}

export function renderStatementPage(input: StatementPageInput): PageResponse {
  const { creditor, language } = input;
  const content = statementContent(input, 'h1');
  const title = `${t(language, fr`Votre relevé au ${formatDate(input.today, language)}`, `Your statement as of ${formatDate(input.today, language)}`)} — ${creditor.name}`;
  return response(200, documentHtml(language, title, creditor.name, content, creditorFooter(creditor, language), STATEMENT_STYLE));
}

// ---------------------------------------------------------------------------------------------------------------
// The confirmation: what was recorded, per invoice, then the statement again
// ---------------------------------------------------------------------------------------------------------------

function answeredItem(answer: StatementConfirmationInput['answered'][number], input: StatementConfirmationInput): SafeHtml {
  const { language } = input;
  const w = wordsFor(language);
  const line = input.lines.find((l) => l.invoice.invoiceId === answer.invoiceId);
  const name = w(fr`Facture ${answer.invoiceId}`, `Invoice ${answer.invoiceId}`);
  let text: string;
  if (answer.action === 'promise') {
    const date = answer.promisedDate ? formatDate(answer.promisedDate, language) : undefined;
    const method = answer.paymentMethod ? paymentMethodLabel(answer.paymentMethod, language) : undefined;
    text = date
      ? w(fr`nous avons bien noté votre paiement prévu le ${date}${method ? ` par ${method}` : ''}.`, `we have recorded your payment planned for ${date}${method ? ` by ${method}` : ''}.`)
      : w(fr`nous avons bien noté votre date de paiement.`, 'we have recorded your payment date.');
    const due = line?.invoice.dueDate;
    if (answer.promisedDate && due && answer.promisedDate > due) {
      text += ` ${w(
        fr`Cette date est postérieure à l'échéance du ${formatDate(due, language)} ; nous l'avons néanmoins bien enregistrée.`,
        `This date is after the due date of ${formatDate(due, language)}; we have recorded it all the same.`,
      )}`;
    }
  } else if (answer.action === 'dispute') {
    const reason = answer.reason ? ` (${disputeReasonLabel(answer.reason, language)})` : '';
    text = w(
      fr`merci de nous avoir signalé ce problème${reason}. Notre équipe a été prévenue et vous contactera ; nos relances pour cette facture sont suspendues en attendant.`,
      `thank you for reporting this problem${reason}. Our team has been notified and will contact you; reminders for this invoice are paused in the meantime.`,
    );
  } else {
    text = w(fr`merci pour votre question. Notre équipe vous répondra par e-mail.`, 'thank you for your question. Our team will answer you by email.');
  }
  return html`<li><strong>${name}</strong>${w(fr` : `, ': ')}${text}</li>`;
}

export function renderStatementConfirmation(input: StatementConfirmationInput): PageResponse {
  const { creditor, language, answered } = input;
  const w = wordsFor(language);
  const heading = answered.length > 1
    ? w(fr`Merci, vos réponses sont enregistrées`, 'Thank you, your answers have been recorded')
    : w(fr`Merci, votre réponse est enregistrée`, 'Thank you, your answer has been recorded');
  const content = html`<h1>${heading}</h1><section class="card" id="confirmation" aria-label="${w(fr`Ce que nous avons enregistré`, 'What we have recorded')}"><ul class="answered">${answered.map(
    (answer) => answeredItem(answer, input),
  )}</ul></section>${statementContent(input, 'h2')}`;
  return response(200, documentHtml(language, `${heading} — ${creditor.name}`, creditor.name, content, creditorFooter(creditor, language), STATEMENT_STYLE));
}
