import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import {
  CallOutcomeBody,
  CustomerAnswer,
  describeIssues,
  PatchInvoiceBody,
  PaymentBody,
  RegisterInvoiceBody,
  ResolveDisputeBody,
  DocumentBody,
  MAX_DOCUMENT_BYTES,
} from '../../../shared/domain/schemas';

/** The `details` a caller would get back for this body, or [] when it is accepted. */
function issues(schema: z.ZodMiniType, body: unknown): { path: string; message: string }[] {
  const result = schema.safeParse(body);
  return result.success ? [] : describeIssues(result.error);
}

/** Asserts the body is refused with (at least) one issue at `path` whose message matches. */
function expectRefused(schema: z.ZodMiniType, body: unknown, path: string, message?: RegExp) {
  const found = issues(schema, body);
  expect(found, JSON.stringify(body)).not.toEqual([]);
  const atPath = found.filter((issue) => issue.path === path);
  expect(atPath, `issues: ${JSON.stringify(found)}`).not.toEqual([]);
  for (const issue of atPath) expect(issue.message.length).toBeGreaterThan(5);
  if (message) expect(atPath.map((issue) => issue.message).join(' | ')).toMatch(message);
}

const contact = { name: 'Claire Dubois', email: 'compta@boulangerie-martin.fr', phone: '+33 1 23 45 67 89', role: 'accounts payable' };

function invoice(overrides: Record<string, unknown> = {}) {
  return {
    invoiceId: 'F-2027-0042',
    customer: { id: 'C-981', name: 'Boulangerie Martin SARL', language: 'fr', contacts: [contact] },
    amount: { value: 123456, currency: 'EUR' },
    issueDate: '2027-02-01',
    dueDate: '2027-03-31',
    purchaseOrder: 'PO-7781',
    pdfUrl: 'https://billing.example.com/invoices/F-2027-0042.pdf',
    paymentMethod: 'transfer',
    reference: 'RF18 0000 0000 0000 0000 0042',
    ...overrides,
  };
}

const customer = (overrides: Record<string, unknown>) => ({ ...invoice().customer, ...overrides });

