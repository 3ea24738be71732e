import { describe, expect, it } from 'vitest';
import type { Creditor } from '../../../../shared/domain/creditor';
import type { Claim } from '../../../../shared/domain/claim';
import { DEFAULT_CALENDAR } from '../../../../shared/domain/dates';
import type { InvoiceRecord } from '../../../../shared/domain/invoice';
import { invoiceClaim } from '../../../../shared/domain/invoice-claim';
import { formatMoney } from '../../../../shared/domain/money';
import type { RegisterInvoiceBody } from '../../../../shared/domain/schemas';
import {
  renderCustomerEmail,
  renderGroupedCustomerEmail,
  type GroupedEmailContext,
  type GroupedEmailKind,
  type GroupedInvoice,
} from '../../../../shared/rendering/email';
import { EXAMPLE_CREDITOR } from '../../../../shared/lambda/config';
import { invoiceRecord, registration } from '../../../support/fixtures';

/** Intl separates French thousands with U+202F and the currency symbol with U+00A0; compare as plain spaces. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');
const count = (text: string, part: string) => text.split(part).length - 1;

const creditor: Creditor = { ...EXAMPLE_CREDITOR, name: 'Example SAS', address: '12 rue de la Paix\n75002 Paris', bankName: 'Crédit Agricole' };
const STATEMENT_URL = 'https://pay.example.com/r/St4tEmEnT9vT2mLwZ';
const answerUrl = (invoiceId: string) => `https://pay.example.com/r/Answer-${invoiceId}`;
const pdfUrl = (invoiceId: string) => `https://billing.example.com/invoices/${invoiceId}.pdf`;

/** One invoice of Boulangerie Martin SARL, the fixtures' customer, with its own number, due date, amount and documents. */
function invoice(
  invoiceId: string,
  dueDate: string,
  value: number,
  body: Partial<RegisterInvoiceBody> = {},
  record: Partial<InvoiceRecord> = {},
): InvoiceRecord {
  const amount = { value, currency: body.amount?.currency ?? 'EUR' };
  const reg: RegisterInvoiceBody = {
    ...registration, invoiceId, dueDate, amount, pdfUrl: pdfUrl(invoiceId), purchaseOrder: `BC-${invoiceId}`, reference: `REF-${invoiceId}`, ...body,
  };
  return invoiceRecord({ invoiceId, registration: reg, customer: reg.customer, amount, outstanding: amount, dueDate, executionName: `${invoiceId}-r1`, ...record });
}

// Due 31 March, 5 April and 12 April 2027; the third was partly paid; the second and third have an online payment page.
const A = invoice('F-2027-0042', '2027-03-31', 123456);
const B = invoice('F-2027-0051', '2027-04-05', 50000, { paymentUrl: 'https://pay.example-psp.com/i/F-2027-0051' });
const C = invoice('F-2027-0063', '2027-04-12', 200000, { paymentUrl: 'https://pay.example-psp.com/i/F-2027-0063' }, {
  outstanding: { value: 150000, currency: 'EUR' }, partiallyPaid: true,
});

/** The day the reminders go out: A is 20 days late, B 15. */
const AS_OF = new Date('2027-04-20T10:00:00.000Z');
const claimOf = (record: InvoiceRecord): Claim => invoiceClaim(record, DEFAULT_CALENDAR, AS_OF);

function member(kind: GroupedEmailKind, record: InvoiceRecord): GroupedInvoice {
  return { kind, invoice: record, answerUrl: answerUrl(record.invoiceId), ...(kind === 'pre_reminder' ? {} : { claim: claimOf(record) }) };
}

function render(invoices: GroupedInvoice[], overrides: Partial<GroupedEmailContext> = {}) {
  const email = renderGroupedCustomerEmail({ creditor, language: 'fr', contactName: 'Claire Martin', invoices, statementUrl: STATEMENT_URL, ...overrides });
  return { ...email, subject: plain(email.subject), html: plain(email.html), text: plain(email.text) };
}

