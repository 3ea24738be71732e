/**
 * The pages behind customer links (`/r/{token}`), for accounts-payable staff who open them from an email, often on a
 * phone: the invoice summary, our bank details and the three one-click answers (promise, dispute, question).
 *
 * Every function is pure and returns a complete HTML response, so handlers stay thin and the local runtime serves
 * exactly what Lambda serves. The pages carry no JavaScript at all: plain forms work on every device, survive strict
 * corporate browsers, and let the Content-Security-Policy forbid scripts outright.
 */
import { legalMentions, type Creditor } from '../../domain/creditor';
import { html, safeUrl, type SafeHtml } from '../html';
import { fr, type French } from '../typography';
import { disputeReasonLabel, formatDate, paymentMethodLabel, type Language } from '../labels';
import { CLOSED_STATUSES, type InvoiceRecord, type PaymentMethod } from '../../domain/invoice';
import { formatMoney } from '../../domain/money';
import type { LinkRecord } from '../../domain/link';
import { DisputeReason, PaymentMethod as PaymentMethodSchema, type CustomerAnswer } from '../../domain/schemas';

export type { Language };
export type AnswerAction = LinkRecord['allowedActions'][number];

export interface PageResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface FieldError {
  path: string;
  message: string;
  /** Which rule refused the value, when the words depend on it (`promise_past`, `promise_too_far`). */
  code?: string;
}

/**
 * No script source at all (the pages need none), inline styles only from our own <style> element, forms may only post
 * back to us, and no framing (clickjacking a "confirm payment" button). The token sits in the URL, so no referrer
 * may carry it to the PDF host, no cache may keep the page, and search engines must not index it.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
});

export const ACTIONS: readonly AnswerAction[] = ['promise', 'dispute', 'question'];
export const PAYMENT_METHODS = PaymentMethodSchema.options;
export const DISPUTE_REASONS = DisputeReason.options;
export const MESSAGE_MAX = 2000;

/** A complete response with the page headers (the statement pages use it too). */
export function response(statusCode: number, body: string, extraHeaders: Record<string, string> = {}): PageResponse {
  // A fresh object each time: a handler adding a header must not change the shared constant.
  return { statusCode, headers: { ...PAGE_HEADERS, ...extraHeaders }, body };
}