describe('RegisterInvoiceBody', () => {
  it('accepts a realistic registration and keeps its values', () => {
    const parsed = RegisterInvoiceBody.parse(invoice());
    expect(parsed.invoiceId).toBe('F-2027-0042');
    expect(parsed.amount).toEqual({ value: 123456, currency: 'EUR' });
    expect(parsed.customer.contacts[0].email).toBe('compta@boulangerie-martin.fr');
  });

  it('accepts a minimal registration without the optional fields', () => {
    const body = {
      invoiceId: 'F1',
      customer: { id: 'C1', name: 'ACME Ltd', language: 'en', contacts: [{ name: 'Jo', email: 'ap@acme.example' }] },
      amount: { value: 1, currency: 'GBP' },
      issueDate: '2027-03-01',
      dueDate: '2027-03-01',
    };
    expect(issues(RegisterInvoiceBody, body)).toEqual([]);
  });

  it('accepts per-invoice policy overrides', () => {
    expect(issues(RegisterInvoiceBody, invoice({ policy: { daysBeforeDue: 14 } }))).toEqual([]);
    expectRefused(RegisterInvoiceBody, invoice({ policy: { daysBeforeDue: 0 } }), 'policy.daysBeforeDue');
    expectRefused(RegisterInvoiceBody, invoice({ policy: { lateInterestRatePercent: 0 } }), 'policy', /lateInterestRatePercent/);
  });

  describe('the customer and the terms', () => {
    const customer = (extra: Record<string, unknown>) => invoice({ customer: { id: 'C-981', name: 'Boulangerie Martin SARL', language: 'fr', contacts: [contact], ...extra } });

    it('accepts the three kinds of customer, a legal id and a postal address', () => {
      for (const kind of ['business', 'public', 'consumer']) expect(issues(RegisterInvoiceBody, customer({ kind }))).toEqual([]);
      const address = { lines: ['12 rue de la République'], postalCode: '69002', city: 'Lyon', country: 'FR' };
      // 732 829 320: a SIREN whose Luhn checksum holds; with an establishment number, a SIRET; and a VAT number.
      for (const legalId of ['732829320', '732 829 320', '73282932000074', 'FR44732829320']) {
        expect(issues(RegisterInvoiceBody, customer({ legalId, address })), legalId).toEqual([]);
      }
    });

    it('refuses an unknown kind, a SIREN with a wrong checksum and an address without its city', () => {
      expectRefused(RegisterInvoiceBody, customer({ kind: 'individual' }), 'customer.kind');
      expectRefused(RegisterInvoiceBody, customer({ legalId: '732829321' }), 'customer.legalId', /checksum/);
      expectRefused(RegisterInvoiceBody, customer({ address: { lines: ['1 rue X'], postalCode: '69002', country: 'FR' } }), 'customer.address.city');
      expectRefused(RegisterInvoiceBody, customer({ address: { lines: [], postalCode: '69002', city: 'Lyon', country: 'France' } }), 'customer.address.country', /alpha-2/);
    });

    it('takes a contractual rate of at most four decimals between 0 and 100 %, and the terms as written', () => {
      expect(issues(RegisterInvoiceBody, invoice({ terms: { latePaymentRatePercent: 10.3725, paymentTerms: '45 jours fin de mois' } }))).toEqual([]);
      expectRefused(RegisterInvoiceBody, invoice({ terms: { latePaymentRatePercent: 12.00001 } }), 'terms.latePaymentRatePercent', /four decimals/);
      expectRefused(RegisterInvoiceBody, invoice({ terms: { latePaymentRatePercent: -1 } }), 'terms.latePaymentRatePercent');
      expectRefused(RegisterInvoiceBody, invoice({ terms: { latePaymentRatePercent: 101 } }), 'terms.latePaymentRatePercent');
      expectRefused(RegisterInvoiceBody, invoice({ terms: { rate: 10 } }), 'terms');
    });
  });

  describe('invoice ids', () => {
    it.each(['F.2027_04/A-1', 'A', 'x'.repeat(64), '2027/0042', 'INV-0001'])('accepts %j', (invoiceId) => {
      expect(issues(RegisterInvoiceBody, invoice({ invoiceId }))).toEqual([]);
    });

    it.each([
      ['empty', ''],
      ['65 characters long', 'x'.repeat(65)],
      ['with a space', 'F 2027'],
      ['with a #', 'F#2027'],
      ['with an accent', 'Facturé-1'],
      ['with a newline', 'F-1\n'],
    ])('refuses an id %s, explaining what ids may contain', (_why, invoiceId) => {
      expectRefused(RegisterInvoiceBody, invoice({ invoiceId }), 'invoiceId', /1-64 characters/);
    });

    it('refuses a missing id', () => {
      const { invoiceId: _, ...body } = invoice();
      expectRefused(RegisterInvoiceBody, body, 'invoiceId');
    });

    it.each(['.', '..'])('refuses the id %j, which no URL can address, and accepts dots elsewhere', (invoiceId) => {
      expectRefused(RegisterInvoiceBody, invoice({ invoiceId }), 'invoiceId', /cannot be "\." or "\.\."/);
      expect(issues(RegisterInvoiceBody, invoice({ invoiceId: `${invoiceId}x` }))).toEqual([]);
      expect(issues(RegisterInvoiceBody, invoice({ invoiceId: `F${invoiceId}1` }))).toEqual([]);
    });
  });

  describe('dates', () => {
    it.each(['2027-02-30', '2026-02-29', '2027-04-31'])('refuses the unreal date %s', (dueDate) => {
      expectRefused(RegisterInvoiceBody, invoice({ dueDate }), 'dueDate', /not a real calendar date/);
    });

    it.each(['1999-12-31', '2100-01-01', '9999-12-31', '0001-01-01'])('refuses the far-off date %s', (dueDate) => {
      expectRefused(RegisterInvoiceBody, invoice({ issueDate: '2000-01-01', dueDate }), 'dueDate', /between 2000-01-01 and 2099-12-31/);
    });

    it('accepts 29 February in a leap year', () => {
      expect(issues(RegisterInvoiceBody, invoice({ dueDate: '2028-02-29' }))).toEqual([]);
    });

    it.each(['2027-1-05', '05/01/2027', '2027-03-31T00:00:00.000Z'])('refuses %j, not written YYYY-MM-DD', (issueDate) => {
      expectRefused(RegisterInvoiceBody, invoice({ issueDate }), 'issueDate', /YYYY-MM-DD/);
    });

    it('refuses a due date before the issue date, pointing at dueDate', () => {
      expectRefused(
        RegisterInvoiceBody,
        invoice({ issueDate: '2027-03-01', dueDate: '2027-02-28' }),
        'dueDate',
        /dueDate must not be before issueDate/,
      );
    });
  });

  describe('amounts', () => {
    it.each([
      ['zero', 0],
      ['negative', -100],
      ['not whole minor units', 12.5],
      ['a string', '100'],
    ])('refuses an amount that is %s', (_why, value) => {
      expectRefused(RegisterInvoiceBody, invoice({ amount: { value, currency: 'EUR' } }), 'amount.value');
    });

    it('says amounts are integer minor units when given a decimal', () => {
      expectRefused(RegisterInvoiceBody, invoice({ amount: { value: 12.5, currency: 'EUR' } }), 'amount.value', /minor units/);
    });

    it('accepts EUR, USD and JPY', () => {
      for (const currency of ['EUR', 'USD', 'JPY']) {
        expect(issues(RegisterInvoiceBody, invoice({ amount: { value: 100, currency } }))).toEqual([]);
      }
    });

    it('refuses a currency code that ISO 4217 does not know', () => {
      expectRefused(RegisterInvoiceBody, invoice({ amount: { value: 100, currency: 'XYZ' } }), 'amount.currency', /ISO 4217/);
    });

    it.each(['eur', 'EURO', '€', ''])('refuses the currency %j, which is not an upper-case three-letter code', (currency) => {
      expectRefused(RegisterInvoiceBody, invoice({ amount: { value: 100, currency } }), 'amount.currency', /ISO 4217/);
    });
  });

  describe('customer', () => {
    it('refuses a customer without contacts', () => {
      expectRefused(RegisterInvoiceBody, invoice({ customer: customer({ contacts: [] }) }), 'customer.contacts', /at least one contact/);
    });

    it('refuses a contact with a bad email, pointing at that contact', () => {
      const contacts = [contact, { name: 'Paul', email: 'paul at example.com' }];
      expectRefused(RegisterInvoiceBody, invoice({ customer: customer({ contacts }) }), 'customer.contacts.1.email', /email/i);
    });

    it('refuses a contact with a blank name', () => {
      const contacts = [{ name: '   ', email: 'ap@acme.example' }];
      expectRefused(RegisterInvoiceBody, invoice({ customer: customer({ contacts }) }), 'customer.contacts.0.name');
    });

    it('refuses a language other than fr and en', () => {
      expectRefused(RegisterInvoiceBody, invoice({ customer: customer({ language: 'de' }) }), 'customer.language', /fr.*en/);
    });
  });

  it('refuses unknown fields rather than silently dropping them, naming the field', () => {
    expectRefused(RegisterInvoiceBody, invoice({ discount: 5 }), '', /discount/);
    expectRefused(RegisterInvoiceBody, invoice({ customer: customer({ vat: 'FR123' }) }), 'customer', /vat/);
    expectRefused(RegisterInvoiceBody, invoice({ amount: { value: 100, currency: 'EUR', tax: 20 } }), 'amount', /tax/);
  });

  it('refuses a PDF link that is not http(s)', () => {
    expectRefused(RegisterInvoiceBody, invoice({ pdfUrl: 'javascript:alert(1)' }), 'pdfUrl');
    expectRefused(RegisterInvoiceBody, invoice({ pdfUrl: 'ftp://billing.example.com/f.pdf' }), 'pdfUrl');
  });

  it('takes a payment page link, and refuses one that is not https', () => {
    expect(RegisterInvoiceBody.safeParse(invoice({ paymentUrl: 'https://pay.example-psp.com/i/F-2027-0042' })).success).toBe(true);
    expectRefused(RegisterInvoiceBody, invoice({ paymentUrl: 'javascript:alert(1)' }), 'paymentUrl');
    expectRefused(RegisterInvoiceBody, invoice({ paymentUrl: 'data:text/html,<script>1</script>' }), 'paymentUrl');
    expectRefused(RegisterInvoiceBody, invoice({ paymentUrl: 'http://pay.example-psp.com/i/F-2027-0042' }), 'paymentUrl');
  });

  it('refuses an unknown payment method', () => {
    expectRefused(RegisterInvoiceBody, invoice({ paymentMethod: 'bitcoin' }), 'paymentMethod');
  });

  it('reports every problem at once, not only the first', () => {
    const found = issues(RegisterInvoiceBody, invoice({ invoiceId: 'F 1', amount: { value: 0, currency: 'eur' } }));
    expect(found.map((issue) => issue.path)).toEqual(expect.arrayContaining(['invoiceId', 'amount.value', 'amount.currency']));
  });
});

