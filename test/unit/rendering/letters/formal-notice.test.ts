import { describe, expect, it } from 'vitest';
import type { Claim } from '../../../../shared/domain/claim';
import { computeClaim } from '../../../../shared/domain/claim';
import type { Creditor } from '../../../../shared/domain/creditor';
import type { InvoiceRecord } from '../../../../shared/domain/invoice';
import { claimInput } from '../../../../shared/domain/invoice-claim';
import { EXAMPLE_CREDITOR } from '../../../../shared/lambda/config';
import { renderCustomerEmail } from '../../../../shared/rendering/email';
import { formalNoticeWording, Writer } from '../../../../shared/rendering/email/customer-emails';
import { cityOf, renderFormalNoticeLetter, type FormalNoticeLetterContext } from '../../../../shared/rendering/letters/formal-notice';
import { A4 } from '../../../../shared/rendering/pdf/document';
import { invoiceRecord, registration } from '../../../support/fixtures';
import { pdfText, plain } from '../../../support/pdf-text';

const creditor: Creditor = {
  ...EXAMPLE_CREDITOR,
  name: 'Exemple Distribution SAS',
  siren: '552032534',
  address: '12 rue de la Paix\n75002 Paris',
};

/** Due 15 June 2025, the letter of 20 July: penalties cross 1 July, when the ECB rate of the half-year changes. */
const DATE = '2025-07-20';

function record(overrides: Partial<InvoiceRecord> = {}): InvoiceRecord {
  return invoiceRecord({
    issueDate: '2025-05-16',
    dueDate: '2025-06-15',
    status: 'overdue',
    customer: {
      ...registration.customer,
      name: 'Brasserie « Le Cœur Français » SARL',
      legalId: '732829320',
      address: { lines: ['4 place du Môle'], postalCode: '34200', city: 'Sète', country: 'FR' },
    },
    ...overrides,
  });
}

function claimOf(invoice: InvoiceRecord, asOf = DATE): Claim {
  return computeClaim(claimInput(invoice, { timeZone: 'Europe/Paris' }), asOf);
}

function context(overrides: Partial<FormalNoticeLetterContext> = {}): FormalNoticeLetterContext {
  const invoice = overrides.invoice ?? record();
  return {
    creditor,
    invoice,
    language: 'fr',
    contactName: 'Claire Martin',
    claim: claimOf(invoice),
    date: DATE,
    channel: 'registered_letter',
    ...overrides,
  };
}

async function read(overrides: Partial<FormalNoticeLetterContext> = {}) {
  const letter = await renderFormalNoticeLetter(context(overrides));
  return { ...letter, ...(await pdfText(letter.pdf)) };
}

