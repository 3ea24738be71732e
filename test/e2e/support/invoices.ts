/**
 * Realistic invoices as a billing system registers them: a French customer (accounts payable in Lyon, EUR, bank
 * transfer) and an English one (a London company, GBP or EUR). Ids are unique per test so tests sharing a runtime
 * never see each other's invoices.
 */
import { addDays } from './client';

export interface InvoiceContact {
  name: string;
  email: string;
  phone?: string;
  role?: string;
}

export interface RegisterBody {
  invoiceId: string;
  customer: {
    id: string;
    name: string;
    language: 'fr' | 'en';
    kind?: 'business' | 'public' | 'consumer';
    legalId?: string;
    address?: { lines: string[]; postalCode: string; city: string; country: string };
    contacts: InvoiceContact[];
  };
  amount: { value: number; currency: string };
  issueDate: string;
  dueDate: string;
  purchaseOrder?: string;
  pdfUrl?: string;
  paymentMethod?: 'transfer' | 'direct_debit' | 'card' | 'cheque' | 'bill_of_exchange';
  reference?: string;
  terms?: { latePaymentRatePercent?: number; paymentTerms?: string };
  policy?: Record<string, unknown>;
}

export type Overrides = Partial<Omit<RegisterBody, 'customer'>> & { customer?: Partial<RegisterBody['customer']> };

let counter = 0;

/** A unique, realistic invoice number: `F-2027-<tag>-<n>`. */
export function invoiceNumber(tag: string): string {
  counter += 1;
  return `F-2027-${tag}-${String(counter).padStart(4, '0')}`;
}

function merge(base: RegisterBody, overrides: Overrides): RegisterBody {
  return { ...base, ...overrides, customer: { ...base.customer, ...overrides.customer } } as RegisterBody;
}

/** A French customer: Menuiseries Durand SARL, accounts payable contact, 4 812,50 € by transfer, 30 days. */
export function frenchInvoice(invoiceId: string, issueDate: string, overrides: Overrides = {}): RegisterBody {
  return merge(
    {
      invoiceId,
      customer: {
        id: 'CUST-FR-0193',
        name: 'Menuiseries Durand SARL',
        language: 'fr',
        contacts: [{ name: 'Sophie Martin', email: `compta.fournisseurs+${slug(invoiceId)}@durand-menuiseries.fr`, phone: '+33 4 72 00 12 34', role: 'Comptabilité fournisseurs' }],
      },
      amount: { value: 481_250, currency: 'EUR' },
      issueDate,
      dueDate: addDays(issueDate, 30),
      purchaseOrder: 'BC-2027-118',
      pdfUrl: `https://billing.example.com/pdf/${encodeURIComponent(invoiceId)}.pdf`,
      paymentMethod: 'transfer',
      reference: `Commande BC-2027-118 — menuiseries aluminium`,
    },
    overrides,
  );
}

/** An English customer: Harbour Logistics Ltd, accounts payable, £2,390.00 by bank transfer, 45 days. */
export function englishInvoice(invoiceId: string, issueDate: string, overrides: Overrides = {}): RegisterBody {
  return merge(
    {
      invoiceId,
      customer: {
        id: 'CUST-UK-0042',
        name: 'Harbour Logistics Ltd',
        language: 'en',
        contacts: [{ name: 'James Whitfield', email: `accounts.payable+${slug(invoiceId)}@harbour-logistics.co.uk`, role: 'Accounts payable' }],
      },
      amount: { value: 239_000, currency: 'GBP' },
      issueDate,
      dueDate: addDays(issueDate, 45),
      purchaseOrder: 'PO-77812',
      paymentMethod: 'transfer',
      reference: 'Freight consolidation, January',
    },
    overrides,
  );
}

/** Makes an invoice id usable in the local part of an email address. */
function slug(invoiceId: string): string {
  return invoiceId.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