describe('PaymentBody', () => {
  const payment = (overrides: Record<string, unknown> = {}) => ({
    amount: { value: 123456, currency: 'EUR' },
    paidAt: '2027-03-30',
    reference: 'VIR-2027-03-30-0042',
    ...overrides,
  });

  it.each(['2027-03-30', '2027-03-30T10:15:00+02:00', '2027-03-30T08:15:00.000Z', '2027-03-30T08:15:00.123Z'])(
    'accepts paidAt %j (a date or an ISO timestamp with its offset)',
    (paidAt) => {
      expect(issues(PaymentBody, payment({ paidAt }))).toEqual([]);
    },
  );

  it.each(['2027-03-30T10:15:00', '2027-02-30', 'yesterday', '30/03/2027', '9999-03-30', '1970-01-01T00:00:00Z'])('refuses paidAt %j', (paidAt) => {
    expectRefused(PaymentBody, payment({ paidAt }), 'paidAt');
  });

  it('requires a reference, so that the same payment twice counts once', () => {
    const { reference: _, ...body } = payment();
    expectRefused(PaymentBody, body, 'reference');
    expectRefused(PaymentBody, payment({ reference: '   ' }), 'reference');
  });

  it('refuses a zero payment', () => {
    expectRefused(PaymentBody, payment({ amount: { value: 0, currency: 'EUR' } }), 'amount.value');
  });
});

