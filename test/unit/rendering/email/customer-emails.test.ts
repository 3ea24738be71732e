import { describe, expect, it } from 'vitest';
import type { Creditor } from '../../../../shared/domain/creditor';
import { renderCustomerEmail, type CustomerEmailContext, type CustomerEmailKind } from '../../../../shared/rendering/email';
import { formatDate } from '../../../../shared/rendering/labels';
import type { InvoiceRecord } from '../../../../shared/domain/invoice';
import { invoiceRecord, registration } from '../../../support/fixtures';
import { invoiceClaim } from '../../../../shared/domain/invoice-claim';
import { DEFAULT_CALENDAR } from '../../../../shared/domain/dates';
import { EXAMPLE_CREDITOR } from '../../../../shared/lambda/config';

/** Intl separates French thousands with U+202F and the currency symbol with U+00A0; compare as plain spaces. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

const KINDS: CustomerEmailKind[] = [
  'pre_reminder',
  'promise_acknowledgement',
  'dispute_acknowledgement',
  'dispute_outcome',
  'promise_broken',
  'reminder',
  'penalty_reminder',
  'formal_notice',
];

const creditor: Creditor = { ...EXAMPLE_CREDITOR, name: 'Example SAS', address: '12 rue de la Paix\n75002 Paris', bankName: 'Crédit Agricole' };

const ANSWER_URL = 'https://pay.example.com/r/Xk3pQ9vT2mLwZ8aB';

/** The claim is computed for the very record the email is about, 15 days after its due date of 31 March 2027. */
const AS_OF = new Date('2027-04-15T10:00:00.000Z');

function context(overrides: Partial<CustomerEmailContext> = {}, invoice: Partial<InvoiceRecord> = {}): CustomerEmailContext {
  const record = invoiceRecord({
    promise: { date: '2027-03-29', method: 'transfer', afterDueDate: false, at: '2027-03-20T10:00:00.000Z', source: 'customer' },
    dispute: { reason: 'missing_purchase_order', message: 'Merci de joindre le bon de commande.', at: '2027-03-20T10:00:00.000Z', status: 'open' },
    ...invoice,
  });
  return {
    creditor,
    invoice: record,
    language: 'fr',
    contactName: 'Claire Martin',
    answerUrl: ANSWER_URL,
    claim: invoiceClaim(record, DEFAULT_CALENDAR, AS_OF),
    ...overrides,
  };
}

function render(kind: CustomerEmailKind, overrides: Partial<CustomerEmailContext> = {}, invoice: Partial<InvoiceRecord> = {}) {
  const email = renderCustomerEmail(kind, context(overrides, invoice));
  return { ...email, subject: plain(email.subject), html: plain(email.html), text: plain(email.text) };
}