const MENTIONS = {
  fr: [
    'Paris, le 20 juillet 2025',
    'Lettre recommandée avec accusé de réception',
    // The creditor: name, legal form, share capital, registered office, SIREN and RCS (R123-237), and its team.
    'Exemple Distribution SAS 12 rue de la Paix 75002 Paris Comptabilité clients · Tél. +33 1 00 00 00 00',
    'Exemple Distribution SAS, SAS au capital de 10 000 €, siège social : 12 rue de la Paix, 75002 Paris, SIREN 552 032 534 RCS Paris',
    // The debtor, as the envelope's window shows it, then its identifier.
    'Brasserie « Le Cœur Français » SARL À l’attention de Claire Martin 4 place du Môle 34200 Sète SIREN 732 829 320',
    'Objet : mise en demeure de payer la facture F-2027-0042',
    'Madame, Monsieur,',
    'Facture n° Date d’émission Date d’échéance Montant de la facture Bon de commande F-2027-0042 16 mai 2025 15 juin 2025 1 234,56 € BC-2027-118',
    'Principal restant dû 1 234,56 €',
    // 1,234.56 × 13.15 % × 15 / 365 = 6.67; 1,234.56 × 12.15 % × 20 / 365 = 8.22
    'Pénalités de retard, 16 juin 2025 – 30 juin 2025 (15 jours à 13,15 % l’an sur 1 234,56 €) 6,67 €',
    'Pénalités de retard, 1er juillet 2025 – 20 juillet 2025 (20 jours à 12,15 % l’an sur 1 234,56 €) 8,22 €',
    'Indemnité forfaitaire pour frais de recouvrement 40,00 €',
    'Total dû au 20 juillet 2025 1 289,45 €',
    'nous vous mettons en demeure de nous régler la somme de 1 289,45 € dans un délai de 8 jours à compter de la réception de ce courrier.',
    'À défaut de paiement dans ce délai, nous transmettrons sans autre avis la créance à un organisme de recouvrement ou engagerons une procédure judiciaire (injonction de payer).',
    'IBAN FR76 3000 6000 0112 3456 7890 189 BIC AGRIFRPP Référence à indiquer F-2027-0042',
    'Veuillez agréer, Madame, Monsieur, l’expression de nos salutations distinguées. Camille Exemple Responsable du crédit clients Exemple Distribution SAS',
  ],
  en: [
    'Paris, 20 July 2025',
    'Registered letter with acknowledgment of receipt',
    'Exemple Distribution SAS 12 rue de la Paix 75002 Paris Comptabilité clients · Phone +33 1 00 00 00 00',
    'Exemple Distribution SAS, SAS with a share capital of 10 000 €, registered office: 12 rue de la Paix, 75002 Paris, SIREN 552 032 534 RCS Paris',
    'Brasserie « Le Cœur Français » SARL For the attention of Claire Martin 4 place du Môle 34200 Sète SIREN 732 829 320',
    'Subject: formal notice to pay invoice F-2027-0042',
    'Dear Sir or Madam,',
    'Invoice number Issue date Due date Invoice amount Purchase order F-2027-0042 16 May 2025 15 June 2025 €1,234.56 BC-2027-118',
    'Principal outstanding €1,234.56',
    'Late-payment penalties, 16 June 2025 – 30 June 2025 (15 days at 13.15% a year on €1,234.56) €6.67',
    'Late-payment penalties, 1 July 2025 – 20 July 2025 (20 days at 12.15% a year on €1,234.56) €8.22',
    'Fixed indemnity for recovery costs €40.00',
    'Total due as at 20 July 2025 €1,289.45',
    'We hereby give you formal notice to pay the sum of €1,289.45 within 8 days of receiving this notice.',
    'Failing payment within this period, we will, without further notice, refer the claim to a collection agency or start legal proceedings',
    'IBAN FR76 3000 6000 0112 3456 7890 189 BIC AGRIFRPP Payment reference F-2027-0042',
    'Yours faithfully, Camille Exemple Responsable du crédit clients Exemple Distribution SAS',
  ],
};

describe.each(['fr', 'en'] as const)('the formal-notice letter in %s', (language) => {
  it('states every mention a formal notice needs: parties, place and date, subject, invoice, claim, deadline, what follows, signatory', async () => {
    const { flat } = await read({ language });
    for (const mention of MENTIONS[language]) expect(flat).toContain(mention);
  });

  it('fits a typical business claim on one A4 page', async () => {
    const { pages } = await read({ language });
    expect(pages).toHaveLength(1);
    expect([pages[0].width, pages[0].height]).toEqual([A4.width, A4.height]);
    expect(pages[0].flat).toContain(language === 'fr' ? 'Page 1/1' : 'Page 1 of 1');
  });

  it('sent by email, says so and never claims a registered letter', async () => {
    const { flat } = await read({ language, channel: 'email' });
    expect(flat).toContain(language === 'fr' ? 'Envoyée par courriel' : 'Sent by email');
    // "registered office" is a legal mention of the creditor, not a claim about the post.
    expect(flat).not.toMatch(/recommandé|accusé de réception|registered (letter|mail)|acknowledgment of receipt/i);
  });

  it('is titled, signed and dated in its metadata, in its language', async () => {
    const { info } = await read({ language });
    expect(info).toMatchObject({
      Title: language === 'fr' ? 'Mise en demeure de payer — facture F-2027-0042' : 'Formal notice to pay — invoice F-2027-0042',
      Author: 'Exemple Distribution SAS',
      Language: language === 'fr' ? 'fr-FR' : 'en-GB',
      CreationDate: 'D:20250720000000Z',
    });
  });
});