describe('PatchInvoiceBody', () => {
  it('needs at least a new due date or new contacts', () => {
    expectRefused(PatchInvoiceBody, {}, '', /dueDate and\/or contacts/);
  });

  it('accepts a new due date alone, new contacts alone, or both', () => {
    expect(issues(PatchInvoiceBody, { dueDate: '2027-04-30' })).toEqual([]);
    expect(issues(PatchInvoiceBody, { contacts: [contact] })).toEqual([]);
    expect(issues(PatchInvoiceBody, { dueDate: '2027-04-30', contacts: [contact] })).toEqual([]);
  });

  it('refuses an unreal due date, an empty contact list and fields it cannot change', () => {
    expectRefused(PatchInvoiceBody, { dueDate: '2027-02-30' }, 'dueDate', /not a real calendar date/);
    expectRefused(PatchInvoiceBody, { contacts: [] }, 'contacts', /at least one contact/);
    expectRefused(PatchInvoiceBody, { dueDate: '2027-04-30', amount: { value: 1, currency: 'EUR' } }, '', /amount/);
  });
});

describe('ResolveDisputeBody', () => {
  it('requires the corrected amount when the outcome is a corrected amount', () => {
    expectRefused(ResolveDisputeBody, { outcome: 'corrected_amount' }, 'correctedAmount', /correctedAmount is required/);
    expect(
      issues(ResolveDisputeBody, { outcome: 'corrected_amount', correctedAmount: { value: 100000, currency: 'EUR' } }),
    ).toEqual([]);
  });

  it('accepts a rejected dispute or a credit note without an amount', () => {
    expect(issues(ResolveDisputeBody, { outcome: 'rejected', note: 'Delivery note signed on 03-02' })).toEqual([]);
    expect(issues(ResolveDisputeBody, { outcome: 'credit_note' })).toEqual([]);
  });

  it('refuses an unknown outcome', () => {
    expectRefused(ResolveDisputeBody, { outcome: 'ignored' }, 'outcome');
  });
});

