import { describe, expect, it } from 'vitest';
import type { Creditor } from '../../../../shared/domain/creditor';
import type { LinkRecord } from '../../../../shared/domain/link';
import {
  PAGE_HEADERS,
  renderAnswerPage,
  renderConfirmationPage,
  renderErrorPage,
  type AnswerPageInput,
} from '../../../../shared/rendering/pages/answer-pages';
import { invoiceRecord, registration } from '../../../support/fixtures';
import { EXAMPLE_CREDITOR } from '../../../../shared/lambda/config';

/** Intl separates French thousands with U+202F and the symbol with U+00A0; compare as plain spaces. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

const creditor: Creditor = { ...EXAMPLE_CREDITOR, name: 'Atelier Dupont SAS', address: '12 rue de la République\n69002 Lyon', bankName: 'Crédit Agricole' };

function link(overrides: Partial<LinkRecord> = {}): LinkRecord {
  return {
    tokenHash: 'a3f1c9e2b5d8f1a4c7e0b3d5d41a7f9c3b2e8d06f1a4c7e9b2d3f5a8c1e6b4d7',
    invoiceId: 'F-2027-0042',
    contactEmail: 'compta@boulangerie-martin.fr',
    language: 'fr',
    allowedActions: ['promise', 'dispute', 'question'],
    createdAt: '2027-03-19T08:00:00.000Z',
    expiresAt: '2027-07-29T07:00:00.000Z',
    uses: 0,
    ...overrides,
  };
}

const FORM_ACTION = '/r/Zx8kQ2mP4vN7bR1tY6wE3hJ9cL5aD0fG';

function answerPage(overrides: Partial<AnswerPageInput> = {}) {
  return renderAnswerPage({ creditor, invoice: invoiceRecord(), link: link(), formAction: FORM_ACTION, ...overrides });
}

/** Every form control that a user fills in (hidden fields excluded) with its id. */
function controls(body: string): { tag: string; id: string | undefined }[] {
  return [...body.matchAll(/<(input|select|textarea)\b[^>]*>/g)]
    .filter((m) => !/type="hidden"/.test(m[0]))
    .map((m) => ({ tag: m[0], id: /\bid="([^"]+)"/.exec(m[0])?.[1] }));
}

/** Each form element with the value of its hidden `action` field, in document order. */
function allForms(body: string): { action: string; hidden: string | undefined; html: string }[] {
  return [...body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => ({
    action: /action="([^"]*)"/.exec(m[1])?.[1] ?? '',
    hidden: /<input type="hidden" name="action" value="([^"]+)">/.exec(m[2])?.[1],
    html: m[0],
  }));
}

/** The answer forms (promise, problem, question); the bank-details check has tests of its own. */
function forms(body: string) {
  return allForms(body).filter((form) => form.hidden !== 'bank_details');
}

function detailsOf(body: string, id: string): string {
  const match = new RegExp(`<details[^>]*id="${id}"[^>]*>[\\s\\S]*?</details>`).exec(body);
  if (!match) throw new Error(`no details#${id}`);
  return match[0];
}

