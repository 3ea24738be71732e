import { describe, expect, it } from 'vitest';
import type { Creditor } from '../../../../shared/domain/creditor';
import { renderTeamEmail, type TeamEmailContext, type TeamEmailKind } from '../../../../shared/rendering/email';
import type { InvoiceRecord } from '../../../../shared/domain/invoice';
import { invoiceRecord, registration } from '../../../support/fixtures';

const creditor: Creditor = { name: 'Example SAS', iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'AGRIFRPP' };

const INVOICE_KINDS: Exclude<TeamEmailKind, 'daily_digest'>[] = [
  'dispute',
  'question',
  'dispute_follow_up',
  'call_task',
  'hand_off',
  'needs_attention',
  'contact_bounced',
];

function overdue(overrides: Partial<InvoiceRecord> = {}): InvoiceRecord {
  return invoiceRecord({ status: 'overdue', phase: 'overdue', outstanding: { value: 100000, currency: 'EUR' }, partiallyPaid: true, ...overrides });
}

function render(kind: TeamEmailKind, ctx: Partial<TeamEmailContext> = {}) {
  return renderTeamEmail(kind, { creditor, invoice: overdue(), ...ctx });
}

describe.each(INVOICE_KINDS)('%s', (kind) => {
  it('shows the invoice at a glance, in English, in both parts', () => {
    const email = render(kind, { facts: { 'Promised date': '2027-04-10' }, message: 'Something to read' });
    expect(email.subject).toContain('F-2027-0042');
    expect(email.subject).toContain('Boulangerie Martin SARL');
    expect(email.html).toContain('<html lang="en"');
    for (const part of [email.html, email.text]) {
      expect(part).toContain('F-2027-0042');
      expect(part).toContain('Boulangerie Martin SARL');
      expect(part).toContain('€1,000.00'); // outstanding
      expect(part).toContain('€1,234.56'); // invoice amount, since partly paid
      expect(part).toContain('2027-03-31');
      expect(part).toContain('overdue');
      expect(part).toContain('Promised date');
      expect(part).toContain('2027-04-10');
      expect(part).toContain('Something to read');
    }
    expect(email.text).toContain('> Something to read');
    expect(email.text).toMatch(/What to do|Who to call|Evidence file/);
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

describe('calls to action', () => {
  it('dispute: resolve via the dispute-resolution route, with the reason in words', () => {
    const invoice = overdue({ status: 'disputed', dispute: { reason: 'wrong_amount', at: '2027-03-22T09:00:00.000Z', status: 'open' } });
    const { text } = render('dispute', { invoice });
    expect(text).toContain('wrong amount');
    expect(text).toContain('POST /invoices/F-2027-0042/dispute-resolution');
    expect(text).toMatch(/rejected.*corrected_amount.*credit_note/);
  });

  it('dispute follow-up: says since when it is open', () => {
    const invoice = overdue({ dispute: { reason: 'defective', at: '2027-03-22T09:00:00.000Z', status: 'open' } });
    const { text } = render('dispute_follow_up', { invoice });
    expect(text).toContain('open since 2027-03-22T09:00:00.000Z');
    expect(text).toContain('POST /invoices/F-2027-0042/dispute-resolution');
  });

  it('call task: lists every contact with phone and email, then how to record the outcome', () => {
    const customer = {
      ...registration.customer,
      contacts: [
        ...registration.customer.contacts,
        { name: 'Marc Durand', email: 'marc@boulangerie-martin.fr' },
      ],
    };
    const { text, html } = render('call_task', { invoice: overdue({ customer }) });
    for (const part of [text, html]) {
      expect(part).toContain('Claire Martin');
      expect(part).toContain('+33 4 78 12 34 56');
      expect(part).toContain('compta@boulangerie-martin.fr');
      expect(part).toContain('Marc Durand');
      expect(part).toContain('no phone on file');
    }
    expect(text).toContain('POST /invoices/F-2027-0042/call-outcomes');
  });

  it('hand-off: points at the evidence file', () => {
    expect(render('hand_off').text).toContain('GET /invoices/F-2027-0042/evidence');
  });

  it('needs attention: shows the error and the execution to open', () => {
    const { text } = render('needs_attention', { message: 'ConditionalCheckFailedException: version 7' });
    expect(text).toContain('Error:');
    expect(text).toContain('> ConditionalCheckFailedException: version 7');
    expect(text).toContain('F-2027-0042-r1');
  });

  it('contact bounced: names the address, from the facts or else the suppressed list', () => {
    const fromFacts = render('contact_bounced', { facts: { Email: 'compta@boulangerie-martin.fr', 'Bounce type': 'Permanent' } });
    expect(fromFacts.text).toContain('Email to compta@boulangerie-martin.fr');
    expect(fromFacts.text).toContain('PATCH /invoices/F-2027-0042');

    const fallback = render('contact_bounced', { invoice: overdue({ suppressedEmails: ['compta@boulangerie-martin.fr'] }) });
    expect(fallback.text).toContain('Email to compta@boulangerie-martin.fr');
    expect(fallback.text).toContain('No contact of Boulangerie Martin SARL can receive email any more');
    expect(fallback.text).toContain('(bounced, no more email)');
  });

  it('encodes an invoice id with a slash in the API paths', () => {
    const { text } = render('hand_off', { invoice: overdue({ invoiceId: 'FA/2027/7' }) });
    expect(text).toContain('GET /invoices/FA%2F2027%2F7/evidence');
  });
});

describe('daily_digest', () => {
  it('renders the sections without an invoice', () => {
    const email = renderTeamEmail('daily_digest', {
      creditor,
      digest: [
        { title: 'Promises due today', lines: ['F-2027-0042 Boulangerie Martin SARL €1,234.56', 'F-2027-0050 <Acme> €99.00'] },
        { title: 'Open disputes', lines: [] },
      ],
    });
    expect(email.subject).toContain('Daily digest');
    expect(email.subject).toContain('Example SAS');
    expect(email.text).toContain('Promises due today (2)');
    expect(email.text).toContain('- F-2027-0042 Boulangerie Martin SARL €1,234.56');
    expect(email.text).toContain('Open disputes (0)');
    expect(email.html).toContain('&lt;Acme&gt;');
    expect(email.html).not.toContain('<Acme>');
  });

  it('says so when nothing needs the team', () => {
    expect(renderTeamEmail('daily_digest', { creditor, digest: [] }).text).toContain('Nothing needs you today.');
  });
});