describe('the formal-notice letter', () => {
  it.each(['business', 'public', 'consumer'] as const)('says what the formal-notice email says, sentence for sentence, to a %s customer', async (kind) => {
    const invoice = record({ customer: { ...record().customer, kind } });
    const ctx = context({ invoice, claim: claimOf(invoice) });
    const { flat } = await read(ctx);
    const email = plain(renderCustomerEmail('formal_notice', { ...ctx, answerUrl: 'https://pay.example.com/r/abc' }).text);
    const wording = formalNoticeWording(new Writer(ctx));
    const sentences = [wording.opening, ...wording.body.flatMap((block) => ('text' in block ? [block.text] : block.type === 'facts' ? block.rows.map(([label]) => label) : []))];
    expect(sentences.length).toBeGreaterThan(3);
    for (const sentence of sentences) {
      expect(flat).toContain(plain(sentence));
      expect(email).toContain(plain(sentence));
    }
  });

  it('keeps French accents and guillemets in what the reader extracts', async () => {
    const { flat } = await read();
    for (const character of ['é', 'è', 'à', 'ô', 'œ', 'ç', '€', '«', '»', '’']) expect(flat).toContain(character);
  });

  it('embeds its fonts and uses no standard PDF font', async () => {
    const raw = Buffer.from((await read()).pdf).toString('latin1');
    expect(raw).toContain('/FontFile2');
    expect(raw).not.toContain('Helvetica');
  });

  it('is the same PDF, byte for byte, for the same notice', async () => {
    const [first, second] = await Promise.all([read(), read()]);
    expect(Buffer.from(second.pdf).equals(Buffer.from(first.pdf))).toBe(true);
  });

  it('is named after the invoice and the date, in a name any file system takes', async () => {
    expect((await read()).filename).toBe('mise-en-demeure-F-2027-0042-2025-07-20.pdf');
    expect((await read({ language: 'en' })).filename).toBe('formal-notice-F-2027-0042-2025-07-20.pdf');
    const invoice = record({ invoiceId: 'FA 2025/001-é' });
    expect((await read({ invoice, claim: claimOf(invoice) })).filename).toBe('mise-en-demeure-FA-2025-001-e-2025-07-20.pdf');
  });

  it('addresses a debtor abroad with its country in French capitals on the last line, as La Poste reads it', async () => {
    const invoice = record({
      customer: { ...record().customer, legalId: 'BE0403170701', address: { lines: ['Rue de la Loi 16'], postalCode: '1000', city: 'Bruxelles', country: 'BE' } },
    });
    const { flat } = await read({ invoice, claim: claimOf(invoice) });
    expect(flat).toContain('Rue de la Loi 16 1000 Bruxelles BELGIQUE TVA intracommunautaire BE0403170701');
  });

  it('claims the indemnity beside the total when the invoice is not in euros', async () => {
    const invoice = record({ amount: { value: 100000, currency: 'USD' }, outstanding: { value: 100000, currency: 'USD' } });
    const { flat } = await read({ invoice, claim: claimOf(invoice) });
    expect(flat).toContain('ainsi que l’indemnité forfaitaire de 40,00 € dans un délai de 8 jours');
  });
});

describe('the place a letter is written from', () => {
  it.each([
    ['12 rue de la Paix\n75002 Paris', 'Paris'],
    ['3 quai Rambaud\nF-69002 Lyon', 'Lyon'],
    ['Tour Exemple\n1 place des Saisons\n92400 Courbevoie Cedex', 'Courbevoie'],
    ['10 avenue Foch\n75116 PARIS CEDEX 16', 'PARIS'],
    ['2 rue Basse\n97200 Fort-de-France\n', 'Fort-de-France'],
    ['Monaco', 'Monaco'],
  ])('is the city of the address’ last line: %j → %s', (address, city) => {
    expect(cityOf(address)).toBe(city);
  });
});
