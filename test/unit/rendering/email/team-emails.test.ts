import { describe, expect, it } from 'vitest';
import type { Creditor } from '../../../../shared/domain/creditor';
import { renderTeamEmail, type TeamEmailContext, type TeamEmailKind } from '../../../../shared/rendering/email';
import { invoiceDigestSection, ratesDigestSection } from '../../../../shared/rendering/email/team-emails';
import type { InvoiceRecord } from '../../../../shared/domain/invoice';
import { EXAMPLE_CREDITOR } from '../../../../shared/lambda/config';
import { invoiceRecord, registration } from '../../../support/fixtures';

const creditor: Creditor = EXAMPLE_CREDITOR;
const PARIS = { language: 'fr', timeZone: 'Europe/Paris' } as const;
const LONDON_EN = { language: 'en', timeZone: 'Europe/London' } as const;
const NNBSP = '\u202f';

const INVOICE_KINDS: Exclude<TeamEmailKind, 'daily_digest'>[] = [
  'dispute',
  'question',
  'dispute_follow_up',
  'call_task',
  'hand_off',
  'needs_attention',
  'contact_bounced',
  'email_unconfirmed',
  'payment_received',
];

function overdue(overrides: Partial<InvoiceRecord> = {}): InvoiceRecord {
  return invoiceRecord({ status: 'overdue', phase: 'overdue', outstanding: { value: 100000, currency: 'EUR' }, partiallyPaid: true, ...overrides });
}

/** An invoice carrying every instant and date the summary shows. */
function eventful(): InvoiceRecord {
  return overdue({
    status: 'disputed',
    promise: { date: '2027-04-10', method: 'transfer', afterDueDate: true, at: '2027-03-20T10:30:00.000Z', source: 'customer' },
    dispute: { reason: 'wrong_amount', at: '2027-03-15T08:00:00.000Z', status: 'open' },
    nextActionAt: '2027-03-22T08:00:00.000Z',
    handedOffAt: '2027-05-18T07:00:00.000Z',
  });
}

/** An overpayment: the one payment notice that always asks something of the team. */
const OVERPAYMENT = { reference: 'VIR-1', amount: { value: 120000, currency: 'EUR' }, paidAt: '2027-04-02', overpaid: { value: 20000, currency: 'EUR' } };

function render(kind: TeamEmailKind, ctx: Partial<TeamEmailContext> = {}) {
  return renderTeamEmail(kind, { creditor, ...PARIS, invoice: overdue(), payment: OVERPAYMENT, ...ctx });
}

