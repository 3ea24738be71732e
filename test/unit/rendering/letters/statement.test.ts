import { describe, expect, it } from 'vitest';
import { computeClaim } from '../../../../shared/domain/claim';
import type { Creditor } from '../../../../shared/domain/creditor';
import type { InvoiceRecord } from '../../../../shared/domain/invoice';
import { claimInput } from '../../../../shared/domain/invoice-claim';
import { formatMoney } from '../../../../shared/domain/money';
import { EXAMPLE_CREDITOR } from '../../../../shared/lambda/config';
import { renderStatementPdf } from '../../../../shared/rendering/letters/statement';
import type { StatementLine } from '../../../../shared/rendering/pages/statement-page';
import { A4 } from '../../../../shared/rendering/pdf/document';
import { invoiceRecord, registration } from '../../../support/fixtures';
import { pdfText, plain } from '../../../support/pdf-text';

const creditor: Creditor = { ...EXAMPLE_CREDITOR, name: 'Exemple Distribution SAS', siren: '552032534', address: '12 rue de la Paix\n75002 Paris' };
const TODAY = '2027-04-12';

const customer = {
  ...registration.customer,
  name: 'Brasserie « Le Cœur Français » SARL',
  legalId: '732829320',
  address: { lines: ['4 place du Môle'], postalCode: '34200', city: 'Sète', country: 'FR' },
};

function invoice(invoiceId: string, overrides: Partial<InvoiceRecord> = {}): InvoiceRecord {
  return invoiceRecord({ invoiceId, customer, registration: { ...registration, invoiceId, reference: invoiceId, customer }, ...overrides });
}

const OVERDUE = invoice('F-2027-0042', { status: 'overdue' });
const CLAIM = computeClaim(claimInput(OVERDUE, { timeZone: 'Europe/Paris' }), TODAY);
const LINES: StatementLine[] = [
  { invoice: OVERDUE, claim: CLAIM },
  {
    invoice: invoice('F-2027-0050', {
      status: 'promised',
      dueDate: '2027-04-20',
      promise: { date: '2027-04-25', afterDueDate: true, at: '2027-04-01T08:00:00.000Z', source: 'customer' },
      registration: { ...registration, invoiceId: 'F-2027-0050', reference: 'REF-50', purchaseOrder: 'PO-77', customer },
    }),
  },
  { invoice: invoice('F-2027-0060', { dueDate: '2027-05-15', outstanding: { value: 23456, currency: 'EUR' }, partiallyPaid: true }) },
  { invoice: invoice('JP-0061', { dueDate: '2027-06-15', amount: { value: 500000, currency: 'JPY' }, outstanding: { value: 500000, currency: 'JPY' } }) },
];

function render(lines: StatementLine[] = LINES, language: 'fr' | 'en' = 'fr', today = TODAY) {
  return renderStatementPdf({ creditor, language, customer: { id: 'CUST-0173', name: customer.name }, lines, today });
}

