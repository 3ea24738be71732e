import { describe, expect, it } from 'vitest';
import { computeClaim } from '../../../shared/domain/claim';
import type { InvoiceRecord } from '../../../shared/domain/invoice';
import { claimInput } from '../../../shared/domain/invoice-claim';
import { EXAMPLE_CREDITOR } from '../../../shared/lambda/config';
import type { StatementLine } from '../../../shared/rendering/pages/statement-page';
import { csvField, decimalAmount, renderStatementCsv } from '../../../shared/rendering/statement-csv';
import { invoiceRecord, registration } from '../../support/fixtures';

const TODAY = '2027-03-20';

/** The fixture's invoice: F-2027-0042, 1 234,56 EUR, due 31 March 2027, purchase order BC-2027-118. */
const EUROS = invoiceRecord();

/** A yen invoice whose reference and purchase order a hostile or careless billing system filled in. */
const YEN: InvoiceRecord = invoiceRecord({
  invoiceId: 'INV-JP-7',
  registration: { ...registration, invoiceId: 'INV-JP-7', reference: 'Order "Tokyo", spring', purchaseOrder: '=HYPERLINK("http://x")' },
  amount: { value: 500000, currency: 'JPY' },
  outstanding: { value: 500000, currency: 'JPY' },
  issueDate: '2027-02-15',
  dueDate: '2027-04-30',
  status: 'promised',
  promise: { date: '2027-04-28', afterDueDate: false, at: '2027-03-18T10:00:00.000Z', source: 'customer' },
});

function csv(lines: StatementLine[], language: 'fr' | 'en' = 'en', today = TODAY) {
  return renderStatementCsv({ creditor: EXAMPLE_CREDITOR, language, customer: { id: 'CUST-0173', name: 'Boulangerie Martin SARL' }, lines, today });
}

describe('the statement as CSV', () => {
  it('is a BOM, a header row and one row per invoice, RFC 4180 quoted, CRLF, amounts as dotted decimals', () => {
    expect(csv([{ invoice: EUROS }, { invoice: YEN }])).toBe(
      '\uFEFF' +
        'Invoice number,Reference,Purchase order,Issue date,Due date,Currency,Amount,Outstanding,Claimed total,Status,Promised date\r\n' +
        'F-2027-0042,F-2027-0042,BC-2027-118,2027-02-01,2027-03-31,EUR,1234.56,1234.56,1234.56,Not yet due,\r\n' +
        `INV-JP-7,"Order ""Tokyo"", spring","'=HYPERLINK(""http://x"")",2027-02-15,2027-04-30,JPY,500000,500000,500000,Payment promised,2027-04-28\r\n`,
    );
  });

  it('has French column titles and statuses for a French customer', () => {
    expect(csv([{ invoice: EUROS }, { invoice: YEN }], 'fr')).toBe(
      '\uFEFF' +
        'Facture n°,Référence,Bon de commande,Date d’émission,Date d’échéance,Devise,Montant,Reste à payer,Total réclamé,Statut,Date de paiement prévue\r\n' +
        'F-2027-0042,F-2027-0042,BC-2027-118,2027-02-01,2027-03-31,EUR,1234.56,1234.56,1234.56,Pas encore échue,\r\n' +
        `INV-JP-7,"Order ""Tokyo"", spring","'=HYPERLINK(""http://x"")",2027-02-15,2027-04-30,JPY,500000,500000,500000,Paiement prévu,2027-04-28\r\n`,
    );
  });

  it('claims the claim\'s total for an overdue invoice and notes a partial payment', () => {
    const overdue = invoiceRecord({ status: 'overdue', outstanding: { value: 23456, currency: 'EUR' }, partiallyPaid: true, payments: [{ date: '2027-03-01', value: 100000 }] });
    const claim = computeClaim(claimInput(overdue, { timeZone: 'Europe/Paris' }), '2027-04-12');
    const [, row] = csv([{ invoice: overdue, claim }], 'en', '2027-04-12').split('\r\n');
    expect(row).toBe(`F-2027-0042,F-2027-0042,BC-2027-118,2027-02-01,2027-03-31,EUR,1234.56,234.56,${decimalAmount(claim.total)},"Overdue by 12 days, partly paid",`);
    expect(claim.total.value).toBeGreaterThan(23456 + 4000);
  });

  it('is only the header row when nothing is open', () => {
    expect(csv([])).toBe('\uFEFFInvoice number,Reference,Purchase order,Issue date,Due date,Currency,Amount,Outstanding,Claimed total,Status,Promised date\r\n');
  });
});

describe('decimalAmount', () => {
  it('writes integer minor units with the currency\'s ISO 4217 digits and a dot', () => {
    expect(decimalAmount({ value: 123456, currency: 'EUR' })).toBe('1234.56');
    expect(decimalAmount({ value: 5, currency: 'EUR' })).toBe('0.05');
    expect(decimalAmount({ value: 0, currency: 'EUR' })).toBe('0.00');
    expect(decimalAmount({ value: 500000, currency: 'JPY' })).toBe('500000');
    expect(decimalAmount({ value: 1234, currency: 'KWD' })).toBe('1.234');
    // CLDR would say 0 digits for the forint; its amounts are counted in fillér, as ISO 4217 says.
    expect(decimalAmount({ value: 150000, currency: 'HUF' })).toBe('1500.00');
    expect(decimalAmount({ value: -1050, currency: 'EUR' })).toBe('-10.50');
    expect(decimalAmount({ value: 900719925474099, currency: 'EUR' })).toBe('9007199254740.99');
  });
});

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, and leaves plain text alone', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('Café « Le Cœur »')).toBe('Café « Le Cœur »');
  });

  it('defuses what a spreadsheet would run as a formula', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+33 1 00 00 00 00')).toBe("'+33 1 00 00 00 00");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=cmd')).toBe("'\t=cmd");
    expect(csvField('\r=cmd')).toBe(`"'\r=cmd"`);
    expect(csvField('=cmd|"/c calc"!A1,x')).toBe(`"'=cmd|""/c calc""!A1,x"`);
    expect(csvField('a=b')).toBe('a=b');
  });
});