/** The labels come from the email module so a page and the email that links to it use the same words. */
export function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** IBANs are read aloud and compared by eye: groups of four, as printed on bank documents. */
function groupIban(iban: string): string {
  return iban.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/** The words in the customer's language; the French ones are typeset by `fr` (our words, never the data). */
export function t(language: Language, french: French, english: string): string {
  return language === 'fr' ? french : english;
}

/**
 * The whole document. The stylesheet is a literal part of the template (never interpolated) so the `html` tag leaves
 * it alone; it is written mobile first: one fluid column, long IBANs and addresses wrap instead of scrolling sideways
 * on a 360 px phone, and every focusable element shows a thick outline for keyboard users. The empty data: icon
 * stops browsers asking for /favicon.ico, a route the API does not have (a 404 and a console error on every view).
 * `extraStyle`, rules a page of its own needs (the statement's cards), comes after these; it must be made by `html`
 * from literal text only.
 */
export function documentHtml(lang: string, title: string, header: string | undefined, content: SafeHtml, footer?: SafeHtml, extraStyle?: SafeHtml): string {
  return `<!DOCTYPE html>\n${html`<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light"><meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer"><link rel="icon" href="data:,"><title>${title}</title><style>
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f3f4f6;color:#1f2937;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;overflow-wrap:anywhere}
.wrap{max-width:40rem;margin:0 auto;padding:0 1rem}
.site{background:#1e3a8a;color:#fff;padding:.75rem 0;font-weight:700;font-size:1.05rem}
main{padding:1rem 0 .5rem}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 .75rem}
h2{font-size:1.2rem;line-height:1.3;margin:0 0 .75rem}
p{margin:0 0 .75rem}
a{color:#1d4ed8;text-decoration:underline}
.card{background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:1rem;margin:0 0 1rem;min-width:0}
.card>:last-child,.facts>dd:last-child{margin-bottom:0}
.facts{margin:0 0 .75rem;display:grid;grid-template-columns:minmax(0,1fr);column-gap:1rem}
.facts dt{color:#4b5563;font-size:.9rem}
.facts dd{margin:0 0 .6rem;font-weight:600;min-width:0}
@media (min-width:32rem){.facts{grid-template-columns:minmax(0,12rem) minmax(0,1fr)}.facts dt{font-size:1rem}.facts dd{margin:0 0 .4rem}}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.02em;text-wrap:balance}
.notice{border-left:4px solid #1d4ed8;background:#eff6ff;padding:.75rem 1rem;margin:0 0 1rem;border-radius:0 6px 6px 0}
.notice.warn{border-left-color:#b45309;background:#fef3c7}
.notice p:last-child{margin:0}
.alert{border:2px solid #b91c1c;background:#fef2f2;color:#7f1d1d;padding:.75rem 1rem;margin:0 0 1rem;border-radius:6px}
.alert a{color:#7f1d1d;font-weight:600}
.alert ul{margin:.25rem 0 0;padding-left:1.25rem}
details.answer{background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}
details.answer>summary{cursor:pointer;font-size:1.15rem;font-weight:700;padding:.25rem 0;color:#1e3a8a}
details.answer[open]>summary{margin-bottom:.5rem}
details.answer.highlight{border:2px solid #1d4ed8;box-shadow:0 0 0 4px #dbeafe}
label{display:block;font-weight:600;margin:.85rem 0 .3rem}
input[type=date],input[type=text],input[type=email],select,textarea{display:block;width:100%;max-width:100%;min-width:0;min-height:2.75rem;font:inherit;color:#111827;background:#fff;border:1px solid #6b7280;border-radius:6px;padding:.55rem .7rem}
textarea{min-height:6.5rem;resize:vertical}
[aria-invalid=true]{border:2px solid #b91c1c}
fieldset{border:0;padding:0;margin:.85rem 0 0;min-width:0}
legend{font-weight:600;padding:0;margin:0 0 .3rem}
.choice{display:flex;align-items:flex-start;gap:.6rem;margin:.45rem 0}
.choice input{flex:none;width:1.25rem;height:1.25rem;margin:.15rem 0 0}
.choice label{font-weight:400;margin:0}
.hint{color:#4b5563;font-size:.95rem}
button,a.button{display:inline-block;max-width:100%;min-height:2.75rem;margin:1rem 0 .25rem;padding:.65rem 1.25rem;font:inherit;font-weight:700;color:#fff;background:#1d4ed8;border:2px solid #1d4ed8;border-radius:6px;cursor:pointer;text-decoration:none;box-sizing:border-box}
button:hover,a.button:hover{background:#1e40af;border-color:#1e40af}
button.secondary{color:#1d4ed8;background:#fff}
button.secondary:hover{color:#fff}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
a:focus-visible,button:focus-visible,summary:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #b45309;outline-offset:2px}
blockquote{margin:0 0 1rem;padding:.5rem 1rem;border-left:4px solid #9ca3af;background:#f9fafb;white-space:pre-wrap}
footer{color:#4b5563;font-size:.875rem;padding:0 0 2rem}
footer p{margin:0 0 .35rem}
${extraStyle ?? ''}</style></head><body>${header ? html`<header class="site"><div class="wrap">${header}</div></header>` : ''}<div class="wrap"><main>${content}</main>${footer ? html`<footer>${footer}</footer>` : ''}</div></body></html>`}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Pieces shared by the answer page and the confirmation page
// ---------------------------------------------------------------------------------------------------------------

export function invoiceFacts(invoice: InvoiceRecord, language: Language): SafeHtml {
  const reg = invoice.registration;
  const rows: [string, string][] = [
    [t(language, fr`Client`, 'Customer'), invoice.customer.name],
    [t(language, fr`Facture n°`, 'Invoice number'), invoice.invoiceId],
  ];
  // The reference often repeats the invoice number; saying it twice only adds noise.
  if (reg.reference && reg.reference !== invoice.invoiceId) rows.push([t(language, fr`Référence`, 'Reference'), reg.reference]);
  if (reg.purchaseOrder) rows.push([t(language, fr`Bon de commande`, 'Purchase order'), reg.purchaseOrder]);
  // After a partial payment the customer must see why the amount asked differs from the invoice they hold.
  if (invoice.partiallyPaid || invoice.outstanding.value !== invoice.amount.value) {
    rows.push([t(language, fr`Montant de la facture`, 'Invoice amount'), formatMoney(invoice.amount, language)]);
    rows.push([t(language, fr`Reste à payer`, 'Amount outstanding'), formatMoney(invoice.outstanding, language)]);
  } else {
    rows.push([t(language, fr`Montant à régler`, 'Amount due'), formatMoney(invoice.outstanding, language)]);
  }
  rows.push([t(language, fr`Date d'échéance`, 'Due date'), formatDate(invoice.dueDate, language)]);
  return html`<dl class="facts">${rows.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>`;
}

/**
 * "Do these match what you hold for us?": one click either way. "They differ" is how supplier-impersonation fraud shows
 * itself, so it alerts the team at once (a POST, like every answer: a scanner's GET changes nothing).
 */
function bankCheckForm(formAction: string, language: Language): SafeHtml {
  return html`<form method="post" action="${formAction}" class="bank-check"><input type="hidden" name="action" value="bank_details"><p>${t(
    language,
    fr`Ces coordonnées sont-elles celles que vous avez enregistrées pour nous ?`,
    'Are these the details you hold for us?',
  )}</p><label for="bank-message">${t(
    language,
    fr`Précisions (facultatif) : les coordonnées que vous avez pour nous, qui vous les a transmises`,
    'Details (optional): the details you hold for us, who sent them to you',
  )}</label><textarea id="bank-message" name="message" rows="3" maxlength="${MESSAGE_MAX}"></textarea><button type="submit" name="bankDetails" value="match">${t(language, fr`Oui, elles correspondent`, 'Yes, they match')}</button> <button type="submit" name="bankDetails" value="differ" class="secondary">${t(language, fr`Non, elles sont différentes`, 'No, they differ')}</button></form>`;
}

/**
 * The billing system's online payment page, where there is one, while the invoice's own amount is what is owed (see
 * the emails' `paymentButton`): not after a partial payment or a corrected amount, nor once overdue (penalties).
 */
export function paymentLink(invoice: InvoiceRecord, language: Language): SafeHtml | '' {
  const url = invoice.registration.paymentUrl;
  if (!url || invoice.outstanding.value !== invoice.amount.value || invoice.status === 'overdue') return '';
  return html`<p><a class="button" href="${safeUrl(url)}" target="_blank" rel="noopener noreferrer">${t(language, fr`Payer en ligne`, 'Pay online')}</a></p>`;
}

export function pdfLink(invoice: InvoiceRecord, language: Language): SafeHtml | '' {
  const url = invoice.registration.pdfUrl;
  if (!url) return '';
  return html`<p><a href="${safeUrl(url)}" target="_blank" rel="noopener noreferrer">${t(language, fr`Télécharger la facture ${invoice.invoiceId} (PDF)`, `Download invoice ${invoice.invoiceId} (PDF)`)}</a></p>`;
}

/**
 * Bank details with the standing warning: changed bank details sent by email are the classic supplier-impersonation
 * fraud, so the page says, as the emails do, that ours never change that way.
 */
export function bankDetails(creditor: Creditor, invoice: InvoiceRecord, language: Language, formAction?: string): SafeHtml {
  return bankDetailsCard(creditor, language, { value: invoice.invoiceId, mono: true }, formAction);
}

/**
 * The bank details card with the payment reference to give: one invoice's number, or words ("the numbers of the
 * invoices you pay") for a statement of several; the bank-details check form when `formAction` is given.
 */
export function bankDetailsCard(creditor: Creditor, language: Language, reference: { value: string; mono: boolean }, formAction?: string): SafeHtml {
  const rows: [string, string, boolean][] = [[t(language, fr`Titulaire du compte`, 'Account holder'), creditor.name, false]];
  if (creditor.bankName) rows.push([t(language, fr`Banque`, 'Bank'), creditor.bankName, false]);
  rows.push(['IBAN', groupIban(creditor.iban), true], ['BIC', creditor.bic.trim(), true]);
  rows.push([t(language, fr`Référence à indiquer`, 'Payment reference'), reference.value, reference.mono]);
  return html`<section class="card" aria-labelledby="bank-title"><h2 id="bank-title">${t(language, fr`Nos coordonnées bancaires`, 'Our bank details')}</h2><dl class="facts">${rows.map(
    ([label, value, mono]) => html`<dt>${label}</dt><dd${mono ? html` class="mono"` : ''}>${value}</dd>`,
  )}</dl><div class="notice warn"><p>${t(
    language,
    fr`Merci de vérifier ces coordonnées avec celles que vous avez enregistrées pour nous. Nous ne vous communiquerons jamais de nouvelles coordonnées bancaires par e-mail : si un message vous demande de payer sur un autre compte, ne payez pas et appelez-nous à un numéro que vous connaissez déjà.`,
    'Please check these details against the ones you have on file for us. We will never send you new bank details by email: if a message asks you to pay into another account, do not pay, and call us on a number you already know.',
  )}</p></div>${formAction ? bankCheckForm(formAction, language) : ''}</section>`;
}

/** Who sends the page: a customer who doubts a link can check the company behind it. */
export function creditorFooter(creditor: Creditor, language: Language): SafeHtml {
  return html`<p>${t(language, fr`Page envoyée par ${creditor.team.name}, ${creditor.name} — ${creditor.team.phone}`, `Page sent by ${creditor.team.name}, ${creditor.name} — ${creditor.team.phone}`)}</p><p>${legalMentions(creditor, language)}</p><p>${t(
    language,
    fr`Ce lien vous est personnel et ne demande aucun identifiant.`,
    'This link is personal to you and requires no login.',
  )}</p>`;
}

// ---------------------------------------------------------------------------------------------------------------
// The answer page
// ---------------------------------------------------------------------------------------------------------------

export interface AnswerPageInput {
  creditor: Creditor;
  invoice: InvoiceRecord;
  link: LinkRecord;
  /** From `?action=` in the emailed link: that form comes first, open and highlighted. */
  action?: AnswerAction;
  /** Where the forms post: the page's own path, `/r/{token}`. */
  formAction: string;
  /** Validation errors of a rejected POST, shown above the form that was sent. */
  errors?: FieldError[];
  /** The values of that rejected POST, so the customer does not type them again. */
  values?: Record<string, string | undefined>;
  /**
   * Today in the creditor's calendar (YYYY-MM-DD). When given and the due date has passed, the promise form proposes
   * today rather than a date already gone.
   */
  today?: string;
  /** The latest date a promise made today may name (the policy's limit): the date field offers nothing later. */
  latestPromiseDate?: string;
}

export function isAction(value: unknown): value is AnswerAction {
  return typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);
}

/**
 * The server's messages are written for API callers, in English; the customer gets a short hint in their language,
 * chosen by the field that failed.
 */
export function errorText(error: FieldError, form: AnswerAction | undefined, language: Language, latest: string | undefined): string {
  const field = error.path.split('.')[0];
  switch (field) {
    case 'promisedDate':
      if (error.code === 'promise_past') {
        return t(language, fr`Cette date est déjà passée : indiquez une date à partir d'aujourd'hui.`, 'This date has already passed: enter today\'s date or a later one.');
      }
      if (error.code === 'promise_too_far') {
        const until = latest ? formatDate(latest, language) : undefined;
        return t(
          language,
          fr`Indiquez une date${until ? ` au plus tard le ${until}` : ' plus proche'}. S'il vous faut davantage de temps, écrivez-nous avec le formulaire « J'ai une question » : notre équipe conviendra d'une date avec vous.`,
          `${until ? `Enter a date no later than ${until}` : 'Enter an earlier date'}. If you need more time, write to us using the “I have a question” form: our team will agree a date with you.`,
        );
      }
      return t(language, fr`Indiquez une date de paiement valide.`, 'Enter a valid payment date.');
    case 'paymentMethod':
      return t(language, fr`Choisissez un moyen de paiement.`, 'Choose a payment method.');
    case 'reason':
      return t(language, fr`Choisissez le problème rencontré.`, 'Choose the problem you have encountered.');
    case 'message':
      return form === 'question'
        ? t(language, fr`Écrivez votre question (2 000 caractères au plus).`, 'Write your question (no more than 2,000 characters).')
        : t(language, fr`Votre message ne doit pas dépasser 2 000 caractères.`, 'Your message must not exceed 2,000 characters.');
    case 'contactName':
      return t(language, fr`Le nom ne doit pas dépasser 200 caractères.`, 'The name must not exceed 200 characters.');
    case 'contactEmail':
      return t(language, fr`Indiquez une adresse e-mail valide.`, 'Enter a valid email address.');
    default:
      return t(language, fr`Nous n'avons pas pu lire votre réponse : merci de choisir une réponse et de réessayer.`, 'We could not read your answer: please choose an answer and try again.');
  }
}

export const FORM_FIELDS: Record<AnswerAction, readonly string[]> = {
  promise: ['promisedDate', 'paymentMethod', 'message'],
  dispute: ['reason', 'message'],
  question: ['message', 'contactName', 'contactEmail'],
};

/** The error box: `role="alert"` so screen readers announce it, links that jump to the field at fault. */
function errorBox(form: AnswerAction | undefined, errors: FieldError[], language: Language, latest: string | undefined): SafeHtml {
  const seen = new Set<string>();
  const items: SafeHtml[] = [];
  for (const error of errors) {
    const field = error.path.split('.')[0];
    const text = errorText(error, form, language, latest);
    if (seen.has(text)) continue;
    seen.add(text);
    // Someone who needs longer than the policy allows is led to the question form, which reaches the team.
    const target =
      error.code === 'promise_too_far'
        ? fieldId('question', 'message')
        : form && FORM_FIELDS[form].includes(field)
          ? fieldId(form, field === 'reason' ? 'reason-' + DISPUTE_REASONS[0] : field)
          : undefined;
    items.push(target ? html`<li><a href="#${target}">${text}</a></li>` : html`<li>${text}</li>`);
  }
  const id = form ? `${form}-errors` : 'errors';
  return html`<div class="alert" role="alert" id="${id}"><p><strong>${t(language, fr`Merci de corriger les points suivants :`, 'Please correct the following:')}</strong></p><ul>${items}</ul></div>`;
}

function fieldId(form: AnswerAction, field: string): string {
  return `${form}-${field}`;
}

export interface FormContext {
  form: AnswerAction;
  /** What the form's field ids start with: the form's name on the answer page, `inv2-promise` on the statement. */
  prefix?: string;
  language: Language;
  /** Submitted values, only for the form that was sent. */
  values: Record<string, string | undefined>;
  /** Fields that failed validation. */
  invalid: Set<string>;
  errorsId?: string;
}

/** A field's id within its form: unique on a page that shows the same form for several invoices. */
function ownId(ctx: FormContext, field: string): string {
  return `${ctx.prefix ?? ctx.form}-${field}`;
}

export function invalidAttrs(ctx: FormContext, field: string): SafeHtml | '' {
  return ctx.invalid.has(field) ? html` aria-invalid="true"${ctx.errorsId ? html` aria-describedby="${ctx.errorsId}"` : ''}` : '';
}

function messageField(ctx: FormContext, label: string, required: boolean): SafeHtml {
  const id = ownId(ctx, 'message');
  return html`<label for="${id}">${label}</label><textarea id="${id}" name="message" rows="4" maxlength="${MESSAGE_MAX}"${required ? html` required` : ''}${invalidAttrs(ctx, 'message')}>${ctx.values.message ?? ''}</textarea>`;
}

export function promiseForm(ctx: FormContext, invoice: InvoiceRecord, today: string | undefined, latest: string | undefined): SafeHtml {
  const { language, values } = ctx;
  const dateId = ownId(ctx, 'promisedDate');
  const methodId = ownId(ctx, 'paymentMethod');
  // A date already gone is a poor suggestion once the invoice is overdue.
  const suggested = today && today > invoice.dueDate ? today : latest && latest < invoice.dueDate ? latest : invoice.dueDate;
  const date = values.promisedDate ?? suggested;
  const method = values.paymentMethod ?? invoice.registration.paymentMethod ?? 'transfer';
  return html`<p class="hint">${t(language, fr`Indiquez-nous quand et comment vous réglerez cette facture.`, 'Tell us when and how you will pay this invoice.')}</p><label for="${dateId}">${t(language, fr`Date de paiement prévue`, 'Planned payment date')}</label><input type="date" id="${dateId}" name="promisedDate" value="${date}"${today ? html` min="${today}"` : ''}${latest ? html` max="${latest}"` : ''} required${invalidAttrs(ctx, 'promisedDate')}><label for="${methodId}">${t(language, fr`Moyen de paiement`, 'Payment method')}</label><select id="${methodId}" name="paymentMethod" required${invalidAttrs(ctx, 'paymentMethod')}>${PAYMENT_METHODS.map(
    (m: PaymentMethod) => html`<option value="${m}"${m === method ? html` selected` : ''}>${capitalize(paymentMethodLabel(m, language))}</option>`,
  )}</select>${messageField(ctx, t(language, fr`Message (facultatif)`, 'Message (optional)'), false)}<button type="submit">${t(language, fr`Confirmer cette date`, 'Confirm this date')}</button>`;
}

export function disputeForm(ctx: FormContext): SafeHtml {
  const { language, values } = ctx;
  return html`<p class="hint">${t(language, fr`Notre équipe vous recontactera ; nos relances sont suspendues en attendant.`, 'Our team will get back to you; reminders are paused in the meantime.')}</p><fieldset><legend>${t(language, fr`Quel est le problème ?`, 'What is the problem?')}</legend>${DISPUTE_REASONS.map((reason) => {
    const id = ownId(ctx, `reason-${reason}`);
    return html`<div class="choice"><input type="radio" id="${id}" name="reason" value="${reason}" required${values.reason === reason ? html` checked` : ''}${invalidAttrs(ctx, 'reason')}><label for="${id}">${capitalize(disputeReasonLabel(reason, language))}</label></div>`;
  })}</fieldset>${messageField(ctx, t(language, fr`Précisions (facultatif)`, 'Details (optional)'), false)}<button type="submit">${t(language, fr`Signaler le problème`, 'Report the problem')}</button>`;
}

export function questionForm(ctx: FormContext): SafeHtml {
  const { language, values } = ctx;
  const nameId = ownId(ctx, 'contactName');
  const emailId = ownId(ctx, 'contactEmail');
  return html`${messageField(ctx, t(language, fr`Votre question`, 'Your question'), true)}<fieldset><legend>${t(
    language,
    fr`La personne à contacter en comptabilité fournisseurs (facultatif)`,
    'The person to contact in accounts payable (optional)',
  )}</legend><label for="${nameId}">${t(language, fr`Nom`, 'Name')}</label><input type="text" id="${nameId}" name="contactName" maxlength="200" autocomplete="name" value="${values.contactName ?? ''}"${invalidAttrs(ctx, 'contactName')}><label for="${emailId}">${t(language, fr`Adresse e-mail`, 'Email address')}</label><input type="email" id="${emailId}" name="contactEmail" maxlength="254" autocomplete="email" value="${values.contactEmail ?? ''}"${invalidAttrs(ctx, 'contactEmail')}></fieldset><button type="submit">${t(language, fr`Envoyer la question`, 'Send the question')}</button>`;
}

export const FORM_TITLES: Record<AnswerAction, Record<Language, string>> = {
  promise: { fr: fr`Je confirme une date de paiement`, en: 'I can confirm a payment date' },
  dispute: { fr: fr`Je signale un problème`, en: 'I wish to report a problem' },
  question: { fr: fr`J'ai une question`, en: 'I have a question' },
};

/** What the customer told us already, so a second visit does not look as if the first answer was lost. */
function previousAnswers(invoice: InvoiceRecord, language: Language): SafeHtml | '' {
  const lines: string[] = [];
  const { promise, dispute } = invoice;
  if (promise) {
    const date = formatDate(promise.date, language);
    const method = promise.method ? paymentMethodLabel(promise.method, language) : undefined;
    lines.push(
      t(
        language,
        fr`Vous nous avez indiqué un paiement le ${date}${method ? ` par ${method}` : ''}.`,
        `You told us you would pay on ${date}${method ? ` by ${method}` : ''}.`,
      ),
    );
  }
  if (dispute && dispute.status === 'open') {
    const date = formatDate(dispute.at.slice(0, 10), language);
    const reason = disputeReasonLabel(dispute.reason, language);
    lines.push(
      t(
        language,
        fr`Vous nous avez signalé un problème le ${date} (${reason}). Notre équipe s'en occupe ; nos relances sont suspendues en attendant.`,
        `You reported a problem on ${date} (${reason}). Our team is looking into it; reminders are paused in the meantime.`,
      ),
    );
  }
  if (lines.length === 0) return '';
  return html`<div class="notice" id="previous-answer">${lines.map((line) => html`<p>${line}</p>`)}<p>${t(
    language,
    fr`Vous pouvez toujours nous envoyer une nouvelle réponse ci-dessous.`,
    'You can still send us a new answer below.',
  )}</p></div>`;
}

function closedMessage(invoice: InvoiceRecord, creditor: Creditor, language: Language): SafeHtml {
  let text: string;
  if (invoice.status === 'paid') {
    text = t(language, fr`Cette facture est réglée : vous n'avez rien à faire. Merci !`, 'This invoice has been paid: there is nothing for you to do. Thank you!');
  } else if (invoice.status === 'cancelled') {
    text = t(language, fr`Cette facture a été annulée : vous n'avez rien à faire. Merci.`, 'This invoice has been cancelled: there is nothing for you to do. Thank you.');
  } else {
    // Handed off: the debt still stands, so the page must not say it is settled; it only says this page is done.
    text = t(
      language,
      fr`Vous n'avez plus rien à faire sur cette page. Pour toute question sur cette facture, veuillez contacter directement ${creditor.name}.`,
      `There is nothing more to do on this page. If you have any questions about this invoice, please contact ${creditor.name} directly.`,
    );
  }
  return html`<div class="notice" id="nothing-to-do"><p>${text}</p></div>`;
}

export function renderAnswerPage(input: AnswerPageInput): PageResponse {
  const { creditor, invoice, link, formAction, errors = [], values = {} } = input;
  const language = link.language;
  const closed = CLOSED_STATUSES.has(invoice.status);
  const allowed = ACTIONS.filter((a) => link.allowedActions.includes(a));
  const submitted = isAction(values.action) && allowed.includes(values.action) ? values.action : undefined;
  const requested = input.action && allowed.includes(input.action) ? input.action : undefined;
  // The form the customer just sent wins over the one the email pointed to: that is where their errors are.
  const primary = errors.length > 0 && submitted ? submitted : requested;
  const ordered = primary ? [primary, ...allowed.filter((a) => a !== primary)] : allowed;
  const open = primary ?? (allowed.includes('promise') ? 'promise' : allowed[0]);

  const forms = ordered.map((form) => {
    const own = submitted === form && errors.length > 0;
    const ctx: FormContext = {
      form,
      language,
      values: submitted === form ? values : {},
      invalid: new Set(own ? errors.map((e) => e.path.split('.')[0]) : []),
      errorsId: own ? `${form}-errors` : undefined,
    };
    const body = form === 'promise' ? promiseForm(ctx, invoice, input.today, input.latestPromiseDate) : form === 'dispute' ? disputeForm(ctx) : questionForm(ctx);
    const classes = form === primary ? 'answer highlight' : 'answer';
    return html`<details class="${classes}" id="${form}"${form === open || own ? html` open` : ''}><summary>${FORM_TITLES[form][language]}</summary>${own ? errorBox(form, errors, language, input.latestPromiseDate) : ''}<form method="post" action="${formAction}"><input type="hidden" name="action" value="${form}">${body}</form></details>`;
  });
  // Errors we cannot tie to one form (no or unknown `action`) go above all the forms.
  const looseErrors = errors.length > 0 && !submitted ? errorBox(undefined, errors, language, input.latestPromiseDate) : '';

  const overdue =
    invoice.status === 'overdue'
      ? html`<div class="notice warn"><p>${t(
          language,
          fr`L'échéance de cette facture est passée. Si le règlement est déjà en cours, indiquez-nous simplement sa date ci-dessous.`,
          'This invoice is past its due date. If payment is already on its way, simply let us know the date below.',
        )}</p></div>`
      : '';

  const answers = closed
    ? closedMessage(invoice, creditor, language)
    : allowed.length === 0
      ? html`<div class="notice"><p>${t(language, fr`Pour toute question, veuillez contacter ${creditor.name}.`, `If you have any questions, please contact ${creditor.name}.`)}</p></div>`
      : html`${previousAnswers(invoice, language)}<h2 id="answer-title">${t(language, fr`Votre réponse`, 'Your answer')}</h2>${looseErrors}${forms}`;

  const content = html`<h1>${t(language, fr`Facture ${invoice.invoiceId}`, `Invoice ${invoice.invoiceId}`)}</h1>${closed
    ? ''
    : html`<p>${t(
        language,
        fr`Tout est-il en ordre pour cette facture ? Dites-le-nous en un clic : une date de paiement, un problème à signaler ou une question.`,
        'Is everything in order with this invoice? Let us know in one click: a payment date, a problem to report or a question.',
      )}</p>`}<section class="card" aria-label="${t(language, fr`Résumé de la facture`, 'Invoice summary')}">${invoiceFacts(invoice, language)}${pdfLink(invoice, language)}${closed ? '' : paymentLink(invoice, language)}</section>${overdue}${closed ? '' : bankDetails(creditor, invoice, language, formAction)}${answers}`;

  const title = `${t(language, fr`Facture ${invoice.invoiceId}`, `Invoice ${invoice.invoiceId}`)} — ${creditor.name}`;
  return response(200, documentHtml(language, title, creditor.name, content, creditorFooter(creditor, language)));
}

// ---------------------------------------------------------------------------------------------------------------
// The confirmation page
// ---------------------------------------------------------------------------------------------------------------

export interface ConfirmationPageInput {
  creditor: Creditor;
  invoice: InvoiceRecord;
  link: LinkRecord;
  answer: CustomerAnswer;
  /**
   * Where "back to the invoice" leads. The default, an empty reference, is the current URL: the confirmation answers
   * the POST to `/r/{token}`, so it leads back to the page without this module having to know the token.
   */
  pageUrl?: string;
}

export function renderConfirmationPage(input: ConfirmationPageInput): PageResponse {
  const { creditor, invoice, link, answer } = input;
  const language = link.language;
  const parts: SafeHtml[] = [];

  if (answer.action === 'promise') {
    const date = formatDate(answer.promisedDate, language);
    const method = paymentMethodLabel(answer.paymentMethod, language);
    // "Your planned payment": "we have recorded your payment" alone would read as if the money had arrived.
    parts.push(
      html`<p>${t(
        language,
        fr`Merci : nous avons bien enregistré votre paiement prévu le ${date} par ${method}. Vous recevrez une confirmation par e-mail.`,
        `Thank you: we have recorded your payment planned for ${date} by ${method}. You will receive a confirmation by email.`,
      )}</p>`,
    );
    if (answer.promisedDate > invoice.dueDate) {
      const due = formatDate(invoice.dueDate, language);
      parts.push(
        html`<div class="notice warn" id="after-due-date"><p>${t(
          language,
          fr`Cette date est postérieure à l'échéance du ${due} ; nous l'avons néanmoins bien enregistrée.`,
          `This date is after the due date of ${due}; we have recorded it all the same.`,
        )}</p></div>`,
      );
    }
  } else if (answer.action === 'dispute') {
    const reason = disputeReasonLabel(answer.reason, language);
    parts.push(
      html`<p>${t(
        language,
        fr`Merci de nous avoir signalé ce problème (${reason}). Notre équipe a été prévenue et vous contactera ; nos relances sont suspendues en attendant.`,
        `Thank you for reporting this problem (${reason}). Our team has been notified and will contact you; reminders are paused in the meantime.`,
      )}</p>`,
    );
  } else if (answer.action === 'bank_details') {
    parts.push(
      answer.bankDetails === 'match'
        ? html`<p>${t(language, fr`Merci d'avoir vérifié nos coordonnées bancaires.`, 'Thank you for checking our bank details.')}</p>`
        : html`<div class="notice warn"><p>${t(
            language,
            fr`Merci de nous l'avoir signalé : notre équipe va reprendre contact avec vous pour comparer nos coordonnées avec les vôtres. D'ici là, ne payez rien ; en cas de doute, appelez-nous à un numéro que vous connaissez déjà, jamais à celui d'un message qui vous aurait transmis de nouvelles coordonnées.`,
            'Thank you for telling us: our team will get back to you to compare our details with yours. Until then, do not pay; if in doubt, call us on a number you already know, never one from a message that sent you new bank details.',
          )}</p></div>`,
    );
  } else {
    const email = answer.contactEmail ?? link.contactEmail;
    parts.push(
      html`<p>${t(language, fr`Merci pour votre question. Notre équipe vous répondra à l'adresse `, 'Thank you for your question. Our team will answer you at ')}<strong>${email}</strong>.</p>`,
    );
    if (answer.contactName) {
      parts.push(
        html`<p>${t(language, fr`Nous avons noté la personne à contacter : ${answer.contactName}.`, `We have noted the person to contact: ${answer.contactName}.`)}</p>`,
      );
    }
  }
  if (answer.message) {
    parts.push(html`<p class="hint">${t(language, fr`Votre message :`, 'Your message:')}</p><blockquote>${answer.message}</blockquote>`);
  }

  // Someone who just promised a transfer is about to make it: the bank details are where they need them.
  const bank = answer.action === 'promise' && answer.paymentMethod === 'transfer' ? bankDetails(creditor, invoice, language) : '';
  const heading = t(language, fr`Merci, votre réponse est enregistrée`, 'Thank you, your answer has been recorded');
  const content = html`<h1>${heading}</h1><section class="card" id="confirmation">${parts}</section><section class="card" aria-label="${t(language, fr`Résumé de la facture`, 'Invoice summary')}">${invoiceFacts(invoice, language)}</section>${bank}<p><a href="${input.pageUrl ?? ''}">${t(language, fr`Retour à la facture`, 'Back to the invoice')}</a></p>`;
  const title = `${heading} — ${creditor.name}`;
  return response(200, documentHtml(language, title, creditor.name, content, creditorFooter(creditor, language)));
}

// ---------------------------------------------------------------------------------------------------------------
// The error page
// ---------------------------------------------------------------------------------------------------------------

export type ErrorReason = 'not_found' | 'expired' | 'too_many' | 'closed' | 'busy' | 'invalid' | 'server_error';

export interface ErrorPageInput {
  statusCode: number;
  /** Unknown when the token did not lead to a link: the page then speaks French and English. */
  language?: Language;
  reason: ErrorReason;
}

/**
 * Deliberately vague: "not valid" is the same words for a malformed token and an unknown one, and nothing from the
 * request is echoed, so the page tells a guesser nothing about which tokens exist.
 */
const ERROR_TEXTS: Record<ErrorReason, Record<Language, { title: string; text: string }>> = {
  not_found: {
    fr: { title: fr`Lien non valide`, text: fr`Ce lien n'est pas valide. Vérifiez que vous avez bien copié le lien complet depuis notre e-mail, ou répondez simplement à cet e-mail.` },
    en: { title: 'Link not valid', text: 'This link is not valid. Please check that you copied the whole link from our email, or simply reply to that email.' },
  },
  expired: {
    fr: { title: fr`Lien expiré`, text: fr`Ce lien a expiré. Utilisez le lien de notre e-mail le plus récent, ou répondez simplement à cet e-mail.` },
    en: { title: 'Link expired', text: 'This link has expired. Please use the link in our most recent email, or simply reply to that email.' },
  },
  too_many: {
    fr: { title: fr`Trop de tentatives`, text: fr`Ce lien a été utilisé trop souvent en peu de temps. Merci de réessayer dans une heure.` },
    en: { title: 'Too many attempts', text: 'This link has been used too often in a short time. Please try again in an hour.' },
  },
  closed: {
    fr: { title: fr`Rien à faire`, text: fr`Cette facture n'attend plus de réponse : vous n'avez rien à faire. Merci.` },
    en: { title: 'Nothing to do', text: 'This invoice no longer needs an answer: there is nothing for you to do. Thank you.' },
  },
  busy: {
    fr: { title: fr`Réponse non enregistrée`, text: fr`Votre réponse n'a pas pu être enregistrée : la facture était en cours de modification au même moment. Rien n'a changé ; merci de revenir à la page précédente et de renvoyer votre réponse.` },
    en: { title: 'Answer not recorded', text: 'Your answer could not be recorded: the invoice was being changed at the same moment. Nothing has changed; please go back to the previous page and send your answer again.' },
  },
  invalid: {
    fr: { title: fr`Réponse incomplète`, text: fr`Nous n'avons pas pu lire votre réponse. Merci de revenir à la page précédente et de réessayer.` },
    en: { title: 'Incomplete answer', text: 'We could not read your answer. Please go back to the previous page and try again.' },
  },
  server_error: {
    fr: { title: fr`Erreur de notre côté`, text: fr`Un problème est survenu de notre côté ; rien n'a été perdu. Merci de réessayer dans quelques minutes.` },
    en: { title: 'A problem on our side', text: 'Something went wrong on our side; nothing was lost. Please try again in a few minutes.' },
  },
};

export function renderErrorPage({ statusCode, language, reason }: ErrorPageInput): PageResponse {
  const texts = ERROR_TEXTS[reason] ?? ERROR_TEXTS.not_found;
  const languages: Language[] = language ? [language] : ['fr', 'en'];
  const title = languages.map((l) => texts[l].title).join(' / ');
  // With both languages, each block carries its own `lang` so screen readers switch voice.
  const content = html`${languages.map(
    (l) => html`<section class="card" lang="${l}"><h1>${texts[l].title}</h1><p>${texts[l].text}</p></section>`,
  )}`;
  // A 429 says when trying again makes sense; link uses are counted per hour.
  const extra: Record<string, string> = reason === 'too_many' ? { 'retry-after': '3600' } : {};
  return response(statusCode, documentHtml(languages[0], title, undefined, content), extra);
}
