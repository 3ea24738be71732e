import { describe, expect, it } from 'vitest';
import { computeClaim, type Claim } from '../../../../shared/domain/claim';
import type { Creditor } from '../../../../shared/domain/creditor';
import type { InvoiceRecord } from '../../../../shared/domain/invoice';
import { claimInput } from '../../../../shared/domain/invoice-claim';
import { formatMoney } from '../../../../shared/domain/money';
import { EXAMPLE_CREDITOR } from '../../../../shared/lambda/config';
import { PAGE_HEADERS } from '../../../../shared/rendering/pages/answer-pages';
import {
  renderStatementConfirmation,
  renderStatementPage,
  type StatementLine,
  type StatementPageInput,
} from '../../../../shared/rendering/pages/statement-page';
import { invoiceRecord, registration } from '../../../support/fixtures';

/** Intl separates French thousands with U+202F and the symbol with U+00A0; our French words put U+202F before « : ». */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

const creditor: Creditor = { ...EXAMPLE_CREDITOR, name: 'Atelier Dupont SAS', address: '12 rue de la République\n69002 Lyon' };
const FORM_ACTION = '/r/Zx8kQ2mP4vN7bR1tY6wE3hJ9cL5aD0fG';
const TODAY = '2027-04-12';

/** An invoice of the fixture's customer under another number; `registration` fields are merged into the fixture's. */
function invoice(invoiceId: string, overrides: Partial<InvoiceRecord> = {}, reg: Partial<InvoiceRecord['registration']> = {}): InvoiceRecord {
  return invoiceRecord({ invoiceId, executionName: `${invoiceId}-r1`, registration: { ...registration, invoiceId, reference: invoiceId, ...reg }, ...overrides });
}

function claimOf(record: InvoiceRecord, asOf = TODAY): Claim {
  return computeClaim(claimInput(record, { timeZone: 'Europe/Paris' }), asOf);
}

const OVERDUE = invoice('F-2027-0042', { status: 'overdue', phase: 'overdue' });
const PROMISED = invoice('F-2027-0050', {
  status: 'promised',
  phase: 'promised',
  dueDate: '2027-04-20',
  promise: { date: '2027-04-25', method: 'transfer', afterDueDate: true, at: '2027-04-01T08:00:00.000Z', source: 'customer' },
}, { purchaseOrder: 'BC-2027-200', reference: 'REF-50' });
const DISPUTED = invoice('F-2027-0051', {
  status: 'disputed',
  phase: 'disputed',
  dueDate: '2027-04-30',
  dispute: { reason: 'wrong_amount', at: '2027-04-02T08:00:00.000Z', status: 'open' },
});
const PARTLY_PAID = invoice('F-2027-0060', {
  status: 'awaiting_reply',
  phase: 'awaiting_reply',
  dueDate: '2027-05-15',
  outstanding: { value: 23456, currency: 'EUR' },
  partiallyPaid: true,
});
const IN_YEN = invoice('F-2027-0061', {
  dueDate: '2027-06-15',
  amount: { value: 500000, currency: 'JPY' },
  outstanding: { value: 500000, currency: 'JPY' },
}, { paymentUrl: 'https://pay.example-psp.com/i/F-2027-0061', purchaseOrder: undefined });

const LINES: StatementLine[] = [
  { invoice: OVERDUE, claim: claimOf(OVERDUE) },
  { invoice: PROMISED },
  { invoice: DISPUTED },
  { invoice: PARTLY_PAID },
  { invoice: IN_YEN },
];

function page(overrides: Partial<StatementPageInput> = {}) {
  return renderStatementPage({
    creditor,
    language: 'fr',
    customer: { id: 'CUST-0173', name: 'Boulangerie Martin SARL' },
    lines: LINES,
    formAction: FORM_ACTION,
    today: TODAY,
    latestPromiseDate: '2027-06-11',
    ...overrides,
  });
}

/** Every id on the page. */
const ids = (body: string) => [...body.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);