/** The part of the text about one invoice: from its heading to the next one (or the summary). */
function section(text: string, invoiceId: string, language: 'fr' | 'en' = 'fr'): string {
  const start = text.indexOf(`${language === 'fr' ? 'Facture' : 'Invoice'} ${invoiceId}\n---`);
  expect(start).toBeGreaterThanOrEqual(0);
  const next = text.slice(start + 1).search(/\n(Facture|Invoice) F-[^\n]+\n---|\n(En résumé|In summary)\n/);
  return text.slice(start, start + 1 + next);
}

const preReminders = [member('pre_reminder', A), member('pre_reminder', B), member('pre_reminder', C)];

describe('a pre-reminder for several invoices', () => {
  it('asks in the subject whether everything is in order, in French and in English', () => {
    expect(render(preReminders).subject).toBe('3 factures de Example SAS arrivent à échéance : tout est-il en ordre ?');
    expect(render(preReminders, { language: 'en' }).subject).toBe('3 invoices from Example SAS fall due soon: is everything in order?');
  });

  it.each(['fr', 'en'] as const)('lists every invoice with its number, amount, due date, references and PDF, in the HTML and the text (%s)', (language) => {
    const { html, text } = render(preReminders, { language });
    const facts = {
      fr: [['F-2027-0042', '1 234,56 €', '31 mars 2027'], ['F-2027-0051', '500,00 €', '5 avril 2027'], ['F-2027-0063', '2 000,00 €', '12 avril 2027']],
      en: [['F-2027-0042', '€1,234.56', '31 March 2027'], ['F-2027-0051', '€500.00', '5 April 2027'], ['F-2027-0063', '€2,000.00', '12 April 2027']],
    }[language];
    for (const part of [html, text]) {
      for (const [id, amount, due] of facts) {
        expect(part).toContain(id);
        expect(part).toContain(amount);
        expect(part).toContain(due);
        expect(part).toContain(`REF-${id}`);
        expect(part).toContain(`BC-${id}`);
        expect(part).toContain(pdfUrl(id));
      }
    }
    for (const [id, amount, due] of facts) {
      const own = section(text, id, language);
      expect(own).toContain(amount);
      expect(own).toContain(due);
      expect(own).toContain(`${language === 'fr' ? 'Télécharger la facture' : 'Download invoice'} ${id} (PDF)`);
    }
    // The partial payment already made shows, as in the single pre-reminder.
    expect(section(text, 'F-2027-0063', language)).toContain(language === 'fr' ? 'Reste à payer : 1 500,00 €' : 'Amount outstanding: €1,500.00');
  });

  it('keeps the order it is given', () => {
    const { text } = render(preReminders);
    expect(text.indexOf('Facture F-2027-0042\n')).toBeLessThan(text.indexOf('Facture F-2027-0051\n'));
    expect(text.indexOf('Facture F-2027-0051\n')).toBeLessThan(text.indexOf('Facture F-2027-0063\n'));
  });

  it('gives each invoice its own three answers, on its own answer page', () => {
    const { html, text } = render(preReminders);
    for (const record of [A, B, C]) {
      const url = answerUrl(record.invoiceId);
      const own = section(text, record.invoiceId);
      for (const [label, action] of [
        ['Confirmer la date de paiement', 'promise'],
        ['Signaler un problème', 'dispute'],
        ['Poser une question', 'question'],
      ]) {
        expect(html).toMatch(new RegExp(`href="${url}\\?action=${action}"[^>]*>${label}</a>`));
        expect(own).toContain(`${label} : ${url}?action=${action}`);
      }
    }
    const en = render(preReminders, { language: 'en' }).text;
    expect(en).toContain(`Confirm the payment date: ${answerUrl('F-2027-0051')}?action=promise`);
    expect(en).toContain(`Report a problem: ${answerUrl('F-2027-0051')}?action=dispute`);
    expect(en).toContain(`Ask a question: ${answerUrl('F-2027-0051')}?action=question`);
  });

  it('offers online payment only for an invoice whose amount is asked in full', () => {
    const { html, text } = render(preReminders);
    expect(html).toContain('href="https://pay.example-psp.com/i/F-2027-0051"');
    expect(section(text, 'F-2027-0051')).toContain('Payer en ligne : https://pay.example-psp.com/i/F-2027-0051');
    // Partly paid: the page would charge the whole invoice.
    expect(html).not.toContain('https://pay.example-psp.com/i/F-2027-0063');
    expect(text).not.toContain('https://pay.example-psp.com/i/F-2027-0063');
    // No payment page given.
    expect(section(text, 'F-2027-0042')).not.toContain('Payer en ligne');
    expect(count(text, 'Payer en ligne')).toBe(1);
  });

  it('asks the pre-reminder questions once, for all the invoices', () => {
    const fr = render(preReminders).text;
    expect(fr).toContain('suivi qualité');
    expect(fr).not.toMatch(/relance|pénalit|mise en demeure/i);
    expect(count(fr, 'bien reçu la marchandise ou la prestation, ainsi que la facture')).toBe(1);
    expect(count(fr, 'bon de commande, bon de livraison')).toBe(1);
    expect(count(fr, 'validations internes')).toBe(1);
    expect(fr).toContain('compter sur un règlement à chacune de ces échéances, et par quel moyen de paiement (virement, prélèvement, carte bancaire, chèque, lettre de change relevé / LCR)');
    expect(fr).toContain('nos coordonnées bancaires ci-dessous correspondent');
    const en = render(preReminders, { language: 'en' }).text;
    expect(count(en, 'received the goods or service, and the invoice')).toBe(1);
    expect(en).toContain('count on payment on each of these due dates');
  });

  it('leads to the statement page with a prominent button', () => {
    const { html, text } = render(preReminders);
    expect(html).toMatch(new RegExp(`<td align="center" bgcolor="#1d4ed8"[^>]*><a href="${STATEMENT_URL}"[^>]*>Répondre pour toutes ces factures sur une seule page</a>`));
    expect(text).toContain(`Répondre pour toutes ces factures sur une seule page : ${STATEMENT_URL}`);
    expect(render(preReminders, { language: 'en' }).text).toContain(`Reply for all these invoices on one page: ${STATEMENT_URL}`);
  });

  it('totals the invoices per currency, and what remains to pay after a partial payment', () => {
    const { text } = render(preReminders);
    expect(text).toContain('Les 3 factures ci-dessous, d’un montant total de 3 734,56 €');
    expect(text).toContain('Montant total des factures : 3 734,56 €');
    expect(text).toContain('Total restant à payer : 3 234,56 €');
    // Amounts in different currencies are never added.
    const usd = invoice('F-2027-0070', '2027-04-20', 100000, { amount: { value: 100000, currency: 'USD' } });
    const mixed = render([member('pre_reminder', A), member('pre_reminder', usd)]).text;
    expect(mixed).toContain('d’un montant total de 1 234,56 € et 1 000,00 $US');
    expect(mixed).toContain('Montant total des factures : 1 234,56 €\nMontant total des factures : 1 000,00 $US');
    expect(mixed).not.toContain('Total restant à payer');
  });

  it('gives the bank details once, with each invoice as payment reference and the fraud warning', () => {
    for (const language of ['fr', 'en'] as const) {
      const { html, text } = render(preReminders, { language });
      for (const part of [html, text]) {
        expect(count(part, 'FR76 3000 6000 0112 3456 7890 189')).toBe(1);
        expect(count(part, 'AGRIFRPP')).toBe(1);
        expect(part).toContain('Crédit Agricole');
      }
      expect(text).toContain(language === 'fr'
        ? 'Références à indiquer (numéro de chaque facture réglée) : F-2027-0042, F-2027-0051, F-2027-0063'
        : 'Payment references (the number of each invoice paid): F-2027-0042, F-2027-0051, F-2027-0063');
      expect(count(text, language === 'fr' ? 'jamais de nouvelles coordonnées bancaires par e-mail' : 'never send you new bank details by email')).toBe(1);
    }
  });

  it('is greeted, signed and footed like the single emails, naming every invoice', () => {
    const fr = render(preReminders);
    for (const part of [fr.html, fr.text]) {
      expect(part).toContain('Claire Martin');
      expect(part).toContain('Comptabilité clients, Example SAS');
      expect(part).toContain('+33 1 00 00 00 00');
      expect(part).toContain('SIREN 000 000 000 RCS Paris');
    }
    expect(fr.text).toMatch(/^Bonjour Claire Martin,/);
    expect(fr.text).toContain('Cordialement,');
    expect(fr.text).toContain('Ce message concerne les factures F-2027-0042, F-2027-0051 et F-2027-0063 émises par Example SAS à Boulangerie Martin SARL.');
    expect(fr.html).toContain('<html lang="fr"');
    const en = render(preReminders, { language: 'en' });
    expect(en.html).toContain('<html lang="en"');
    expect(en.text).toMatch(/^Dear Claire Martin,/);
    expect(en.text).toContain('This email concerns invoices F-2027-0042, F-2027-0051 and F-2027-0063 issued by Example SAS to Boulangerie Martin SARL.');
    expect(en.text).not.toMatch(/\b(Bonjour|Cordialement|Facture|Montant)\b/);
  });

  it('writes French with French typography', () => {
    const email = renderGroupedCustomerEmail({ creditor, language: 'fr', contactName: 'Claire Martin', invoices: preReminders, statementUrl: STATEMENT_URL });
    expect(email.subject).toContain('échéance\u202f: tout est-il en ordre\u202f?');
    expect(email.text).not.toMatch(/ [;:!?](\s|$)/);
    expect(email.text).not.toMatch(/\p{L}'\p{L}/u);
  });
});

describe('a reminder for several overdue invoices', () => {
  const claimA = claimOf(A);
  const claimB = claimOf(B);
  const reminders = [member('reminder', A), member('reminder', B)];
  const penalties = [member('penalty_reminder', A), member('penalty_reminder', B)];
  const mixed = [member('reminder', A), member('penalty_reminder', B)];
  const total = (claim: Claim, language: 'fr' | 'en' = 'fr') => plain(formatMoney(claim.total, language));

  it('computes the claims it states with the real claim: 20 and 15 days of penalties at 12.15 %, and 40 EUR each', () => {
    // 123,456 × 12.15 × 20 / 36500 = 821.9 → 8.22; 50,000 × 12.15 × 15 / 36500 = 249.7 → 2.50.
    expect(claimA.total).toEqual({ value: 123456 + 822 + 4000, currency: 'EUR' });
    expect(claimB.total).toEqual({ value: 50000 + 250 + 4000, currency: 'EUR' });
  });

  it('says which invoices are overdue, by how many days, and what remains to pay on each', () => {
    for (const invoices of [reminders, penalties, mixed]) {
      const { html, text } = render(invoices);
      const a = section(text, 'F-2027-0042');
      expect(a).toContain('Date d’échéance : 31 mars 2027');
      expect(a).toContain('Retard : 20 jours');
      expect(a).toContain('Reste à payer : 1 234,56 €');
      const b = section(text, 'F-2027-0051');
      expect(b).toContain('Date d’échéance : 5 avril 2027');
      expect(b).toContain('Retard : 15 jours');
      expect(b).toContain('Reste à payer : 500,00 €');
      for (const part of [html, text]) {
        expect(part).toContain('Retard');
        for (const id of ['F-2027-0042', 'F-2027-0051']) {
          for (const action of ['promise', 'dispute', 'question']) expect(part).toContain(`${answerUrl(id)}?action=${action}`);
          expect(part).toContain(pdfUrl(id));
        }
        expect(part).toContain(STATEMENT_URL);
        expect(count(part, 'FR76 3000 6000 0112 3456 7890 189')).toBe(1);
      }
    }
    const en = render(reminders, { language: 'en' }).text;
    expect(section(en, 'F-2027-0042', 'en')).toContain('Overdue by: 20 days');
    expect(section(en, 'F-2027-0051', 'en')).toContain('Overdue by: 15 days');
  });

  it('states each invoice\'s claim total as the claim computes it', () => {
    for (const invoices of [reminders, penalties, mixed]) {
      const { text } = render(invoices);
      expect(section(text, 'F-2027-0042')).toContain(`Total dû au 20 avril 2027 : ${total(claimA)}`);
      expect(section(text, 'F-2027-0051')).toContain(`Total dû au 20 avril 2027 : ${total(claimB)}`);
      expect(total(claimA)).toBe('1 282,78 €');
      expect(total(claimB)).toBe('542,50 €');
      expect(section(text, 'F-2027-0042')).toContain('Pénalités de retard, 1er avril 2027 – 20 avril 2027 (20 jours à 12,15 % l’an sur 1 234,56 €, taux provisoire) : 8,22 €');
      expect(section(text, 'F-2027-0051')).toContain('Indemnité forfaitaire pour frais de recouvrement : 40,00 €');
      // The provisional rate is explained once, not under every invoice.
      expect(count(text, 'Taux provisoire : dernier taux publié')).toBe(1);
    }
    expect(render(penalties, { language: 'en' }).text).toContain(`Total due as at 20 April 2027: ${total(claimA, 'en')}`);
  });

  describe('when every invoice is at its first reminder', () => {
    it('is a courteous reminder: subject, possible oversight, the total outstanding, and the penalties for information only', () => {
      const { subject, text } = render(reminders);
      expect(subject).toBe('Rappel : 2 factures échues');
      expect(text).toContain('le règlement des 2 factures ci-dessous, arrivées à échéance, ne nous est pas encore parvenu. Il peut s’agir d’un simple oubli.');
      expect(count(text, 'Pour information : conformément à l’article L441-10 du Code de commerce')).toBe(1);
      expect(text).toContain('D441-5');
      expect(text).toContain('Total restant dû : 1 734,56 €');
      expect(text).toContain('soit 1 734,56 € au total');
      expect(text).toContain('Si vous avez procédé au règlement entre-temps, nous vous prions de ne pas tenir compte de ce message.');
      expect(text).not.toMatch(/Deuxième rappel|mise en demeure|Total à régler|nous vous demandons/i);
      expect(render(reminders, { language: 'en' }).subject).toBe('Reminder: 2 invoices overdue');
    });

    it('does not speak of an oversight after a broken promise', () => {
      const promise = { date: '2027-04-08', afterDueDate: true, at: '2027-03-20T10:00:00.000Z', source: 'customer' as const, brokenAt: '2027-04-12T07:00:00.000Z' };
      expect(render([member('reminder', A), member('reminder', { ...B, promise })]).text).not.toContain('oubli');
    });
  });

  describe('when it holds a penalty reminder', () => {
    it('is a second reminder claiming the penalties where every invoice had a first one', () => {
      const { subject, text, html } = render(penalties);
      expect(subject).toBe('Deuxième rappel : 2 factures impayées, pénalités de retard');
      expect(text).toContain('Malgré nos précédents rappels, les 2 factures ci-dessous, arrivées à échéance, demeurent impayées à ce jour.');
      // The law's statement, word for word as in the single penalty reminder, once for both invoices.
      expect(count(text, '* Conformément à l’article L441-10 du Code de commerce, des pénalités de retard sont dues de plein droit, sans qu’un rappel soit nécessaire, à compter du lendemain de la date d’échéance, au taux de refinancement de la Banque centrale européenne en vigueur au 1er janvier pour le premier semestre et au 1er juillet pour le second, majoré de 10 points. S’y ajoute une indemnité forfaitaire pour frais de recouvrement de 40,00 € (article D441-5 du Code de commerce) ; une indemnisation complémentaire peut être demandée, sur justificatifs, lorsque les frais de recouvrement exposés dépassent ce montant.')).toBe(1);
      expect(html).toContain('#fef3c7'); // a warning, not an "information"
      expect(text).not.toContain('Pour information');
      expect(text).toContain('Total restant dû : 1 734,56 €');
      expect(text).toContain('Total à régler : 1 825,28 €'); // 1 282,78 + 542,50
      expect(text).toContain('Nous vous demandons de régler la somme de 1 825,28 € sans délai');
      expect(text).toContain('Si vous avez procédé au règlement entre-temps');
      expect(text).toContain('À défaut de règlement ou de réponse de votre part, nous nous verrons contraints de vous adresser une mise en demeure.');
    });

    it('says it in English', () => {
      const { subject, text } = render(penalties, { language: 'en' });
      expect(subject).toBe('Second reminder: 2 invoices unpaid, late-payment penalties');
      expect(text).toContain('Despite our previous reminders');
      expect(text).toContain('further compensation may be claimed, on proof');
      expect(text).toContain('Total to pay: €1,825.28');
      expect(text).toContain('We must ask you to pay €1,825.28 without delay');
      expect(text).toContain('we will have to send you a formal notice to pay');
      expect(text).toContain('If you have paid in the meantime, please disregard this message.');
    });

    it('mixed with a first reminder, calls itself no second reminder, names the invoices already reminded and asks each its own', () => {
      const { subject, text } = render(mixed);
      expect(subject).toBe('Rappel : 2 factures impayées, pénalités de retard');
      expect(text).not.toContain('Deuxième rappel');
      expect(text).not.toContain('précédents rappels');
      expect(text).toContain('nous vous avons déjà adressé un rappel pour la facture F-2027-0051.');
      // The first reminder asks for the principal and states the rest for information; the penalty reminder claims it.
      expect(section(text, 'F-2027-0042')).toContain('Pour information, le détail de ce qui est dû sur cette facture :');
      expect(section(text, 'F-2027-0051')).toContain('Ce qui vous est réclamé au titre de cette facture :');
      expect(text).toContain('Total à régler : 1 777,06 €'); // 1 234,56 + 542,50
      expect(text).toContain('mise en demeure');
    });

    it('does not claim from a consumer what the law does not give, penalties nor indemnity', () => {
      const consumer = { ...registration.customer, kind: 'consumer' as const };
      const records = [{ ...A, customer: consumer }, { ...B, customer: consumer }];
      for (const language of ['fr', 'en'] as const) {
        const { subject, text } = render(records.map((r) => member('penalty_reminder', r)), { language });
        expect(subject).toBe(language === 'fr' ? 'Deuxième rappel : 2 factures impayées' : 'Second reminder: 2 invoices unpaid');
        expect(text).not.toMatch(/L441|D441|pénalit|penalt|40,00|€40|indemnit/i);
        expect(text).toContain(language === 'fr' ? 'Total restant dû : 1 734,56 €' : 'Total outstanding: €1,734.56');
      }
    });

    it('claims a public body\'s moratorium interest, under its own code', () => {
      const publicBody = { ...registration.customer, kind: 'public' as const };
      const { subject, text } = render([{ ...A, customer: publicBody }, { ...B, customer: publicBody }].map((r) => member('penalty_reminder', r)));
      expect(subject).toBe('Deuxième rappel : 2 factures impayées, intérêts moratoires');
      expect(count(text, 'R2192-31')).toBe(1);
      expect(text).toContain('Intérêts moratoires, 1er avril 2027 – 20 avril 2027');
      expect(text).not.toContain('L441-10');
    });

    it('says the law\'s statement of each rate of the invoices it concerns when the rates differ', () => {
      const agreed = invoice('F-2027-0042', '2027-03-31', 123456, { terms: { latePaymentRatePercent: 15 } });
      const { text } = render([member('penalty_reminder', agreed), member('penalty_reminder', B)]);
      expect(text).toContain('* Concernant la facture F-2027-0042 : conformément à l’article L441-10 du Code de commerce, des pénalités de retard sont dues de plein droit, sans qu’un rappel soit nécessaire, à compter du lendemain de la date d’échéance, au taux contractuel de 15 % l’an.');
      expect(text).toContain('* Concernant la facture F-2027-0051 : conformément à l’article L441-10 du Code de commerce, des pénalités de retard sont dues de plein droit, sans qu’un rappel soit nécessaire, à compter du lendemain de la date d’échéance, au taux de refinancement de la Banque centrale européenne');
    });

    it('states nothing beyond the principal for an invoice whose penalties were waived', () => {
      const waived = { ...B, waiver: { at: '2027-04-20T07:00:00.000Z', reason: 'geste commercial', by: 'operator' as const } };
      const { text } = render([member('penalty_reminder', A), member('penalty_reminder', waived)]);
      expect(section(text, 'F-2027-0051')).not.toMatch(/Pénalités de retard|Indemnité|Total dû/);
      expect(text).toContain('Total à régler : 1 782,78 €'); // 1 282,78 + 500,00
      // The statement concerns the one invoice it applies to.
      expect(text).toContain('* Concernant la facture F-2027-0042 : conformément à l’article L441-10');
    });

    it('claims an indemnity it cannot add to another currency beside the totals', () => {
      const usd = invoice('F-2027-0050', '2027-04-05', 100000, { amount: { value: 100000, currency: 'USD' } });
      const { text } = render([member('penalty_reminder', A), member('penalty_reminder', usd)]);
      // 15 days at 12.15 % on 1,000.00 USD: 4.99; its 40 EUR indemnity goes to the EUR total: 1 282,78 + 40,00.
      expect(text).toContain('Total à régler : 1 322,78 €\nTotal à régler : 1 004,99 $US');
      expect(text).toContain('les sommes de 1 322,78 € et 1 004,99 $US');
    });
  });

  it('offers online payment only where the claim is the invoice\'s amount', () => {
    const paymentUrl = 'https://pay.example-psp.com/i/F-2027-0051';
    // Penalties accrue on a business invoice once late: the page would charge less than is due.
    expect(render(reminders).html).not.toContain(paymentUrl);
    // A consumer owes nothing beyond the principal before the formal notice: the page's amount is the one asked.
    const consumer = { ...registration.customer, kind: 'consumer' as const };
    const { text } = render([{ ...A, customer: consumer }, { ...B, customer: consumer }].map((r) => member('reminder', r)));
    expect(section(text, 'F-2027-0051')).toContain(`Payer en ligne : ${paymentUrl}`);
  });
});

describe('what it refuses', () => {
  it('throws on an empty list', () => {
    expect(() => render([])).toThrow(/at least one invoice/);
  });

  it('throws on pre-reminders mixed with overdue reminders', () => {
    expect(() => render([member('pre_reminder', A), member('reminder', B)])).toThrow(/mix pre-reminders with overdue/);
    expect(() => render([member('penalty_reminder', A), member('pre_reminder', B)])).toThrow(/mix pre-reminders with overdue/);
  });

  it('throws on invoices of different customers: one customer\'s invoices never reach another\'s contact', () => {
    const other = invoice('F-2027-0099', '2027-04-05', 50000, { customer: { ...registration.customer, id: 'CUST-0999', name: 'Autre SA' } });
    expect(() => render([member('pre_reminder', A), member('pre_reminder', other)])).toThrow(/one customer/);
  });

  it('throws on a penalty reminder without the claim it states', () => {
    expect(() => render([member('reminder', A), { kind: 'penalty_reminder', invoice: B, answerUrl: answerUrl(B.invoiceId) }])).toThrow(/claim/);
  });

  it('sends one invoice alone as its single email, with the statement link', () => {
    const alone = render([member('reminder', A)]);
    const single = renderCustomerEmail('reminder', {
      creditor, language: 'fr', contactName: 'Claire Martin', invoice: A, answerUrl: answerUrl(A.invoiceId), claim: claimOf(A), statementUrl: STATEMENT_URL,
    });
    expect(alone.subject).toBe(plain(single.subject));
    expect(alone.text).toBe(plain(single.text));
    expect(alone.text).toContain(`Voir toutes vos factures en cours et y répondre sur une seule page : ${STATEMENT_URL}`);
  });
});

describe('hostile data', () => {
  it('escapes a customer name, contact name and invoice number carrying markup in the HTML, and keeps them verbatim in the text', () => {
    const customer = { ...registration.customer, name: `O'Brien & Co <img src=x onerror=alert(1)>` };
    const hostile = invoice('<script>alert(1)</script>', '2027-03-31', 123456, { customer, purchaseOrder: '<b>BC</b>' });
    const other = invoice('F-2027-0051', '2027-04-05', 50000, { customer });
    for (const kind of ['pre_reminder', 'penalty_reminder'] as const) {
      const email = renderGroupedCustomerEmail({
        creditor, language: 'fr', contactName: '<script>alert("x")</script>', statementUrl: STATEMENT_URL,
        invoices: [member(kind, hostile), member(kind, other)],
      });
      expect(email.html).not.toContain('<script');
      expect(email.html).not.toContain('<img');
      expect(email.html).not.toContain('<b>');
      expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(email.html).toMatch(/O(&#39;|’)Brien &amp; Co &lt;img/);
      expect(email.text).toContain('Facture <script>alert(1)</script>');
      expect(email.text).toContain('<script>alert("x")</script>');
      expect(email.text).toMatch(/O['’]Brien & Co <img src=x onerror=alert\(1\)>/);
      expect(email.subject).not.toMatch(/[\r\n]/);
    }
  });
});