describe('CallOutcomeBody', () => {
  it('requires the promised date when the customer promised on the phone', () => {
    expectRefused(CallOutcomeBody, { outcome: 'promised' }, 'promisedDate', /promisedDate is required/);
    expect(issues(CallOutcomeBody, { outcome: 'promised', promisedDate: '2027-04-20', paymentMethod: 'transfer' })).toEqual([]);
  });

  it('accepts other outcomes without a date', () => {
    for (const outcome of ['disputed', 'no_answer', 'wrong_number', 'other']) {
      expect(issues(CallOutcomeBody, { outcome })).toEqual([]);
    }
  });

  it('refuses an unreal promised date', () => {
    expectRefused(CallOutcomeBody, { outcome: 'promised', promisedDate: '2027-04-31' }, 'promisedDate', /not a real calendar date/);
  });
});

describe('CustomerAnswer (form values are strings)', () => {
  it('accepts a promise with a date and a known payment method, and turns an empty message into undefined', () => {
    const parsed = CustomerAnswer.parse({ action: 'promise', promisedDate: '2027-04-15', paymentMethod: 'transfer', message: '' });
    expect(parsed).toEqual({ action: 'promise', promisedDate: '2027-04-15', paymentMethod: 'transfer', message: undefined });
  });

  it('keeps a promise message, trimmed', () => {
    const parsed = CustomerAnswer.parse({ action: 'promise', promisedDate: '2027-04-15', paymentMethod: 'cheque', message: '  Sent Monday  ' });
    expect(parsed).toMatchObject({ message: 'Sent Monday' });
  });

  it.each(['transfer', 'direct_debit', 'card', 'cheque', 'bill_of_exchange'])('accepts payment method %s', (paymentMethod) => {
    expect(issues(CustomerAnswer, { action: 'promise', promisedDate: '2027-04-15', paymentMethod })).toEqual([]);
  });

  it('refuses a promise without a date, with an unreal date, or with an unknown payment method', () => {
    expectRefused(CustomerAnswer, { action: 'promise', paymentMethod: 'transfer' }, 'promisedDate');
    expectRefused(CustomerAnswer, { action: 'promise', promisedDate: '', paymentMethod: 'transfer' }, 'promisedDate');
    expectRefused(CustomerAnswer, { action: 'promise', promisedDate: '2027-02-30', paymentMethod: 'transfer' }, 'promisedDate', /not a real calendar date/);
    expectRefused(CustomerAnswer, { action: 'promise', promisedDate: '2027-04-15', paymentMethod: 'bitcoin' }, 'paymentMethod');
    expectRefused(CustomerAnswer, { action: 'promise', promisedDate: '2027-04-15', paymentMethod: '' }, 'paymentMethod');
  });

  it.each(['invoice_not_received', 'goods_not_received', 'defective', 'wrong_amount', 'missing_purchase_order', 'other'])(
    'accepts the dispute reason %s',
    (reason) => {
      expect(CustomerAnswer.parse({ action: 'dispute', reason, message: '' })).toEqual({ action: 'dispute', reason, message: undefined });
    },
  );

  it('refuses a dispute without a known reason', () => {
    expectRefused(CustomerAnswer, { action: 'dispute' }, 'reason');
    expectRefused(CustomerAnswer, { action: 'dispute', reason: 'too_expensive' }, 'reason');
  });

  it('requires a message for a question, blank not counting', () => {
    expectRefused(CustomerAnswer, { action: 'question' }, 'message');
    expectRefused(CustomerAnswer, { action: 'question', message: '' }, 'message');
    expectRefused(CustomerAnswer, { action: 'question', message: '   ' }, 'message');
  });

  it('accepts a question and turns empty optional contact fields into undefined', () => {
    const parsed = CustomerAnswer.parse({ action: 'question', message: 'Which IBAN?', contactName: '', contactEmail: '' });
    expect(parsed).toEqual({ action: 'question', message: 'Which IBAN?', contactName: undefined, contactEmail: undefined });
  });

  it('keeps a question contact when given, and refuses a bad contact email', () => {
    const parsed = CustomerAnswer.parse({ action: 'question', message: 'Which IBAN?', contactName: 'Paul', contactEmail: 'paul@acme.example' });
    expect(parsed).toMatchObject({ contactName: 'Paul', contactEmail: 'paul@acme.example' });
    expectRefused(CustomerAnswer, { action: 'question', message: 'Which IBAN?', contactEmail: 'paul at acme' }, 'contactEmail');
  });

  it('refuses an unknown action', () => {
    expectRefused(CustomerAnswer, { action: 'pay' }, 'action');
    expectRefused(CustomerAnswer, {}, 'action');
  });
});