/** Each form with its hidden fields, in document order. */
function forms(body: string) {
  return [...body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => ({
    action: /action="([^"]*)"/.exec(m[1])?.[1],
    invoiceId: /<input type="hidden" name="invoiceId" value="([^"]*)">/.exec(m[2])?.[1],
    kind: /<input type="hidden" name="action" value="([^"]*)">/.exec(m[2])?.[1],
    html: m[0],
  }));
}

/** An element with its content, by id (a `<details>` or a `<section>`, which do not nest in themselves here). */
function element(body: string, tag: 'details' | 'section', id: string): string {
  const match = new RegExp(`<${tag}\\b[^>]*\\sid="${id}"[^>]*>[\\s\\S]*?</${tag}>`).exec(body);
  if (!match) throw new Error(`no ${tag}#${id}`);
  return match[0];
}

/** A card: from its opening tag to the next card or the bank details. */
function card(body: string, n: number): string {
  const start = body.indexOf(`<section class="card invoice`, body.indexOf(`id="inv${n}"`) - 60);
  const end = body.indexOf('<section', start + 10);
  return body.slice(start, end);
}

describe('the statement page', () => {
  it('is a complete document in the customer\'s language with the answer page\'s headers, landmarks and no script', () => {
    const { statusCode, headers, body } = page();
    expect(statusCode).toBe(200);
    expect(headers).toEqual(PAGE_HEADERS);
    expect(headers).not.toBe(PAGE_HEADERS);
    expect(body).toMatch(/^<!DOCTYPE html>\n<html lang="fr">/);
    expect(body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(body).toMatch(/<header class="site">[\s\S]*<main>[\s\S]*<\/main><footer>/);
    expect(body).not.toMatch(/<script/i);
    expect(body).not.toMatch(/\son[a-z]+=/i);
    expect(body).not.toMatch(/\sstyle="/);
    expect(body.match(/<h1[ >]/g)).toHaveLength(1);
    expect(plain(body)).toContain('<h1 id="statement-title">Votre relevé au 12 avril 2027</h1>');
    expect(plain(body)).toContain('<title>Votre relevé au 12 avril 2027 — Atelier Dupont SAS</title>');
  });

  it('names the creditor and the customer, and totals what is outstanding and what is claimed, per currency', () => {
    const text = plain(page().body);
    expect(text).toContain('<header class="site"><div class="wrap">Atelier Dupont SAS</div></header>');
    expect(text).toContain('<dt>Client</dt><dd>Boulangerie Martin SARL</dd>');
    expect(text).toContain('<dt>Votre n° client</dt><dd>CUST-0173</dd>');
    expect(text).toContain('<dt>Factures ouvertes</dt><dd>5</dd>');
    // 1 234,56 × 3 + 234,56; the yen apart.
    expect(text).toContain('<dt>Total restant à payer</dt><dd><span class="amounts">3 938,24 €</span><span class="amounts">500 000 JPY</span></dd>');
    const claimed = claimOf(OVERDUE).total.value - 123456;
    expect(claimed).toBeGreaterThan(4000); // penalties and the indemnity
    expect(text).toContain(`<dt>Total réclamé à ce jour</dt><dd><span class="amounts">${plain(formatMoney({ value: 393824 + claimed, currency: 'EUR' }, 'fr'))}</span><span class="amounts">500 000 JPY</span>`);
  });

  it('links the statement\'s PDF and CSV downloads', () => {
    const { body } = page();
    expect(body).toContain(`<a href="${FORM_ACTION}?format=pdf">Télécharger le relevé (PDF)</a>`);
    expect(body).toContain(`<a href="${FORM_ACTION}?format=csv">Télécharger le relevé pour un tableur (CSV)</a>`);
    expect(page({ language: 'en' }).body).toContain(`<a href="${FORM_ACTION}?format=csv">Download the statement for a spreadsheet (CSV)</a>`);
  });

  it('lists every open invoice in its card, with its dates, amounts and status in words', () => {
    const body = plain(page().body);
    const cards = [1, 2, 3, 4, 5].map((n) => card(body, n));
    expect(cards.map((c) => /<h3 id="inv\d-title">Facture ([^<]+)<\/h3>/.exec(c)?.[1])).toEqual(['F-2027-0042', 'F-2027-0050', 'F-2027-0051', 'F-2027-0060', 'F-2027-0061']);
    expect(cards.map((c) => /<p class="status [a-z_]+">([^<]+)<\/p>/.exec(c)?.[1])).toEqual([
      'En retard de 12 jours',
      'Paiement prévu le 25 avril 2027',
      'Problème signalé, en cours d’examen',
      'Pas encore échue, paiement partiel reçu',
      'Pas encore échue',
    ]);
    expect(cards[0]).toContain('<dt>Date d’émission</dt><dd>1er février 2027</dd><dt>Date d’échéance</dt><dd>31 mars 2027</dd><dt>Montant à régler</dt><dd>1 234,56 €</dd>');
    expect(cards[1]).toContain('<dt>Référence</dt><dd>REF-50</dd><dt>Bon de commande</dt><dd>BC-2027-200</dd>');
    // The reference that only repeats the number is not said twice.
    expect(cards[0]).not.toContain('<dt>Référence</dt>');
    expect(cards[3]).toContain('<dt>Montant de la facture</dt><dd>1 234,56 €</dd><dt>Reste à payer</dt><dd>234,56 €</dd>');
    expect(cards[4]).toContain('<dt>Montant à régler</dt><dd>500 000 JPY</dd>');
    for (const [n, line] of LINES.entries()) expect(cards[n]).toContain(`Télécharger la facture ${line.invoice.invoiceId} (PDF)`);
  });

  it('shows what an overdue invoice costs today, penalties and indemnity included, without the legal text', () => {
    const claim = claimOf(OVERDUE);
    const overdue = plain(card(page().body, 1));
    expect(overdue).toContain(`<dt>Montant réclamé à ce jour</dt><dd>${plain(formatMoney(claim.total, 'fr'))}<span class="hint">dont pénalités de retard et indemnité forfaitaire pour frais de recouvrement</span></dd>`);
    expect(overdue).not.toMatch(/L441|D441|Code de commerce/);
    const english = plain(card(page({ language: 'en' }).body, 1));
    expect(english).toContain(`<dt>Amount claimed today</dt><dd>${formatMoney(claim.total, 'en')}<span class="hint">including late-payment penalties and the fixed indemnity for recovery costs</span></dd>`);
    // Not yet due: nothing beyond the invoice is claimed.
    expect(card(page().body, 2)).not.toContain('Montant réclamé');
  });

  it('says overdue even while the record still awaits the execution\'s step, and due today on the day', () => {
    const late = invoice('F-2027-0070', { status: 'awaiting_reply', dueDate: '2027-04-11' });
    const today = invoice('F-2027-0071', { status: 'awaiting_reply', dueDate: TODAY });
    const body = plain(page({ lines: [{ invoice: late }, { invoice: today }] }).body);
    expect(body).toContain('<p class="status overdue">En retard d’un jour</p>');
    expect(body).toContain('<p class="status due_today">Échéance aujourd’hui</p>');
    const english = page({ language: 'en', lines: [{ invoice: late }, { invoice: today }, { invoice: PROMISED }, { invoice: DISPUTED }] }).body;
    for (const words of ['Overdue by 1 day', 'Due today', 'Payment promised for 25 April 2027', 'Problem reported, being looked at']) expect(english).toContain(words);
  });

  it('offers the online payment only for an invoice whose own amount is still owed and not overdue', () => {
    const paymentUrl = 'https://pay.example-psp.com/i/x';
    const lines: StatementLine[] = [
      { invoice: invoice('A-1', {}, { paymentUrl }) },
      { invoice: invoice('A-2', { status: 'overdue' }, { paymentUrl }), claim: claimOf(invoice('A-2', { status: 'overdue' })) },
      { invoice: invoice('A-3', { outstanding: { value: 100, currency: 'EUR' }, partiallyPaid: true }, { paymentUrl }) },
    ];
    const body = page({ lines }).body;
    expect(body.match(/class="button" href="https:\/\/pay\.example-psp\.com\/i\/x"/g)).toHaveLength(1);
    expect(card(body, 1)).toContain('Payer en ligne');
  });

  it('gives every invoice the three answers in closed <details>, each form posting its invoice and action', () => {
    const { body } = page();
    const answers = forms(body).filter((form) => form.invoiceId !== undefined);
    expect(answers.map((form) => `${form.invoiceId} ${form.kind}`)).toEqual(
      LINES.flatMap(({ invoice: { invoiceId } }) => [`${invoiceId} promise`, `${invoiceId} dispute`, `${invoiceId} question`]),
    );
    for (const form of answers) expect(form.action).toBe(FORM_ACTION);
    expect(body).not.toMatch(/<details[^>]* open/);
    expect(body).not.toContain('autofocus');
    const promise = element(body, 'details', 'inv1-promise');
    expect(promise).toContain('<summary>Je confirme une date de paiement<span class="sr-only"> — facture F-2027-0042</span></summary>');
    expect(promise).toContain('name="promisedDate"');
    expect(promise).toContain('min="2027-04-12" max="2027-06-11"');
    // Overdue: the suggestion is today, never a date gone by.
    expect(promise).toContain('value="2027-04-12"');
    expect(promise).toContain('name="paymentMethod"');
    expect(element(body, 'details', 'inv3-dispute')).toContain('name="reason" value="wrong_amount"');
    expect(element(body, 'details', 'inv5-question')).toMatch(/<textarea id="inv5-question-message" name="message"[^>]* required>/);
  });

  it('gives every element its own id and every field a label', () => {
    const { body } = page();
    const all = ids(body);
    expect(all.length).toBeGreaterThan(90);
    expect(new Set(all).size).toBe(all.length);
    const fields = [...body.matchAll(/<(?:input|select|textarea)\b[^>]*>/g)].map((m) => m[0]).filter((tag) => !tag.includes('type="hidden"'));
    for (const field of fields) {
      const id = /\sid="([^"]+)"/.exec(field)?.[1];
      expect(id, field).toBeDefined();
      expect(body).toContain(`<label for="${id}">`);
    }
    for (const link of body.matchAll(/href="#([^"]+)"/g)) expect(all).toContain(link[1]);
  });

  it('offers one payment date for all invoices near the top, leaving out those with a problem reported', () => {
    const { body } = page();
    const payAll = element(body, 'section', 'pay-all');
    expect(body.indexOf('id="pay-all"')).toBeLessThan(body.indexOf('id="inv1"'));
    const [form] = forms(payAll);
    expect(form.kind).toBe('promise_all');
    expect(form.action).toBe(FORM_ACTION);
    expect(form.invoiceId).toBeUndefined();
    expect(form.html).toContain('<input type="date" id="all-promisedDate" name="promisedDate" value="2027-04-12" min="2027-04-12" max="2027-06-11" required>');
    expect(form.html).toContain('<select id="all-paymentMethod" name="paymentMethod" required><option value="transfer" selected>Virement bancaire</option>');
    const text = plain(payAll);
    expect(text).toContain('Indiquez-nous quand vous réglerez les 4 factures ci-dessous');
    expect(text).toContain('La facture pour laquelle vous avez signalé un problème n’est pas comprise : notre équipe s’en occupe.');
    expect(text).toContain('Confirmer cette date pour les 4 factures');
    expect(plain(element(page({ language: 'en' }).body, 'section', 'pay-all'))).toContain('The invoice for which you reported a problem is not included: our team is looking into it.');
  });

  it('suggests paying all on the earliest due date still ahead, within the latest date allowed', () => {
    const lines = [{ invoice: PROMISED }, { invoice: PARTLY_PAID }];
    expect(element(page({ lines }).body, 'section', 'pay-all')).toContain('value="2027-04-20"');
    expect(element(page({ lines, latestPromiseDate: '2027-04-15' }).body, 'section', 'pay-all')).toContain('value="2027-04-15"');
  });

  it('has no pay-all form when fewer than two invoices can take a promise', () => {
    expect(page({ lines: [{ invoice: PROMISED }] }).body).not.toContain('promise_all');
    expect(page({ lines: [{ invoice: PROMISED }, { invoice: DISPUTED }] }).body).not.toContain('promise_all');
  });

  it('opens and focuses the form an emailed link points to', () => {
    const { body } = page({ focus: { invoiceId: 'F-2027-0060', action: 'dispute' } });
    expect(body.match(/<details[^>]* open/g)).toEqual(['<details class="answer highlight" id="inv4-dispute" open']);
    expect(element(body, 'details', 'inv4-dispute')).toContain('<summary autofocus>');
    expect(body.match(/autofocus/g)).toHaveLength(1);
    expect(body).toContain('<section class="card invoice highlight" id="inv4"');
    // An invoice alone: its promise form.
    expect(page({ focus: { invoiceId: 'F-2027-0050' } }).body.match(/<details[^>]* open/g)).toEqual(['<details class="answer highlight" id="inv2-promise" open']);
    // An invoice that is not on the statement (paid since): nothing opens.
    expect(page({ focus: { invoiceId: 'F-1999-0001', action: 'promise' } }).body).not.toMatch(/<details[^>]* open|autofocus/);
  });

  it('highlights the pay-all form for a "pay all" link, or the one invoice that can take a promise', () => {
    const all = page({ focus: { action: 'promise_all' } }).body;
    expect(all).toContain('<section class="card highlight" id="pay-all"');
    expect(element(all, 'section', 'pay-all')).toMatch(/<input type="date" id="all-promisedDate"[^>]* autofocus>/);
    const single = page({ lines: [{ invoice: PROMISED }, { invoice: DISPUTED }], focus: { action: 'promise_all' } }).body;
    expect(single.match(/<details[^>]* open/g)).toEqual(['<details class="answer highlight" id="inv1-promise" open']);
  });

  it('shows a rejected answer\'s errors at the form that was sent, linked from a summary, with its values again', () => {
    const { body } = page({
      errors: [{ path: 'reason', message: 'Invalid option' }, { path: 'message', message: 'Too big' }],
      values: { invoiceId: 'F-2027-0050', action: 'dispute', message: 'Le montant ne correspond pas' },
      focus: { invoiceId: 'F-2027-0042', action: 'promise' },
    });
    const text = plain(body);
    const summary = /<div class="alert" role="alert" id="error-summary" tabindex="-1" autofocus>[\s\S]*?<\/div>/.exec(text)?.[0] ?? '';
    expect(summary).toContain('Votre réponse pour la facture F-2027-0050 n’a pas été enregistrée.');
    expect(summary).toContain('<li><a href="#inv2-dispute-reason-invoice_not_received">Choisissez le problème rencontré.</a></li>');
    expect(summary).toContain('<li><a href="#inv2-dispute-message">Votre message ne doit pas dépasser 2 000 caractères.</a></li>');
    const sent = element(body, 'details', 'inv2-dispute');
    expect(sent).toMatch(/^<details class="answer" id="inv2-dispute" open>/);
    expect(sent).toContain('<div class="alert" id="inv2-dispute-errors">');
    expect(sent).toContain('aria-invalid="true" aria-describedby="inv2-dispute-errors"');
    expect(sent).toMatch(/<textarea id="inv2-dispute-message" name="message" rows="4" maxlength="2000" aria-invalid="true" aria-describedby="inv2-dispute-errors">Le montant ne correspond pas<\/textarea>/);
    // The values belong to that form only; the error summary takes the focus, not the emailed link's form.
    expect(element(body, 'details', 'inv3-dispute')).not.toContain('Le montant ne correspond pas');
    expect(element(body, 'details', 'inv1-dispute')).not.toContain('aria-invalid="true"');
    expect(body.match(/autofocus/g)).toHaveLength(1);
  });

  it('refills a rejected promise and leads a customer who needs longer to that invoice\'s question form', () => {
    const { body } = page({
      language: 'en',
      errors: [{ path: 'promisedDate', message: 'too far', code: 'promise_too_far' }],
      values: { invoiceId: 'F-2027-0042', action: 'promise', promisedDate: '2027-09-01', paymentMethod: 'cheque', message: 'ok' },
    });
    const promise = element(body, 'details', 'inv1-promise');
    expect(promise).toContain('value="2027-09-01"');
    expect(promise).toContain('<option value="cheque" selected>');
    expect(promise).toContain('<input type="date" id="inv1-promise-promisedDate" name="promisedDate" value="2027-09-01" min="2027-04-12" max="2027-06-11" required aria-invalid="true" aria-describedby="inv1-promise-errors">');
    expect(body).toContain('<a href="#inv1-question-message">Enter a date no later than 11 June 2027.');
    expect(element(body, 'details', 'inv1-question')).toMatch(/ open>/);
  });

  it('shows a rejected pay-all date at the pay-all form', () => {
    const { body } = page({
      errors: [{ path: 'promisedDate', message: 'past', code: 'promise_past' }],
      values: { action: 'promise_all', promisedDate: '2027-04-01', paymentMethod: 'card' },
    });
    const payAll = element(body, 'section', 'pay-all');
    expect(payAll).toContain('<div class="alert" id="all-errors">');
    expect(payAll).toContain('value="2027-04-01"');
    expect(payAll).toContain('<option value="card" selected>');
    expect(payAll).toContain('aria-invalid="true" aria-describedby="all-errors"');
    expect(plain(body)).toContain('<li><a href="#all-promisedDate">Cette date est déjà passée : indiquez une date à partir d’aujourd’hui.</a></li>');
    expect(body).not.toMatch(/<details[^>]* open/);
  });

  it('shows errors it cannot tie to a form in the summary alone', () => {
    const { body } = page({ errors: [{ path: 'action', message: 'bad' }], values: { invoiceId: 'F-1999-0001', action: 'promise' } });
    expect(plain(body)).toContain('<li>Nous n’avons pas pu lire votre réponse : merci de choisir une réponse et de réessayer.</li>');
    expect(body).not.toContain('aria-invalid="true"');
    expect(body).not.toMatch(/<details[^>]* open/);
  });

  it('shows the bank details once, with the fraud warning, and the invoice numbers as the payment reference', () => {
    const { body } = page({ language: 'en' });
    expect(body.match(/id="bank-title"/g)).toHaveLength(1);
    expect(body).toContain('FR76 3000 6000 0112 3456 7890 189');
    expect(body).toContain('We will never send you new bank details by email');
    expect(body).toContain('<dt>Payment reference</dt><dd>the numbers of the invoices you pay</dd>');
    expect(body).not.toContain('bank_details');
  });

  it('escapes hostile customer data everywhere', () => {
    const hostile = '<script>alert("x")</script> & "Fils"';
    const bad = invoice('F-<b>1</b>', { customer: { ...registration.customer, name: hostile } }, {
      reference: '<img src=x onerror=alert(1)>',
      purchaseOrder: '"><svg onload=alert(1)>',
      pdfUrl: 'javascript:alert(1)',
      paymentUrl: 'javascript:alert(2)',
    });
    const { body } = page({
      creditor: { ...creditor, name: 'Dupont <i>SAS</i>' },
      customer: { id: '<u>C</u>', name: hostile },
      lines: [{ invoice: bad }, { invoice: PROMISED }],
      errors: [{ path: 'message', message: '<b>' }],
      values: { invoiceId: 'F-<b>1</b>', action: 'question', message: '</textarea><script>alert(3)</script>', contactName: '"><x>' },
    });
    expect(body).not.toMatch(/<script|<img|<svg|<b>|<i>|<u>|<x>|javascript:/i);
    expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Fils&quot;');
    expect(body).toContain('value="F-&lt;b&gt;1&lt;/b&gt;"');
    expect(body).toContain('&lt;/textarea&gt;&lt;script&gt;alert(3)&lt;/script&gt;</textarea>');
    expect(body).toContain('Dupont &lt;i&gt;SAS&lt;/i&gt;');
  });

  it('says so when nothing is open, with no forms', () => {
    const { statusCode, body } = page({ lines: [] });
    expect(statusCode).toBe(200);
    expect(plain(body)).toContain('Vous n’avez aucune facture ouverte chez Atelier Dupont SAS : vous n’avez rien à régler. Merci !');
    expect(body).toContain('<dt>Factures ouvertes</dt><dd>0</dd>');
    expect(body).not.toContain('<form');
    expect(page({ language: 'en', lines: [] }).body).toContain('You have no open invoice with Atelier Dupont SAS: there is nothing to pay. Thank you!');
  });

  it('reads in English for an English customer', () => {
    const { body } = page({ language: 'en' });
    expect(body).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    for (const words of [
      'Your statement as of 12 April 2027',
      '<dt>Total outstanding</dt><dd><span class="amounts">€3,938.24</span><span class="amounts">JP¥500,000</span></dd>',
      'Overdue by 12 days',
      'Not yet due, partly paid',
      'One payment date for all invoices',
      'Your open invoices (5)',
      'I can confirm a payment date',
      'Download invoice F-2027-0042 (PDF)',
    ]) expect(body).toContain(words);
    expect(body).not.toMatch(/Facture|Échéance|réglez/);
  });
});