describe.each(INVOICE_KINDS)('%s', (kind) => {
  it('shows the invoice at a glance, in French by default, in both parts', () => {
    const email = render(kind, { facts: { 'Promised date': '2027-04-10' }, message: 'Something to read' });
    expect(email.subject).toMatch(/^\[Relances\] /);
    expect(email.subject).toContain('F-2027-0042');
    expect(email.subject).toContain('Boulangerie Martin SARL');
    expect(email.html).toContain('<html lang="fr"');
    for (const part of [email.html, email.text]) {
      expect(part).toContain('F-2027-0042');
      expect(part).toContain('Boulangerie Martin SARL');
      expect(part).toMatch(/1\s000,00\s€/); // outstanding
      expect(part).toMatch(/1\s234,56\s€/); // invoice amount, since partly paid
      expect(part).toContain('31 mars 2027');
      expect(part).toContain('en retard (partiellement payée)');
      expect(part).toContain('Promised date');
      expect(part).toContain('2027-04-10');
      expect(part).toContain('Something to read');
    }
    expect(email.text).toContain('> Something to read');
    expect(email.text).toMatch(/À faire|Qui appeler|Dossier de preuves/);
  });

  it('is written in English when the team reads English', () => {
    const email = render(kind, LONDON_EN);
    expect(email.subject).toMatch(/^\[Dunning\] /);
    expect(email.html).toContain('<html lang="en"');
    for (const part of [email.html, email.text]) {
      expect(part).toContain('€1,000.00');
      expect(part).toContain('31 March 2027');
      expect(part).toContain('overdue (partially paid)');
    }
    expect(email.text).toMatch(/What to do|Who to call|Evidence file/);
  });

  it.each([PARIS, LONDON_EN])('shows no raw ISO date or instant ($language)', (locale) => {
    const { html, text, subject } = render(kind, { ...locale, invoice: eventful(), payment: { reference: 'VIR-1', amount: { value: 5000, currency: 'EUR' }, paidAt: '2027-05-20T14:00:00.000Z' } });
    for (const part of [html, text, subject]) expect(part).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('follows French typography: narrow no-break spaces, typographic apostrophes', () => {
    const { subject, text } = render(kind, { invoice: eventful() });
    expect(subject).toContain(`${NNBSP}: F-2027-0042`);
    expect(subject).not.toMatch(/ [:;!?]/);
    expect(text).not.toMatch(/ [;!?»]|« /);
    expect(text).not.toContain("'");
  });

  it('escapes what the customer wrote', () => {
    const customer = { ...registration.customer, name: `O'Brien & Co <script>x</script>` };
    const email = render(kind, {
      invoice: overdue({ customer }),
      message: '<img src=x onerror=alert(1)>',
      facts: { '<b>key</b>': '<i>value</i>' },
    });
    expect(email.html).not.toMatch(/<script|<img|<b>|<i>/);
    expect(email.html).toContain('O&#39;Brien &amp; Co &lt;script&gt;');
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(email.text).toContain('<img src=x onerror=alert(1)>');
    expect(email.subject).toContain(`O'Brien & Co <script>x</script>`);
  });
});

describe('instants', () => {
  const invoice = overdue({ dispute: { reason: 'defective', at: '2027-03-15T08:00:00.000Z', status: 'open' } });

  it('are shown on the team clock, in its language', () => {
    expect(render('dispute_follow_up', { invoice }).text).toContain('ouvert depuis le 15 mars 2027 à 09:00');
    expect(render('dispute_follow_up', { invoice, language: 'en', timeZone: 'Europe/Paris' }).text).toContain('open since 15 March 2027, 09:00');
    expect(render('dispute_follow_up', { invoice, language: 'en', timeZone: 'America/New_York' }).text).toContain('open since 15 March 2027, 04:00');
  });

  it('keep a calendar date a date', () => {
    const payment = { reference: 'VIR-1', amount: { value: 5000, currency: 'EUR' }, paidAt: '2027-04-01' };
    expect(render('payment_received', { payment }).text).toContain('payé le 1er avril 2027)');
  });
});

describe('calls to action', () => {
  it('dispute: resolve via the dispute-resolution route, with the reason in words', () => {
    const invoice = overdue({ status: 'disputed', dispute: { reason: 'wrong_amount', at: '2027-03-22T09:00:00.000Z', status: 'open' } });
    const { text } = render('dispute', { invoice });
    expect(text).toContain('montant erroné');
    expect(text).toContain('litige');
    expect(text).toContain('`POST /invoices/F-2027-0042/dispute-resolution`');
    expect(text).toMatch(/`rejected`.*`corrected_amount`.*`correctedAmount`.*`credit_note`/);
    expect(render('dispute', { invoice, ...LONDON_EN }).text).toContain('wrong amount');
  });

  it('call task: lists every contact with phone and email, then how to record the outcome', () => {
    const customer = {
      ...registration.customer,
      contacts: [...registration.customer.contacts, { name: 'Marc Durand', email: 'marc@boulangerie-martin.fr' }],
    };
    const { text, html } = render('call_task', { invoice: overdue({ customer }) });
    for (const part of [text, html]) {
      expect(part).toContain('Claire Martin');
      expect(part).toContain('+33 4 78 12 34 56');
      expect(part).toContain('compta@boulangerie-martin.fr');
      expect(part).toContain('Marc Durand');
      expect(part).toContain('pas de téléphone connu');
    }
    expect(text).toContain('`POST /invoices/F-2027-0042/call-outcomes`');
    expect(text).toMatch(/`promised`.*`promisedDate`.*`paymentMethod`.*`no_answer`.*`wrong_number`/);
    expect(render('call_task', { invoice: overdue({ customer }), ...LONDON_EN }).text).toContain('no phone on file');
  });

  it('hand-off: points at the evidence file', () => {
    expect(render('hand_off').text).toContain('`GET /invoices/F-2027-0042/evidence`');
  });

  it('needs attention: shows the error, the execution to open and the restart call', () => {
    const { text } = render('needs_attention', { message: 'ConditionalCheckFailedException: version 7', facts: { error: 'States.Timeout' } });
    expect(text).toContain(`Erreur${NNBSP}:\n> ConditionalCheckFailedException: version 7`);
    expect(text).toMatch(/Erreur\s:\sStates\.Timeout/);
    expect(text).toContain('F-2027-0042-r1');
    expect(text).toContain('`POST /invoices/F-2027-0042/restart`');
    expect(render('needs_attention', { ...LONDON_EN, message: 'x' }).text).toContain('Error:\n> x');
  });

  it('contact bounced: names the address, from the facts or else the suppressed list', () => {
    const fromFacts = render('contact_bounced', { facts: { address: 'compta@boulangerie-martin.fr', event: 'Bounce' } });
    expect(fromFacts.text).toContain('Un e-mail à compta@boulangerie-martin.fr');
    expect(fromFacts.text).toContain('`PATCH /invoices/F-2027-0042`');

    const fallback = render('contact_bounced', { invoice: overdue({ suppressedEmails: ['compta@boulangerie-martin.fr'] }) });
    expect(fallback.text).toContain('Un e-mail à compta@boulangerie-martin.fr');
    expect(fallback.text).toContain('Plus aucun contact de Boulangerie Martin SARL ne peut recevoir d’e-mail');
    expect(fallback.text).toContain('(adresse rejetée, plus aucun e-mail)');
    expect(render('contact_bounced', { ...LONDON_EN, facts: { address: 'compta@boulangerie-martin.fr' } }).text).toContain('Email to compta@boulangerie-martin.fr');
  });

  it('payment after hand-off: the claim must drop, and an overpayment is due back', () => {
    const payment = {
      reference: 'VIR-1',
      amount: { value: 150000, currency: 'EUR' },
      paidAt: '2027-05-20T14:00:00.000Z',
      receivedAfter: 'after_hand_off',
      overpaid: { value: 50000, currency: 'EUR' },
    };
    const { subject, text } = render('payment_received', { invoice: eventful(), payment });
    expect(subject).toContain('Paiement après transmission au contentieux');
    expect(text).toContain('payé le 20 mai 2027 à 16:00');
    expect(text).toContain('transmise au contentieux le 18 mai 2027 à 09:00');
    expect(text).toContain('l’agence de recouvrement ou le tribunal');
    expect(text).toMatch(/500,00\s€ excèdent la somme due/);
  });

  it('encodes an invoice id with a slash in the API paths', () => {
    const { text } = render('hand_off', { invoice: overdue({ invoiceId: 'FA/2027/7' }) });
    expect(text).toContain('GET /invoices/FA%2F2027%2F7/evidence');
  });
});

describe('daily_digest', () => {
  const digest = (ctx: Partial<TeamEmailContext>) => renderTeamEmail('daily_digest', { creditor, ...PARIS, ...ctx });

  it('renders the sections without an invoice', () => {
    const email = digest({
      digest: [
        { title: 'Promesses (2)', lines: ['F-2027-0042 Boulangerie Martin SARL', 'F-2027-0050 <Acme>'] },
        { title: 'Litiges (0)', lines: [] },
      ],
    });
    expect(email.subject).toBe('[Relances] Synthèse du jour — Example SAS');
    expect(email.text).toContain('Promesses (2)');
    expect(email.text).toContain('- F-2027-0042 Boulangerie Martin SARL');
    expect(email.text).toContain('Litiges (0)\n-----------\n\nRien.');
    expect(email.html).toContain('&lt;Acme&gt;');
    expect(email.html).not.toContain('<Acme>');
  });

  it('says so when nothing needs the team', () => {
    expect(digest({ digest: [] }).text).toContain('Rien ne demande votre attention aujourd’hui.');
    expect(digest({ digest: [], ...LONDON_EN }).text).toContain('Nothing needs you today.');
  });

  it('lists invoices in the team language, next steps on the team clock', () => {
    const promised = invoiceRecord({
      status: 'promised',
      promise: { date: '2027-04-10', afterDueDate: true, at: '2027-03-20T10:30:00.000Z', source: 'customer' },
      nextActionAt: '2027-04-12T07:00:00.000Z',
    });
    const fr = invoiceDigestSection('promised', [promised], PARIS);
    expect(fr.title).toBe('Promesses de paiement (1)');
    expect(fr.lines).toEqual([
      expect.stringMatching(/^F-2027-0042 — Boulangerie Martin SARL — 1\s234,56\s€ — échéance le 31 mars 2027 — paiement promis pour le 10 avril 2027 — prochaine étape le 12 avril 2027 à 09:00$/),
    ]);
    const en = invoiceDigestSection('overdue', [{ ...promised, status: 'overdue' }], LONDON_EN);
    expect(en.title).toBe('Overdue: on the escalation ladder (1)');
    expect(en.lines[0]).toBe('F-2027-0042 — Boulangerie Martin SARL — €1,234.56 — due 31 March 2027 — next step 12 April 2027, 08:00');
    expect(invoiceDigestSection('disputed', [], PARIS).title).toBe(`Litiges ouverts${NNBSP}: à résoudre (0)`);
  });

  it('asks for the rates of a half-year missing from the table, saying claims are provisional until then', () => {
    const fr = ratesDigestSection('2027-H2', PARIS);
    expect(fr.title).toBe(`Taux légaux à mettre à jour${NNBSP}: second semestre 2027`);
    const text = fr.lines.join('\n');
    expect(text).toContain('`2027-H2`');
    expect(text).toContain('`shared/domain/rates.ts`');
    expect(text).toContain('en vigueur le 1er juillet 2027');
    expect(text).toMatch(/`legal.other`.*`legal.consumer`.*arrêté/);
    expect(text).toContain('provisoires');
    const en = ratesDigestSection('2028-H1', LONDON_EN).lines.join('\n');
    expect(en).toContain('in force on 1 January 2028');
    expect(en).toContain('marked provisional');
  });
});