describe('describeIssues', () => {
  it('gives each issue a dotted path and a human message', () => {
    const result = RegisterInvoiceBody.safeParse(
      invoice({ customer: customer({ contacts: [{ name: 'Paul', email: 'nope' }] }), dueDate: '2027-02-30' }),
    );
    expect(result.success).toBe(false);
    const details = describeIssues(result.error!);
    expect(details).toEqual(
      expect.arrayContaining([
        { path: 'customer.contacts.0.email', message: expect.stringMatching(/email/i) },
        { path: 'dueDate', message: 'not a real calendar date' },
      ]),
    );
    for (const detail of details) {
      expect(Object.keys(detail).sort()).toEqual(['message', 'path']);
    }
  });

  it('gives an empty path for a problem with the body as a whole', () => {
    const result = PatchInvoiceBody.safeParse({});
    expect(describeIssues(result.error!)).toEqual([{ path: '', message: 'give a new dueDate and/or contacts' }]);
  });
});

describe('DocumentBody', () => {
  const doc = (overrides: Record<string, unknown> = {}) => ({ kind: 'delivery_proof', filename: 'BL 2027-118.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF').toString('base64'), ...overrides });

  it('takes a supporting document of a known kind, a plain file name and base64 content', () => {
    expect(issues(DocumentBody, doc())).toEqual([]);
  });

  it('refuses a path in the name, content that is not base64, a type outside the list and a file over 3 MB', () => {
    expectRefused(DocumentBody, doc({ filename: '../../etc/passwd' }), 'filename');
    expectRefused(DocumentBody, doc({ content: 'not base64!' }), 'content', /base64/);
    expectRefused(DocumentBody, doc({ contentType: 'text/html' }), 'contentType');
    expectRefused(DocumentBody, doc({ kind: 'selfie' }), 'kind');
    expectRefused(DocumentBody, doc({ content: 'A'.repeat((Math.ceil(MAX_DOCUMENT_BYTES / 3) + 1) * 4) }), 'content', /3 MB/);
  });
});