describe('the statement confirmation', () => {
  const confirm = (language: 'fr' | 'en', answered: Parameters<typeof renderStatementConfirmation>[0]['answered']) =>
    renderStatementConfirmation({
      creditor,
      language,
      customer: { id: 'CUST-0173', name: 'Boulangerie Martin SARL' },
      lines: LINES,
      formAction: FORM_ACTION,
      today: TODAY,
      latestPromiseDate: '2027-06-11',
      answered,
    });

  it('says what was recorded, invoice by invoice, then shows the statement again', () => {
    const { statusCode, headers, body } = confirm('fr', [
      { invoiceId: 'F-2027-0042', action: 'promise', promisedDate: '2027-04-20', paymentMethod: 'transfer' },
      { invoiceId: 'F-2027-0060', action: 'dispute', reason: 'wrong_amount' },
      { invoiceId: 'F-2027-0061', action: 'question' },
    ]);
    expect(statusCode).toBe(200);
    expect(headers).toEqual(PAGE_HEADERS);
    const text = plain(body);
    expect(text).toContain('<h1>Merci, vos réponses sont enregistrées</h1>');
    const recorded = element(text, 'section', 'confirmation');
    expect(recorded).toContain('<li><strong>Facture F-2027-0042</strong> : nous avons bien noté votre paiement prévu le 20 avril 2027 par virement bancaire. Cette date est postérieure à l’échéance du 31 mars 2027 ; nous l’avons néanmoins bien enregistrée.</li>');
    expect(recorded).toContain('<li><strong>Facture F-2027-0060</strong> : merci de nous avoir signalé ce problème (montant erroné).');
    expect(recorded).toContain('<li><strong>Facture F-2027-0061</strong> : merci pour votre question.');
    // Then the statement, under the confirmation's one h1.
    expect(body.match(/<h1[ >]/g)).toHaveLength(1);
    expect(text).toContain('<h2 id="statement-title">Votre relevé au 12 avril 2027</h2>');
    expect(body.indexOf('id="confirmation"')).toBeLessThan(body.indexOf('id="statement-title"'));
    expect(forms(body).filter((form) => form.kind === 'promise')).toHaveLength(LINES.length);
    expect(body).not.toMatch(/<details[^>]* open|autofocus|role="alert"/);
    const all = ids(body);
    expect(new Set(all).size).toBe(all.length);
  });

  it('speaks English to an English customer, one answer in the singular', () => {
    const { body } = confirm('en', [{ invoiceId: 'F-2027-0050', action: 'promise', promisedDate: '2027-04-18' }]);
    expect(body).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(body).toContain('<h1>Thank you, your answer has been recorded</h1>');
    expect(body).toContain('<li><strong>Invoice F-2027-0050</strong>: we have recorded your payment planned for 18 April 2027.</li>');
    expect(body).toContain('Your statement as of 12 April 2027');
  });
});