describe('PAGE_HEADERS', () => {
  it('forbids scripts, framing, sniffing, referrers and caching', () => {
    const page = answerPage();
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('gives each response its own copy, so a handler cannot change the shared headers', () => {
    const page = answerPage();
    page.headers['set-cookie'] = 'x=1';
    expect(PAGE_HEADERS['set-cookie']).toBeUndefined();
    expect(answerPage().headers['set-cookie']).toBeUndefined();
  });

  it('is used by every page', () => {
    for (const page of [
      answerPage(),
      renderConfirmationPage({ creditor, invoice: invoiceRecord(), link: link(), answer: { action: 'dispute', reason: 'other' } }),
      renderErrorPage({ statusCode: 404, reason: 'not_found' }),
    ]) {
      expect(page.headers).toMatchObject(PAGE_HEADERS);
    }
  });
});

describe('renderAnswerPage', () => {
  it('is a complete French document for a French link, phone-ready and without any script or external resource', () => {
    const { statusCode, body } = answerPage();
    expect(statusCode).toBe(200);
    expect(body).toMatch(/^<!DOCTYPE html>\n<html lang="fr">/);
    expect(body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(body).toContain('<meta charset="utf-8">');
    expect(body).toMatch(/<\/html>$/);
    expect(body).not.toMatch(/<script/i);
    expect(body).not.toMatch(/\son[a-z]+=/i); // no inline event handlers either
    expect(body).not.toMatch(/\sstyle="/); // styles live in the <style> element
    expect(body).toContain('overflow-wrap:anywhere');
    expect(body).toContain(':focus-visible');
    // The only absolute URL is the invoice PDF: no fonts, images or stylesheets from elsewhere.
    const urls = [...body.matchAll(/(?:href|src)="(https?:[^"]+)"/g)].map((m) => m[1]);
    expect(urls).toEqual([registration.pdfUrl]);
    // The one <link> is the empty data: icon that stops browsers fetching /favicon.ico (a 404 on the API).
    expect(body.match(/<link\b[^>]*>/g)).toEqual(['<link rel="icon" href="data:,">']);
    expect(body).not.toMatch(/<img\b|@import|url\(/);
  });

  it('asks whether our bank details match the customer\'s records, one POST button each way, beside the details', () => {
    const [check] = allForms(answerPage().body).filter((form) => form.hidden === 'bank_details');
    expect(check.action).toBe(FORM_ACTION);
    expect(check.html).toContain('<button type="submit" name="bankDetails" value="match">Oui, elles correspondent</button>');
    expect(check.html).toContain('<button type="submit" name="bankDetails" value="differ" class="secondary">Non, elles sont différentes</button>');
    expect(allForms(answerPage({ invoice: invoiceRecord({ status: 'paid', phase: 'closed' }) }).body)).toEqual([]);
  });

  it('confirms a mismatch with a warning not to pay until we called, and to call a number already known', () => {
    const differ = plain(renderConfirmationPage({ creditor, invoice: invoiceRecord(), link: link(), answer: { action: 'bank_details', bankDetails: 'differ' } }).body);
    expect(differ).toContain('ne payez rien');
    expect(differ).toContain('appelez-nous à un numéro que vous connaissez déjà');
    const match = plain(renderConfirmationPage({ creditor, invoice: invoiceRecord(), link: link(), answer: { action: 'bank_details', bankDetails: 'match' } }).body);
    expect(match).toContain('avoir vérifié nos coordonnées bancaires.');
  });

  it('offers the online payment page, when there is one, on an invoice still to pay', () => {
    const paymentUrl = 'https://pay.example-psp.com/i/F-2027-0042';
    const open = answerPage({ invoice: invoiceRecord({ registration: { ...registration, paymentUrl } }) }).body;
    expect(open).toContain(`<a class="button" href="${paymentUrl}" target="_blank" rel="noopener noreferrer">Payer en ligne</a>`);
    expect(answerPage().body).not.toContain('Payer en ligne');
    const paid = answerPage({ invoice: invoiceRecord({ status: 'paid', phase: 'closed', registration: { ...registration, paymentUrl } }) }).body;
    expect(paid).not.toContain(paymentUrl);
    // The page was made for the invoice's amount: not once a part is paid, nor once overdue (penalties are claimed).
    const partial = invoiceRecord({ registration: { ...registration, paymentUrl }, outstanding: { value: 100_000, currency: 'EUR' }, partiallyPaid: true });
    expect(answerPage({ invoice: partial }).body).not.toContain(paymentUrl);
    expect(answerPage({ invoice: invoiceRecord({ status: 'overdue', phase: 'overdue', registration: { ...registration, paymentUrl } }) }).body).not.toContain(paymentUrl);
  });

  it('shows the invoice in French: creditor, number, purchase order, "1 234,56 €", the due date and the PDF', () => {
    const text = plain(answerPage().body);
    expect(text).toContain('Atelier Dupont SAS');
    expect(text).toContain('Facture F-2027-0042');
    expect(text).toContain('BC-2027-118');
    expect(text).toContain('1 234,56 €');
    expect(text).toContain('31 mars 2027');
    expect(text).toContain(`href="${registration.pdfUrl}"`);
    expect(text).toContain('Je confirme une date de paiement');
    expect(text).toContain('Je signale un problème');
    expect(text).not.toContain('Due date');
  });

  it('shows the invoice in English for an English link: "€1,234.56" and "31 March 2027"', () => {
    const { body } = answerPage({ link: link({ language: 'en' }) });
    expect(body).toMatch(/<html lang="en">/);
    expect(body).toContain('€1,234.56');
    expect(body).toContain('31 March 2027');
    expect(body).toContain('Due date');
    expect(body).toContain('I can confirm a payment date');
    expect(body).toContain('Bank transfer');
    expect(body).not.toContain('Échéance');
  });

  it('shows the bank details, grouped IBAN and the warning that they never change by email', () => {
    const { body } = answerPage({ link: link({ language: 'en' }) });
    expect(body).toContain('FR76 3000 6000 0112 3456 7890 189');
    expect(body).toContain('AGRIFRPP');
    expect(body).toContain('Crédit Agricole');
    expect(body).toContain('check these details against the ones you have on file');
    expect(body).toContain('We will never send you new bank details by email');
  });

  it('shows both the total and the outstanding amount after a partial payment', () => {
    const invoice = invoiceRecord({ partiallyPaid: true, outstanding: { value: 23456, currency: 'EUR' } });
    const text = plain(answerPage({ invoice }).body);
    expect(text).toContain('Montant de la facture');
    expect(text).toContain('1 234,56 €');
    expect(text).toContain('Reste à payer');
    expect(text).toContain('234,56 €');
  });

  it('escapes a hostile customer name, creditor name and reference everywhere', () => {
    const hostile = '<script>alert("x")</script> & "Fils" \'SARL\'';
    const invoice = invoiceRecord({
      customer: { ...registration.customer, name: hostile },
      registration: { ...registration, reference: '<img src=x onerror=alert(1)>', pdfUrl: 'javascript:alert(1)' as string },
    });
    const { body } = renderAnswerPage({
      creditor: { ...creditor, name: `Dupont & Fils <b>"SAS"</b>` },
      invoice,
      link: link(),
      formAction: FORM_ACTION,
    });
    expect(body).not.toMatch(/<script|<img|<b>/i);
    expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Fils&quot; &#39;SARL&#39;');
    expect(body).toContain('Dupont &amp; Fils &lt;b&gt;&quot;SAS&quot;&lt;/b&gt;');
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(body).not.toContain('javascript:');
  });

  it('gives every input, select and textarea a unique id and a matching <label for>', () => {
    for (const language of ['fr', 'en'] as const) {
      const { body } = answerPage({ link: link({ language }) });
      const found = controls(body);
      expect(found.length).toBe(3 + 6 + 1 + 3 + 1); // promise 3, dispute 6 radios + message, question 3, bank check's details
      const ids = found.map((c) => c.id);
      expect(ids.every(Boolean)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(body).toContain(`<label for="${id}">`);
    }
  });

  it('has three forms posting to formAction, each with its hidden action and a real submit button', () => {
    const { body } = answerPage();
    const found = forms(body);
    expect(found.map((f) => f.hidden)).toEqual(['promise', 'dispute', 'question']);
    for (const form of found) {
      expect(form.html).toMatch(/^<form method="post" action="/);
      expect(form.action).toBe(FORM_ACTION);
      expect(form.html).toMatch(/<button type="submit">[^<]+<\/button>/);
    }
  });

  it('uses the field names of the POST contract', () => {
    const [promise, dispute, question] = forms(answerPage().body);
    expect(promise.html).toMatch(/<input type="date"[^>]*name="promisedDate"[^>]*required/);
    expect(promise.html).toMatch(/<select[^>]*name="paymentMethod"/);
    expect(promise.html).toMatch(/<textarea[^>]*name="message"/);
    for (const method of ['transfer', 'direct_debit', 'card', 'cheque', 'bill_of_exchange']) {
      expect(promise.html).toContain(`<option value="${method}"`);
    }
    for (const reason of ['invoice_not_received', 'goods_not_received', 'defective', 'wrong_amount', 'missing_purchase_order', 'other']) {
      expect(dispute.html).toMatch(new RegExp(`<input type="radio"[^>]*name="reason" value="${reason}"`));
    }
    expect(dispute.html).toMatch(/<textarea[^>]*name="message"/);
    expect(question.html).toMatch(/<textarea[^>]*name="message"[^>]*required/);
    expect(question.html).toMatch(/<input type="text"[^>]*name="contactName"/);
    expect(question.html).toMatch(/<input type="email"[^>]*name="contactEmail"/);
    expect(question.html).toContain('La personne à contacter en comptabilité fournisseurs');
  });

  it('prefills the promised date with the due date and the method with the registered one', () => {
    const [promise] = forms(answerPage().body);
    expect(promise.html).toMatch(/name="promisedDate" value="2027-03-31"/);
    expect(promise.html).toContain('<option value="transfer" selected>Virement bancaire</option>');

    const chequeInvoice = invoiceRecord({ registration: { ...registration, paymentMethod: 'cheque' } });
    expect(forms(answerPage({ invoice: chequeInvoice }).body)[0].html).toContain('<option value="cheque" selected>');

    const noMethod = invoiceRecord({ registration: { ...registration, paymentMethod: undefined } });
    expect(forms(answerPage({ invoice: noMethod }).body)[0].html).toContain('<option value="transfer" selected>');
  });

  it('proposes today rather than a past due date once the invoice is overdue', () => {
    const invoice = invoiceRecord({ status: 'overdue' });
    const { body } = answerPage({ invoice, today: '2027-04-12' });
    expect(forms(body)[0].html).toMatch(/name="promisedDate" value="2027-04-12"/);
    expect(body).toContain('L’échéance de cette facture est passée');
  });

  it('opens the promise form by default, the others folded', () => {
    const { body } = answerPage();
    expect(detailsOf(body, 'promise')).toMatch(/^<details class="answer" id="promise" open>/);
    expect(detailsOf(body, 'dispute')).toMatch(/^<details class="answer" id="dispute">/);
  });

  it('puts the dispute form first, open and highlighted, for ?action=dispute', () => {
    const { body } = answerPage({ action: 'dispute' });
    expect(forms(body).map((f) => f.hidden)).toEqual(['dispute', 'promise', 'question']);
    expect(detailsOf(body, 'dispute')).toMatch(/^<details class="answer highlight" id="dispute" open>/);
    expect(detailsOf(body, 'promise')).toMatch(/^<details class="answer" id="promise">/);
  });

  it('puts the question form first for ?action=question', () => {
    expect(forms(answerPage({ action: 'question' }).body).map((f) => f.hidden)).toEqual(['question', 'promise', 'dispute']);
  });

  it('only offers the actions the link allows', () => {
    const { body } = answerPage({ link: link({ allowedActions: ['promise', 'question'] }), action: 'dispute' });
    expect(forms(body).map((f) => f.hidden)).toEqual(['promise', 'question']);
  });

  it.each(['paid', 'cancelled', 'handed_off'] as const)('shows no form and no bank details when the invoice is %s', (status) => {
    const { statusCode, body } = answerPage({ invoice: invoiceRecord({ status }), action: 'promise' });
    expect(statusCode).toBe(200);
    expect(body).not.toMatch(/<form\b/);
    expect(body).not.toContain('IBAN');
    expect(body).toContain('id="nothing-to-do"');
    expect(body).toMatch(status === 'handed_off' ? /Vous n’avez plus rien à faire/ : /vous n’avez rien à faire/);
  });

  it('shows errors with role="alert" above the form that was sent, marks the fields and keeps the values', () => {
    const hostileMessage = '</textarea><script>alert(1)</script> & co';
    const { body } = answerPage({
      action: 'promise',
      errors: [{ path: 'message', message: 'Too small: expected string to have >=1 characters' }],
      values: { action: 'question', message: hostileMessage, contactName: 'Léa "Compta" <Dupré>', contactEmail: 'lea@' },
    });
    const question = detailsOf(body, 'question');
    // The sent form comes first and is open, with its alert before the form.
    expect(forms(body)[0].hidden).toBe('question');
    expect(question).toMatch(/open><summary>[^<]*<\/summary><div class="alert" role="alert" id="question-errors">/);
    expect(question).toContain('Écrivez votre question');
    expect(question).not.toContain('Too small'); // the API's English message is not shown to a French customer
    expect(question).toMatch(/<textarea[^>]*aria-invalid="true"[^>]*aria-describedby="question-errors"/);
    expect(question).toContain('&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</textarea>');
    expect(question).toContain('value="Léa &quot;Compta&quot; &lt;Dupré&gt;"');
    expect(question).toContain('value="lea@"');
    expect(body).not.toMatch(/<script/i);
    // Only one alert, and the other forms keep their defaults.
    expect(body.match(/role="alert"/g)).toHaveLength(1);
    expect(detailsOf(body, 'promise')).toMatch(/name="promisedDate" value="2027-03-31"/);
  });

  it('keeps a submitted promise date and method next to their errors', () => {
    const { body } = answerPage({
      errors: [{ path: 'promisedDate', message: 'not a real calendar date' }],
      values: { action: 'promise', promisedDate: '2027-02-30', paymentMethod: 'card' },
      link: link({ language: 'en' }),
    });
    const promise = detailsOf(body, 'promise');
    expect(promise).toContain('role="alert"');
    expect(promise).toContain('Enter a valid payment date.');
    expect(promise).toContain('href="#promise-promisedDate"');
    expect(promise).toMatch(/name="promisedDate" value="2027-02-30" required aria-invalid="true"/);
    expect(promise).toContain('<option value="card" selected>');
  });

  it('shows errors that belong to no form above all the forms', () => {
    const { body } = answerPage({ errors: [{ path: 'action', message: 'Invalid input' }], values: { action: 'pay-now' } });
    expect(body).toMatch(/<div class="alert" role="alert" id="errors">[\s\S]*<details/);
    expect(body).toContain('merci de choisir une réponse');
  });

  it('recalls a recorded promise and still offers the forms', () => {
    const invoice = invoiceRecord({
      status: 'promised',
      promise: { date: '2027-04-05', method: 'transfer', afterDueDate: true, at: '2027-03-20T10:00:00.000Z', source: 'customer' },
    });
    const en = answerPage({ invoice, link: link({ language: 'en' }) }).body;
    expect(en).toContain('You told us you would pay on 5 April 2027 by bank transfer.');
    expect(en).toContain('You can still send us a new answer below.');
    expect(forms(en)).toHaveLength(3);
    expect(answerPage({ invoice }).body).toContain('Vous nous avez indiqué un paiement le 5 avril 2027 par virement bancaire.');
  });

  it('recalls an open dispute, not a resolved one', () => {
    const dispute = { reason: 'wrong_amount' as const, at: '2027-03-22T09:30:00.000Z', status: 'open' as const };
    const open = answerPage({ invoice: invoiceRecord({ status: 'disputed', dispute }), link: link({ language: 'en' }) }).body;
    expect(open).toContain('You reported a problem on 22 March 2027 (wrong amount).');
    expect(forms(open)).toHaveLength(3);
    const resolved = answerPage({ invoice: invoiceRecord({ dispute: { ...dispute, status: 'resolved', outcome: 'rejected' } }) }).body;
    expect(resolved).not.toContain('id="previous-answer"');
  });
});

describe('renderConfirmationPage', () => {
  const confirm = (answer: Parameters<typeof renderConfirmationPage>[0]['answer'], language: 'fr' | 'en' = 'en') =>
    renderConfirmationPage({ creditor, invoice: invoiceRecord(), link: link({ language }), answer });

  it('confirms a promise with its date and method, and shows the bank details for a transfer', () => {
    const { statusCode, body } = confirm({ action: 'promise', promisedDate: '2027-03-30', paymentMethod: 'transfer' });
    expect(statusCode).toBe(200);
    expect(body).toContain('we have recorded your payment planned for 30 March 2027 by bank transfer');
    expect(body).toContain('You will receive a confirmation by email.');
    expect(body).not.toContain('id="after-due-date"');
    expect(body).toContain('FR76 3000 6000 0112 3456 7890 189');
    expect(body).toContain('<a href="">Back to the invoice</a>');
    expect(body).not.toMatch(/<form\b|<script/);
  });

  it('notes politely that a promised date after the due date is still recorded', () => {
    const { body } = confirm({ action: 'promise', promisedDate: '2027-04-15', paymentMethod: 'cheque' }, 'fr');
    expect(body).toMatch(/<html lang="fr">/);
    expect(body).toContain('votre paiement prévu le 15 avril 2027 par chèque');
    expect(body).toContain('Cette date est postérieure à l’échéance du 31 mars 2027\u202f; nous l’avons néanmoins bien enregistrée.');
    expect(body).not.toContain('IBAN'); // a cheque needs no bank details
  });

  it('confirms a dispute: team notified, reminders paused, message echoed safely', () => {
    const { body } = confirm({ action: 'dispute', reason: 'goods_not_received', message: 'Livraison <b>incomplète</b> & "cassée"' });
    expect(body).toContain('goods or service not received');
    expect(body).toContain('Our team has been notified and will contact you; reminders are paused in the meantime.');
    expect(body).toContain('Livraison &lt;b&gt;incomplète&lt;/b&gt; &amp; &quot;cassée&quot;');
    expect(body).not.toContain('<b>');
  });

  it('confirms a question with the address the answer will go to', () => {
    const given = confirm({ action: 'question', message: 'Can we pay in two instalments?', contactEmail: 'ap@client.example', contactName: 'Ann <Lee>' });
    expect(given.body).toContain('Our team will answer you at <strong>ap@client.example</strong>.');
    expect(given.body).toContain('Ann &lt;Lee&gt;');
    const fallback = confirm({ action: 'question', message: 'Which PO?' }, 'fr');
    expect(fallback.body).toContain('Notre équipe vous répondra à l’adresse <strong>compta@boulangerie-martin.fr</strong>.');
  });

  it('can link back to a given page URL', () => {
    const { body } = renderConfirmationPage({
      creditor,
      invoice: invoiceRecord(),
      link: link(),
      answer: { action: 'dispute', reason: 'other' },
      pageUrl: FORM_ACTION,
    });
    expect(body).toContain(`<a href="${FORM_ACTION}">Retour à la facture</a>`);
  });
});

describe('renderErrorPage', () => {
  it.each([
    [404, 'not_found', 'Link not valid'],
    [410, 'expired', 'Link expired'],
    [429, 'too_many', 'Too many attempts'],
    [409, 'closed', 'Nothing to do'],
    [409, 'busy', 'Answer not recorded'],
    [400, 'invalid', 'Incomplete answer'],
  ] as const)('answers %i for %s, politely and in both languages when the language is unknown', (statusCode, reason, english) => {
    const page = renderErrorPage({ statusCode, reason });
    expect(page.statusCode).toBe(statusCode);
    expect(page.headers).toMatchObject(PAGE_HEADERS);
    expect(page.body).toContain('<html lang="fr">');
    expect(page.body).toContain('<section class="card" lang="fr">');
    expect(page.body).toContain('<section class="card" lang="en">');
    expect(page.body).toContain(english);
    expect(page.body).not.toMatch(/<script|<form\b/);
  });

  it('speaks only the link language when it is known', () => {
    const { body } = renderErrorPage({ statusCode: 410, language: 'en', reason: 'expired' });
    expect(body).toContain('<html lang="en">');
    expect(body).toContain('This link has expired.');
    expect(body).not.toContain('Ce lien a expiré');
  });

  it('tells a guesser nothing: no token, no path, the same page for every unknown link', () => {
    const a = renderErrorPage({ statusCode: 404, reason: 'not_found' });
    const b = renderErrorPage({ statusCode: 404, reason: 'not_found' });
    expect(a.body).toBe(b.body);
    expect(a.body).not.toMatch(/\/r\/|token/i);
    expect(a.body).not.toContain(FORM_ACTION.slice(3));
  });

  it('says when to come back after too many attempts', () => {
    expect(renderErrorPage({ statusCode: 429, reason: 'too_many' }).headers['retry-after']).toBe('3600');
    expect(renderErrorPage({ statusCode: 404, reason: 'not_found' }).headers['retry-after']).toBeUndefined();
  });
});
