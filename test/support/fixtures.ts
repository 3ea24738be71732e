/**
 * Realistic test data shared by the test suites: a French customer, an invoice of 1 234,56 EUR due 2027-03-31,
 * registered and waiting for its pre-reminder (Friday 19 March 2027, 09:00 Paris: the 21st is a Sunday).
 */
import type { InvoiceRecord } from '../../shared/domain/invoice';
import type { RegisterInvoiceBody } from '../../shared/domain/schemas';

export const registration: RegisterInvoiceBody = {
  invoiceId: 'F-2027-0042',
  customer: {
    id: 'CUST-0173',
    name: 'Boulangerie Martin SARL',
    language: 'fr',
    contacts: [
      { name: 'Claire Martin', email: 'compta@boulangerie-martin.fr', phone: '+33 4 78 12 34 56', role: 'Comptabilité fournisseurs' },
    ],
  },
  amount: { value: 123456, currency: 'EUR' },
  issueDate: '2027-02-01',
  dueDate: '2027-03-31',
  purchaseOrder: 'BC-2027-118',
  pdfUrl: 'https://billing.example.com/invoices/F-2027-0042.pdf',
  paymentMethod: 'transfer',
  reference: 'F-2027-0042',
};

/** A registered invoice record; `overrides` replace top-level fields. */
export function invoiceRecord(overrides: Partial<InvoiceRecord> = {}): InvoiceRecord {
  const body = structuredClone(registration);
  return {
    invoiceId: body.invoiceId,
    registration: body,
    registrationHash: '5d41a7f9c3b2e8d06f1a4c7e9b2d3f5a8c1e6b4d7f0a3c9e2b5d8f1a4c7e0b3d',
    customer: body.customer,
    amount: { value: 123456, currency: 'EUR' },
    outstanding: { value: 123456, currency: 'EUR' },
    issueDate: body.issueDate,
    dueDate: body.dueDate,
    status: 'scheduled',
    partiallyPaid: false,
    phase: 'before_pre_reminder',
    warnings: [],
    executionName: 'F-2027-0042-r1',
    revision: 1,
    preReminderAt: '2027-03-19T08:00:00.000Z',
    nextActionAt: '2027-03-19T08:00:00.000Z',
    paymentReferences: [],
    suppressedEmails: [],
    escalation: { done: 0 },
    pendingEvents: [],
    lastEventSeq: 0,
    createdAt: '2027-02-01T10:15:00.000Z',
    updatedAt: '2027-02-01T10:15:00.000Z',
    version: 1,
    ...overrides,
  };
}