describe('the statement as PDF', () => {
  it('is an A4 page naming the creditor, the customer as a letter does, and the date', async () => {
    const { pages, flat, info } = await pdfText(await render());
    expect(pages).toHaveLength(1);
    expect([pages[0].width, pages[0].height]).toEqual([A4.width, A4.height]);
    for (const text of [
      'Exemple Distribution SAS 12 rue de la Paix 75002 Paris Comptabilité clients · +33 1 00 00 00 00',
      'Brasserie « Le Cœur Français » SARL 4 place du Môle 34200 Sète SIREN 732 829 320 N° client : CUST-0173',
      'Paris, le 12 avril 2027',
      'Relevé de compte au 12 avril 2027',
      'Vos 4 factures ouvertes chez Exemple Distribution SAS au 12 avril 2027 :',
      'SIREN 552 032 534 RCS Paris',
      'Page 1/1',
    ]) expect(flat).toContain(text);
    expect(info.Title).toBe('Relevé de compte au 12 avril 2027');
    expect(info.Author).toBe('Exemple Distribution SAS');
  });

  it('lists every invoice with its dates, amounts, claim and status, then the totals per currency', async () => {
    const { flat } = await pdfText(await render());
    const claimed = plain(formatMoney(CLAIM.total, 'fr'));
    for (const text of [
      'Facture n° Référence Bon de commande',
      `F-2027-0042 BC BC-2027-118 01/02/2027 31/03/2027 1 234,56 € 1 234,56 € ${claimed} En retard de 12 jours`,
      'F-2027-0050 Réf. REF-50 BC PO-77 01/02/2027 20/04/2027 1 234,56 € 1 234,56 € 1 234,56 € Paiement prévu le 25/04/2027',
      'F-2027-0060 BC BC-2027-118 01/02/2027 15/05/2027 1 234,56 € 234,56 € 234,56 € Pas encore échue, paiement partiel reçu',
      'JP-0061 BC BC-2027-118 01/02/2027 15/06/2027 500 000 JPY 500 000 JPY 500 000 JPY Pas encore échue',
      'Total restant à payer (EUR) 2 703,68 €',
      'Total restant à payer (JPY) 500 000 JPY',
      `Total réclamé à ce jour (EUR) ${plain(formatMoney({ value: CLAIM.total.value + 123456 + 23456, currency: 'EUR' }, 'fr'))}`,
      'Total réclamé à ce jour (JPY) 500 000 JPY',
      'IBAN FR76 3000 6000 0112 3456 7890 189 BIC AGRIFRPP',
      'Nous ne vous communiquerons jamais de nouvelles coordonnées bancaires par e-mail',
    ]) expect(flat).toContain(text);
  });

  it('speaks English to an English customer', async () => {
    const { flat } = await pdfText(await render(LINES, 'en'));
    for (const text of [
      'Paris, 12 April 2027',
      'Statement of account as of 12 April 2027',
      'Customer number: CUST-0173',
      'Invoice number Reference Purchase order Issue date Due date Amount Outstanding Claimed total Status Promised date',
      `F-2027-0042 PO BC-2027-118 01/02/2027 31/03/2027 €1,234.56 €1,234.56 ${formatMoney(CLAIM.total, 'en')} Overdue by 12 days`,
      'Payment promised for 25/04/2027',
      'Total outstanding (EUR) €2,703.68',
      'Total outstanding (JPY) JP¥500,000',
      'We will never send you new bank details by email',
      'Page 1 of 1',
    ]) expect(flat).toContain(text);
  });

  it('is the same PDF, byte for byte, for the same statement, and another one another day', async () => {
    const [first, second] = await Promise.all([render(), render()]);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(await render(LINES, 'fr', '2027-04-13')).equals(Buffer.from(first))).toBe(false);
  });

  it('runs a long statement onto several pages, the table\'s header repeated at the top of each', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ invoice: invoice(`F-2027-${String(i + 1).padStart(4, '0')}`, { dueDate: '2027-05-15' }) }));
    const { pages, flat } = await pdfText(await render(many));
    expect(pages.length).toBeGreaterThan(1);
    for (const [n, page] of pages.entries()) {
      expect([page.width, page.height]).toEqual([A4.width, A4.height]);
      expect(page.flat).toContain(`Page ${n + 1}/${pages.length}`);
    }
    // Every page the table runs onto starts it with its header.
    const tablePages = pages.filter((page) => /F-2027-\d{4}/.test(page.flat));
    expect(tablePages.length).toBeGreaterThan(1);
    for (const page of tablePages) expect(page.flat).toContain('Facture n° Référence Bon de commande Date d’émission Date d’échéance Montant Reste à payer');
    for (const line of many) expect(flat).toContain(`${line.invoice.invoiceId} BC BC-2027-118`);
    expect(flat).toContain(`Total restant à payer (EUR) ${plain(formatMoney({ value: 60 * 123456, currency: 'EUR' }, 'fr'))}`);
  });

  it('says so when nothing is open', async () => {
    const { pages, flat } = await pdfText(await render([]));
    expect(pages).toHaveLength(1);
    expect(flat).toContain('Aucune facture n’est ouverte à ce jour : vous n’avez rien à régler.');
    expect(flat).not.toContain('Facture n°');
  });
});