describe.each(KINDS)('%s', (kind) => {
  it.each(['fr', 'en'] as const)('renders a complete email in %s', (language) => {
    const email = render(kind, { language });
    expect(email.subject.length).toBeGreaterThan(10);
    expect(email.subject).toContain('F-2027-0042');
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.html).toContain(`<html lang="${language}"`);
    expect(email.text.length).toBeGreaterThan(300);
    for (const part of [email.html, email.text]) {
      expect(part).toContain('Claire Martin');
      expect(part).toContain('F-2027-0042');
      expect(part).toContain('BC-2027-118');
      expect(part).toContain(language === 'fr' ? '31 mars 2027' : '31 March 2027');
      expect(part).toContain(language === 'fr' ? '1 234,56 €' : '€1,234.56');
      expect(part).toContain('Example SAS');
      expect(part).toContain('75002 Paris');
      // Signed by a named team with its phone, and the creditor's R123-237 mentions.
      expect(part).toContain('Comptabilité clients, Example SAS');
      expect(part).toContain('+33 1 00 00 00 00');
      expect(part).toMatch(/SAS (au capital de|with a share capital of) 10 000 €/);
      expect(part).toContain('SIREN 000 000 000 RCS Paris');
    }
  });

  it('speaks the customer language', () => {
    const fr = render(kind, { language: 'fr' });
    const en = render(kind, { language: 'en' });
    expect(fr.text).toMatch(/Bonjour|Madame, Monsieur/);
    expect(fr.text).toMatch(/Cordialement|salutations distinguées/);
    expect(fr.text).not.toMatch(/\b(Dear|Kind regards|Invoice number)\b/);
    expect(en.text).toMatch(/Dear/);
    expect(en.text).toMatch(/Kind regards|Yours faithfully/);
    expect(en.text).not.toMatch(/\b(Bonjour|Cordialement|Facture)\b/);
  });

  it('escapes a hostile contact and customer name in the HTML and keeps them verbatim in the text', () => {
    const hostileCustomer = { ...registration.customer, name: `O'Brien & Co <img src=x onerror=alert(1)>` };
    const email = renderCustomerEmail(
      kind,
      context({ contactName: '<script>alert("x")</script>' }, { customer: hostileCustomer }),
    );
    expect(email.html).not.toContain('<script');
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(email.text).toContain('<script>alert("x")</script>');
    // French typography curls the apostrophe of a name as it does ours; nothing else of it changes.
    expect(email.html).toMatch(/O(&#39;|’)Brien &amp; Co &lt;img/);
    expect(email.text).toMatch(/O['’]Brien & Co <img src=x onerror=alert\(1\)>/);
  });
});

describe('pre_reminder', () => {
  it('is framed as a quality check in French, not a demand', () => {
    const { text, subject } = render('pre_reminder');
    expect(subject).toBe('Facture F-2027-0042 de Example SAS : tout est-il en ordre ?');
    expect(text).toContain('suivi qualité');
    expect(text).not.toContain('relance');
    expect(text).toMatch(/bien reçu la marchandise ou la prestation, ainsi que la facture/);
    expect(text).toMatch(/bon de commande, bon de livraison/);
    expect(text).toMatch(/validations internes/);
    expect(text).toMatch(/comptabilité fournisseurs/);
    expect(text).toMatch(/virement, prélèvement, carte bancaire, chèque, lettre de change relevé \/ LCR/);
    expect(text).not.toMatch(/pénalit|mise en demeure/i);
  });

  it('asks the same questions in English', () => {
    const { text } = render('pre_reminder', { language: 'en' });
    expect(text).toContain('quality check');
    expect(text).toMatch(/received the goods or service, and the invoice/);
    expect(text).toMatch(/purchase order, delivery note/);
    expect(text).toMatch(/accounts payable/);
    expect(text).toMatch(/bank transfer, direct debit, card, cheque, bill of exchange \/ LCR/);
  });

  it('states the invoice amount even after a partial payment, and shows the balance', () => {
    const { text } = render('pre_reminder', {}, { outstanding: { value: 23456, currency: 'EUR' }, partiallyPaid: true });
    expect(text).toContain('La facture F-2027-0042, d’un montant de 1 234,56 €');
    expect(text).toContain('Reste à payer : 234,56 €');
  });

  it('gives the bank details to check, with the warning that they never change by email', () => {
    for (const language of ['fr', 'en'] as const) {
      const { html, text } = render('pre_reminder', { language });
      for (const part of [html, text]) {
        expect(part).toContain('FR76 3000 6000 0112 3456 7890 189');
        expect(part).toContain('AGRIFRPP');
        expect(part).toContain('Crédit Agricole');
      }
      expect(text).toContain(language === 'fr' ? 'jamais de nouvelles coordonnées bancaires par e-mail' : 'never send you new bank details by email');
    }
  });

  it('offers the three answers as buttons with the right action', () => {
    const fr = render('pre_reminder');
    for (const [label, action] of [
      ['Confirmer la date de paiement', 'promise'],
      ['Signaler un problème', 'dispute'],
      ['Poser une question', 'question'],
    ]) {
      expect(fr.html).toMatch(new RegExp(`href="${ANSWER_URL}\\?action=${action}"[^>]*>${label}</a>`));
      expect(fr.text).toContain(`${label} : ${ANSWER_URL}?action=${action}`);
    }
    const en = render('pre_reminder', { language: 'en' });
    expect(en.text).toContain(`Confirm the payment date: ${ANSWER_URL}?action=promise`);
    expect(en.text).toContain(`Report a problem: ${ANSWER_URL}?action=dispute`);
    expect(en.text).toContain(`Ask a question: ${ANSWER_URL}?action=question`);
  });

  it('links the PDF only when the billing system gave one', () => {
    const pdf = registration.pdfUrl!;
    const withPdf = render('pre_reminder');
    expect(withPdf.html).toContain(`href="${pdf}"`);
    expect(withPdf.text).toContain(pdf);

    const { pdfUrl: _omitted, ...withoutPdfUrl } = registration;
    const without = render('pre_reminder', {}, { registration: withoutPdfUrl });
    expect(without.html).not.toContain('.pdf');
    expect(without.text).not.toMatch(/PDF/);
  });

  it('offers the online payment page as a button where payment is asked, only when the billing system gave one', () => {
    const paymentUrl = 'https://pay.example-psp.com/i/F-2027-0042';
    const withLink = { registration: { ...registration, paymentUrl } };
    // Before the due date no claim is stated: the email asks for the invoice's amount, the page's.
    const beforeDue = { claim: undefined };
    const reminder = render('pre_reminder', beforeDue, withLink);
    expect(reminder.html).toContain(`href="${paymentUrl}"`);
    expect(reminder.text).toContain(`Payer en ligne : ${paymentUrl}`);
    expect(render('pre_reminder', { ...beforeDue, language: 'en' }, withLink).text).toContain(`Pay online: ${paymentUrl}`);
    expect(render('pre_reminder', beforeDue).html).not.toContain('Payer en ligne');
    // A reminder claiming penalties and the indemnity asks for more than the page charges.
    expect(render('penalty_reminder', {}, withLink).html).not.toContain(paymentUrl);
    // While a dispute is open no payment is asked: no button either.
    expect(render('dispute_acknowledgement', {}, withLink).html).not.toContain(paymentUrl);
    // The page charges the invoice's amount: no button once the email asks for another sum.
    expect(render('pre_reminder', beforeDue, { ...withLink, outstanding: { value: 100_000, currency: 'EUR' }, partiallyPaid: true }).html).not.toContain(paymentUrl);
  });

  it('leaves out the purchase order and reference when there are none', () => {
    const { purchaseOrder: _po, reference: _ref, ...bare } = registration;
    const { text } = render('pre_reminder', {}, { registration: bare });
    expect(text).not.toContain('Bon de commande :');
    expect(text).not.toContain('Référence :');
  });

  it('prints calendar dates without shifting them in a time zone west of UTC', () => {
    const before = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      const { text } = render('pre_reminder', {}, { dueDate: '2027-01-01', issueDate: '2026-12-01' });
      expect(text).toContain('1er janvier 2027');
      expect(text).toContain('1er décembre 2026');
    } finally {
      process.env.TZ = before;
    }
  });

  it('writes the first of the month as an ordinal in French, as French usage wants', () => {
    expect(formatDate('2027-04-01', 'fr')).toBe('1er avril 2027');
    expect(formatDate('2027-04-11', 'fr')).toBe('11 avril 2027');
    expect(formatDate('2027-04-01', 'en')).toBe('1 April 2027');
  });
});

describe('promise_acknowledgement', () => {
  it('thanks and restates the promised date and method', () => {
    const fr = render('promise_acknowledgement');
    expect(fr.subject).toContain('29 mars 2027');
    expect(fr.text).toContain('Nous vous remercions de votre réponse.');
    expect(fr.text).toContain('le 29 mars 2027 par virement bancaire');
    expect(fr.text).not.toContain('postérieure à l’échéance');
    const en = render('promise_acknowledgement', { language: 'en' });
    expect(en.text).toContain('on 29 March 2027 by bank transfer');
  });

  it('notes politely that a date after the due date still counts but penalties accrue', () => {
    const promise = { date: '2027-04-15', method: 'cheque' as const, afterDueDate: true, at: '2027-03-20T10:00:00.000Z', source: 'customer' as const };
    const fr = render('promise_acknowledgement', {}, { promise });
    expect(fr.text).toContain('Cette date est postérieure à l’échéance du 31 mars 2027');
    expect(fr.text).toContain('Votre engagement est bien enregistré');
    expect(fr.text).toMatch(/pénalités de retard courent à compter du lendemain de l’échéance/);
    // A consumer is not told of business penalties, a public body of its own interest.
    const consumer = render('promise_acknowledgement', {}, { promise, customer: { ...registration.customer, kind: 'consumer' } });
    expect(consumer.text).toContain('Votre engagement est bien enregistré.');
    expect(consumer.text).not.toMatch(/pénalit|L441/);
    const publicBody = render('promise_acknowledgement', {}, { promise, customer: { ...registration.customer, kind: 'public' } });
    expect(publicBody.text).toContain('intérêts moratoires');
    const en = render('promise_acknowledgement', { language: 'en' }, { promise });
    expect(en.text).toContain('This date is after the due date of 31 March 2027');
    expect(en.text).toContain('by cheque');
  });
});

describe('dispute_acknowledgement', () => {
  const reasons = {
    invoice_not_received: ['facture non reçue', 'invoice not received'],
    goods_not_received: ['marchandise ou prestation non reçue', 'goods or service not received'],
    defective: ['défectueuse', 'defective'],
    wrong_amount: ['montant erroné', 'wrong amount'],
    missing_purchase_order: ['bon de commande manquant', 'missing purchase order'],
    other: ['autre motif', 'other reason'],
    call: ['échange téléphonique', 'phone call'],
  } as const;

  it.each(Object.entries(reasons))('words the reason %s in both languages', (reason, [fr, en]) => {
    const dispute = { reason: reason as keyof typeof reasons, at: '2027-03-20T10:00:00.000Z', status: 'open' as const };
    expect(render('dispute_acknowledgement', {}, { dispute }).text).toContain(fr);
    expect(render('dispute_acknowledgement', { language: 'en' }, { dispute }).text).toContain(en);
  });

  it('says the team will come back and reminders pause, quoting the customer message', () => {
    const fr = render('dispute_acknowledgement');
    expect(fr.text).toContain('nous suspendons les relances');
    expect(fr.text).toContain('vous recontactera');
    expect(fr.text).toContain('> Merci de joindre le bon de commande.');
    const en = render('dispute_acknowledgement', { language: 'en' });
    expect(en.text).toContain('reminders for this invoice are paused');
  });
});

describe('dispute_outcome', () => {
  const resolved = (outcome: 'rejected' | 'corrected_amount') => ({
    dispute: { reason: 'wrong_amount' as const, at: '2027-03-20T10:00:00.000Z', status: 'resolved' as const, outcome },
  });

  it('tells the customer the claim stands after a rejected dispute, and asks for payment by the due date', () => {
    const { subject, text } = render('dispute_outcome', { claim: undefined }, resolved('rejected'));
    expect(subject).toBe('Facture F-2027-0042 : suite donnée à votre signalement');
    expect(text).toContain('Vous nous avez signalé le 20 mars 2027 un problème concernant la facture F-2027-0042 (montant erroné).');
    expect(text).toContain('nous maintenons la facture telle qu’elle a été émise');
    expect(text).toContain('régler 1 234,56 € à l’échéance du 31 mars 2027');
  });

  it('states the corrected amount beside the original one, and asks for payment at once when the due date has passed', () => {
    const { subject, text } = render('dispute_outcome', { language: 'en' }, { ...resolved('corrected_amount'), amount: { value: 100_000, currency: 'EUR' }, outstanding: { value: 100_000, currency: 'EUR' } });
    expect(subject).toBe('Invoice F-2027-0042: amount corrected');
    expect(text).toContain('it is now €1,000.00 instead of €1,234.56');
    expect(text).toContain('As the due date of 31 March 2027 has passed, please pay the €1,000.00 outstanding as soon as possible.');
  });
});

describe('promise_broken', () => {
  it('says the payment promised for the date has not arrived and offers the three answers', () => {
    const fr = render('promise_broken');
    expect(fr.subject).toContain('29 mars 2027');
    expect(fr.text).toContain('ce paiement ne nous est pas parvenu');
    const en = render('promise_broken', { language: 'en' });
    expect(en.text).toContain('would be paid by 29 March 2027');
    for (const action of ['promise', 'dispute', 'question']) expect(en.text).toContain(`${ANSWER_URL}?action=${action}`);
  });
});

describe('reminder', () => {
  it('is courteous, asks for the outstanding amount and gives bank details and buttons', () => {
    const fr = render('reminder', {}, { outstanding: { value: 50000, currency: 'EUR' }, partiallyPaid: true });
    expect(fr.text).toContain('simple oubli');
    expect(fr.text).toContain('règlement de 500,00 €');
    expect(fr.text).toContain('soit 15 jours de retard');
    expect(fr.text).toContain('FR76 3000 6000 0112 3456 7890 189');
    for (const action of ['promise', 'dispute', 'question']) expect(fr.html).toContain(`${ANSWER_URL}?action=${action}`);
    const en = render('reminder', { language: 'en' });
    expect(en.text).toContain('oversight');
    expect(en.text).toContain('15 days ago');
  });

  it('does not speak of an oversight after a broken promise', () => {
    const promise = { date: '2027-04-05', afterDueDate: true, at: '2027-03-20T10:00:00.000Z', source: 'customer' as const, brokenAt: '2027-04-09T07:00:00.000Z' };
    expect(render('reminder', {}, { promise }).text).not.toContain('oubli');
  });

  it('gives a short breakdown of the claim, for information', () => {
    const { text } = render('reminder');
    expect(text).toContain('Pour information : conformément à l’article L441-10');
    expect(text).toContain('Pénalités de retard, 1er avril 2027 – 15 avril 2027 (15 jours à 12,15 % l’an sur 1 234,56 €, taux provisoire) : 6,16 €');
    expect(text).toContain('Total dû au 15 avril 2027 : 1 280,72 €');
  });

  it('renders without a claim (days late then unknown)', () => {
    const { text } = render('reminder', { claim: undefined });
    expect(text).toContain('échue le 31 mars 2027, ne nous est pas encore parvenu.');
    expect(text).not.toContain('L441-10');
  });
});

describe('penalty_reminder', () => {
  it('states the penalties by period, their legal basis, the indemnity and the total in French', () => {
    const { text, html, subject } = render('penalty_reminder');
    expect(subject).toBe('Deuxième rappel : facture F-2027-0042 impayée, pénalités de retard');
    for (const part of [text, html]) {
      expect(part).toContain('12,15 %');
      expect(part).toContain('6,16 €');
      expect(part).toContain('40,00 €');
      expect(part).toContain('1 280,72 €'); // 1 234,56 + 6,16 + 40,00
    }
    expect(text).toContain('soit 15 jours de retard');
    expect(text).toContain('L441-10');
    expect(text).toContain('D441-5');
    expect(text).toContain('taux de refinancement de la Banque centrale européenne en vigueur au 1er janvier pour le premier semestre et au 1er juillet pour le second, majoré de 10 points');
    expect(text).toContain('une indemnisation complémentaire peut être demandée, sur justificatifs');
    // 2027 is not yet in the rates table: the rate used is said to be the latest known one.
    expect(text).toContain('Taux provisoire : dernier taux publié dont nous avons connaissance');
  });

  it('states them in English', () => {
    const { text } = render('penalty_reminder', { language: 'en' });
    expect(text).toContain('12.15% a year');
    expect(text).toContain('€6.16');
    expect(text).toContain('€40.00');
    expect(text).toContain('main refinancing rate in force on 1 January for the first half-year and on 1 July for the second, plus 10 percentage points');
    expect(text).toContain('further compensation may be claimed, on proof');
    for (const action of ['promise', 'dispute', 'question']) expect(text).toContain(`${ANSWER_URL}?action=${action}`);
  });

  it('names a contractual rate as agreed, and the floor where the law raises it', () => {
    const agreed = (rate: number) => ({ registration: { ...registration, terms: { latePaymentRatePercent: rate } } });
    expect(render('penalty_reminder', {}, agreed(15)).text).toContain('au taux contractuel de 15 % l’an');
    // 3 % is below 3 × the legal rate (2.62 % in H1 2026, the latest known): the floor of 7.86 % applies.
    const floor = render('penalty_reminder', {}, agreed(3)).text;
    expect(floor).toContain('trois fois le taux de l’intérêt légal, le taux contractuel de 3 % l’an lui étant inférieur');
    expect(floor).toContain('7,86 %');
  });

  it('never states business penalties nor the 40 EUR indemnity to a consumer', () => {
    for (const language of ['fr', 'en'] as const) {
      const { text, subject } = render('penalty_reminder', { language }, { customer: { ...registration.customer, kind: 'consumer' } });
      expect(text).not.toMatch(/L441|D441|pénalit|penalt|40,00|€40|indemnit/i);
      expect(subject).not.toMatch(/pénalit|penalt/i);
      expect(text).toContain(language === 'fr' ? 'mise en demeure' : 'formal notice');
    }
  });

  it('states a public body\'s moratorium interest at ECB + 8 and its indemnity', () => {
    const { text } = render('penalty_reminder', {}, { customer: { ...registration.customer, kind: 'public' } });
    expect(text).toContain('R2192-31');
    expect(text).toContain('majoré de 8 points, soit 10,15 % l’an');
    expect(text).toContain('Intérêts moratoires, 1er avril 2027 – 15 avril 2027');
    expect(text).not.toContain('L441-10');
  });

  it('states no penalties once they are waived, and only those accrued since a waiver on an earlier day', () => {
    const { text } = render('penalty_reminder', {}, { waiver: { at: '2027-04-15T07:00:00.000Z', reason: 'geste commercial', by: 'operator' } });
    expect(text).not.toMatch(/L441-10|pénalités de retard,|40,00 €/);
    expect(text).toContain('régler 1 234,56 €');
    // Waived on 10 April: 1 – 10 April (10 days, 123,456 × 12.15 × 10 / 36500 = 4.11) and the 40 EUR are given up;
    // 11 – 15 April (5 days: 2.05) is claimed again.
    const later = render('penalty_reminder', {}, { waiver: { at: '2027-04-10T10:00:00.000Z', reason: 'geste commercial', by: 'operator' } }).text;
    expect(later).toContain('Pénalités et indemnité abandonnées au 10 avril 2027 : − 44,11 €');
    expect(later).toContain('la somme de 1 236,61 €');
  });

  it('refuses to render without the claim it must state', () => {
    expect(() => renderCustomerEmail('penalty_reminder', context({ claim: undefined }))).toThrow(/claim/);
  });

  it('writes French with French typography: narrow no-break spaces and curly apostrophes', () => {
    const email = renderCustomerEmail('penalty_reminder', context());
    expect(email.subject).toContain('Deuxième rappel\u202f: facture');
    expect(email.text).not.toMatch(/ [;:!?](\s|$)/);
    expect(email.text).not.toMatch(/\p{L}'\p{L}/u);
  });
});

describe('formal_notice', () => {
  it('is a formal notice to pay within 8 days, with the claim, the parties and the consequences', () => {
    const { subject, text, html } = render('formal_notice', {}, {
      customer: { ...registration.customer, legalId: '732829320', address: { lines: ['3 rue du Port'], postalCode: '13002', city: 'Marseille', country: 'FR' } },
    });
    expect(subject).toContain('Mise en demeure de payer');
    expect(html).toContain('Mise en demeure de payer</h1>');
    expect(text).toContain('Le 15 avril 2027');
    expect(text).toContain('SIREN 732 829 320');
    expect(text).toContain('13002 Marseille');
    expect(text).toContain('Objet : mise en demeure de payer la facture F-2027-0042');
    expect(text).toContain('Madame, Monsieur,');
    expect(text).toContain('nous vous mettons en demeure de nous régler la somme de 1 280,72 € dans un délai de 8 jours');
    expect(text).toContain('6,16 €');
    expect(text).toContain('40,00 €');
    expect(text).toContain('organisme de recouvrement');
    expect(text).toContain('injonction de payer');
  });

  it('never says a registered letter was sent: none is, yet', () => {
    for (const language of ['fr', 'en'] as const) {
      expect(render('formal_notice', { language }).text).not.toMatch(/recommandée|registered letter/);
    }
  });

  it('reads as a formal notice in English and still offers promise and dispute', () => {
    const { subject, text } = render('formal_notice', { language: 'en' });
    expect(subject).toContain('Formal notice to pay');
    expect(text).toContain('within 8 days');
    expect(text).toContain('collection agency');
    expect(text).toContain(`${ANSWER_URL}?action=promise`);
    expect(text).toContain(`${ANSWER_URL}?action=dispute`);
  });

  it('does not threaten a public body with an injonction de payer, which does not lie against it', () => {
    const { text } = render('formal_notice', {}, { customer: { ...registration.customer, kind: 'public' } });
    expect(text).not.toContain('injonction de payer');
    expect(text).toContain('la juridiction compétente');
  });

  it('tells a consumer that legal interest runs from the notice, and claims nothing else', () => {
    const { text } = render('formal_notice', {}, { customer: { ...registration.customer, kind: 'consumer' } });
    expect(text).toContain('fait courir, à compter de sa date, des intérêts au taux de l’intérêt légal');
    expect(text).toContain('la somme de 1 234,56 €');
    expect(text).not.toMatch(/L441|D441|40,00/);
  });

  it('does not add amounts in different currencies: the EUR indemnity is claimed beside the total', () => {
    const { text } = render('formal_notice', {}, { amount: { value: 100000, currency: 'USD' }, outstanding: { value: 100000, currency: 'USD' } });
    // 15 days at 12.15 % on 1,000.00 USD: 100,000 × 12.15 × 15 / 36500 = 499.32 → 4.99
    expect(text).toContain('Total dû au 15 avril 2027, hors indemnité forfaitaire : 1 004,99 $US');
    expect(text).toContain('la somme de 1 004,99 $US, ainsi que l’indemnité forfaitaire de 40,00 €');
    // Once waived, the notice demands the principal alone, and no indemnity beside it.
    const waived = render('formal_notice', {}, { amount: { value: 100000, currency: 'USD' }, outstanding: { value: 100000, currency: 'USD' }, waiver: { at: '2027-04-15T07:00:00.000Z', reason: 'geste', by: 'operator' } }).text;
    expect(waived).toContain('la somme de 1 000,00 $US dans un délai de 8 jours');
    expect(waived).not.toContain('indemnité forfaitaire de 40,00 €');
  });
});

describe('statement link', () => {
  const STATEMENT_URL = 'https://pay.example.com/r/St4tEmEnT9vT2mLwZ';
  const LABELS = {
    fr: 'Voir toutes vos factures en cours et y répondre sur une seule page',
    en: 'See all your open invoices and reply to them on one page',
  } as const;

  describe.each(KINDS)('%s', (kind) => {
    it.each(['fr', 'en'] as const)('links the contact\'s statement page in the HTML and the text, in %s', (language) => {
      const { html, text } = render(kind, { language, statementUrl: STATEMENT_URL });
      expect(html).toMatch(new RegExp(`href="${STATEMENT_URL}"[^>]*>${LABELS[language]}</a>`));
      expect(text).toContain(`${LABELS[language]}${language === 'fr' ? ' : ' : ': '}${STATEMENT_URL}`);
    });

    it('adds nothing but that link, and nothing at all without a statement page', () => {
      const without = render(kind);
      expect(without.html).not.toContain('/r/St4tEmEnT');
      expect(without.text).not.toContain(LABELS.fr);
      const withLink = render(kind, { statementUrl: STATEMENT_URL });
      expect(withLink.subject).toBe(without.subject);
      expect(withLink.text.replace(`\n\n${LABELS.fr} : ${STATEMENT_URL}`, '')).toBe(without.text);
      expect(withLink.html.replace(new RegExp(`<p [^>]*><a href="${STATEMENT_URL}"[^>]*>${LABELS.fr}</a></p>`), '')).toBe(without.html);
    });
  });

  it('sits right after the PDF link', () => {
    const { text } = render('reminder', { statementUrl: STATEMENT_URL });
    const pdf = text.indexOf(`(PDF) : ${registration.pdfUrl}`);
    expect(pdf).toBeGreaterThan(0);
    expect(text.indexOf(LABELS.fr)).toBe(text.indexOf('\n\n', pdf) + 2);
  });
});
