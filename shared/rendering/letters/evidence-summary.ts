/**
 * The evidence file's summary, the PDF on top of the bundle handed to a collection agency or a lawyer (DESIGN.md §1
 * "After the ladder"): who owes what to whom, the claim as it stood at the hand-off and as it stands today, period by
 * period, the payments received, where to take the claim, everything that happened, and the bundle's files with
 * their SHA-256 so that each one can be checked against the summary.
 */
import type { Claim } from '../../domain/claim';
import { legalMentions, type Creditor } from '../../domain/creditor';
import type { InvoiceRecord } from '../../domain/invoice';
import { formatMoney, type Money } from '../../domain/money';
import { invoiceLabels } from '../email/customer-emails';
import { formatDate, formatInstant, formatPercent, statusLabel } from '../labels';
import { debtorLines } from '../parties';
import { PdfWriter, type Table } from '../pdf/document';
import { fr, type French } from '../typography';

export interface EvidenceSummaryInput {
  language: 'fr' | 'en';
  /** When the file was put together (ISO instant): its date, and the PDF's. */
  generatedAt: string;
  /** The creditor's time zone, in which instants are shown. */
  timeZone: string;
  creditor: Creditor;
  invoice: InvoiceRecord;
  /** The claim fixed at the hand-off, when there was one. */
  claimAtHandOff?: Claim;
  /** The claim on the day the file is generated. */
  claim: Claim;
  payments: { paidAt: string; amount: Money; reference: string }[];
  timeline: { at: string; text: string }[];
  /** Where to take the claim (legal-routing), in the file's language. */
  routing: { title: string; lines: string[] };
  /** The bundle's files. */
  files: { path: string; sha256: string }[];
}

const KINDS = {
  business: { fr: 'entreprise', en: 'business' },
  public: { fr: 'personne publique', en: 'public body' },
  consumer: { fr: 'consommateur', en: 'consumer' },
} as const;

export async function renderEvidenceSummary(input: EvidenceSummaryInput): Promise<Uint8Array> {
  const { language, creditor, invoice, timeZone } = input;
  const t = (french: French, english: string) => (language === 'fr' ? french : english);
  const money = (amount: Money) => formatMoney(amount, language);
  const date = (day: string) => formatDate(day, language);
  // Payments and events carry an instant, or a day when that is all the billing system gave.
  const when = (at: string) => (/^\d{4}-\d{2}-\d{2}$/.test(at) ? date(at) : formatInstant(at, language, timeZone));
  const title = t(fr`Dossier de recouvrement — facture ${invoice.invoiceId}`, `Collection file — invoice ${invoice.invoiceId}`);
  const pdf = new PdfWriter({
    language,
    title,
    author: creditor.name,
    subject: invoice.customer.name,
    date: new Date(input.generatedAt),
    footer: legalMentions(creditor, language),
  });

  pdf.heading(title).paragraph(t(fr`Établi le ${when(input.generatedAt)} (${timeZone}).`, `Generated on ${when(input.generatedAt)} (${timeZone}).`));

  const contacts = invoice.customer.contacts.map((c) => [c.name, c.role, c.email, c.phone].filter(Boolean).join(', '));
  pdf.heading(t(fr`Parties`, 'Parties'), 2).blocks([{
    type: 'facts',
    rows: [
      [t(fr`Créancier`, 'Creditor'), legalMentions(creditor, language)],
      [t(fr`Débiteur`, 'Debtor'), debtorLines(invoice.customer, language).join('\n')],
      [t(fr`Qualité du débiteur`, 'Kind of debtor'), KINDS[invoice.customer.kind ?? 'business'][language]],
      [t(fr`Contacts`, 'Contacts'), contacts.join('\n')],
    ],
  }]);

  const reg = invoice.registration;
  const labels = invoiceLabels(language);
  const invoiceRows: [string, string][] = [[labels.invoiceNumber, invoice.invoiceId]];
  if (reg.reference) invoiceRows.push([labels.reference, reg.reference]);
  if (reg.purchaseOrder) invoiceRows.push([labels.purchaseOrder, reg.purchaseOrder]);
  invoiceRows.push(
    [labels.issueDate, date(invoice.issueDate)],
    [labels.dueDate, date(invoice.dueDate)],
    [labels.amount, money(invoice.amount)],
  );
  if (invoice.outstanding.value !== invoice.amount.value) invoiceRows.push([labels.outstanding, money(invoice.outstanding)]);
  if (invoice.amount.value !== reg.amount.value) invoiceRows.push([t(fr`Montant initial, avant correction`, 'Amount as first invoiced'), money(reg.amount)]);
  if (reg.terms?.paymentTerms) invoiceRows.push([t(fr`Conditions de paiement`, 'Payment terms'), reg.terms.paymentTerms]);
  if (reg.terms?.latePaymentRatePercent !== undefined) {
    invoiceRows.push([t(fr`Taux de pénalités contractuel`, 'Agreed late-payment rate'), formatPercent(reg.terms.latePaymentRatePercent, language)]);
  }
  invoiceRows.push([t(fr`Statut`, 'Status'), statusLabel(invoice.status, language)]);
  if (invoice.handedOffAt) invoiceRows.push([t(fr`Transmise au contentieux le`, 'Handed off on'), when(invoice.handedOffAt)]);
  pdf.heading(t(fr`Facture`, 'Invoice'), 2).blocks([{ type: 'facts', rows: invoiceRows }]);

  const claimSection = (heading: string, claim: Claim) => {
    pdf.heading(heading, 2);
    if (claim.penalties.periods.length) {
      const periods: Table = {
        columns: [
          { header: t(fr`Du`, 'From'), width: 0.2 },
          { header: t(fr`Au`, 'To'), width: 0.2 },
          { header: t(fr`Jours`, 'Days'), width: 0.1, align: 'right' },
          { header: t(fr`Base`, 'Base'), width: 0.18, align: 'right' },
          { header: t(fr`Taux annuel`, 'Annual rate'), width: 0.14, align: 'right' },
          { header: t(fr`Montant`, 'Amount'), width: 0.18, align: 'right' },
        ],
        rows: claim.penalties.periods.map((p) => [
          date(p.from),
          date(p.to),
          String(p.days),
          money(p.base),
          `${formatPercent(p.ratePercent, language)}${p.provisional ? '*' : ''}`,
          money(p.amount),
        ]),
      };
      pdf.table(periods);
    }
    const rows: [string, string][] = [
      [t(fr`Principal restant dû`, 'Principal outstanding'), money(claim.principal)],
      [t(fr`Pénalités ou intérêts de retard`, 'Late-payment penalties or interest'), money(claim.penalties.amount)],
      [t(fr`Indemnité forfaitaire pour frais de recouvrement`, 'Fixed indemnity for recovery costs'), money(claim.indemnity)],
    ];
    if (claim.penaltiesPaid) rows.push([t(fr`Déjà réglé au titre des pénalités`, 'Already paid towards the penalties'), `− ${money(claim.penaltiesPaid)}`]);
    if (claim.waived && claim.waived.amount.value > 0) {
      rows.push([
        t(fr`Abandonné au ${date(claim.waived.upTo)} (${claim.waived.reason})`, `Waived as at ${date(claim.waived.upTo)} (${claim.waived.reason})`),
        `− ${money(claim.waived.amount)}`,
      ]);
    }
    rows.push([
      claim.indemnityApart
        ? t(fr`Total dû au ${date(claim.asOf)}, hors indemnité forfaitaire`, `Total due as at ${date(claim.asOf)}, excluding the fixed indemnity`)
        : t(fr`Total dû au ${date(claim.asOf)}`, `Total due as at ${date(claim.asOf)}`),
      money(claim.total),
    ]);
    pdf.blocks([{ type: 'facts', rows }]);
    if (claim.penalties.provisional) {
      pdf.paragraph(t(
        fr`* Taux provisoire : dernier taux publié connu pour le semestre ; le montant sera ajusté si le taux applicable est différent.`,
        '* Provisional rate: the latest published rate known for the half-year; the amount will be adjusted if the applicable rate differs.',
      ));
    }
  };
  if (input.claimAtHandOff) {
    claimSection(t(fr`Créance à la transmission, au ${date(input.claimAtHandOff.asOf)}`, `Claim at the hand-off, as at ${date(input.claimAtHandOff.asOf)}`), input.claimAtHandOff);
  }
  claimSection(t(fr`Créance à ce jour, au ${date(input.claim.asOf)}`, `Claim today, as at ${date(input.claim.asOf)}`), input.claim);

  pdf.heading(t(fr`Paiements reçus`, 'Payments received'), 2);
  if (input.payments.length) {
    pdf.table({
      columns: [
        { header: t(fr`Date`, 'Date'), width: 0.34 },
        { header: t(fr`Montant`, 'Amount'), width: 0.2, align: 'right' },
        { header: t(fr`Référence`, 'Reference'), width: 0.46 },
      ],
      rows: input.payments.map((p) => [when(p.paidAt), money(p.amount), p.reference]),
    });
  } else {
    pdf.paragraph(t(fr`Aucun paiement reçu.`, 'No payment received.'));
  }

  // What can be proven of the formal notice, and what cannot: a letter is said posted only once it was recorded so.
  const letter = invoice.registeredLetter;
  const noticeRows: [string, string][] = [
    [
      t(fr`Mise en demeure par e-mail`, 'Formal notice by email'),
      invoice.formalNoticeAt ? when(invoice.formalNoticeAt) : t(fr`aucun envoi confirmé`, 'none confirmed as sent'),
    ],
    [
      t(fr`Lettre recommandée avec AR`, 'Registered letter'),
      !letter
        ? t(fr`aucune demandée`, 'none requested')
        : letter.postedAt
          ? t(fr`déposée le ${when(letter.postedAt)}, n° ${letter.trackingNumber ?? ''}`, `posted on ${when(letter.postedAt)}, number ${letter.trackingNumber ?? ''}`)
          : t(fr`demandée le ${when(letter.requestedAt)}, aucun dépôt enregistré`, `requested on ${when(letter.requestedAt)}, no posting recorded`),
    ],
  ];
  if (letter?.postedAt) {
    noticeRows.push([
      t(fr`Accusé de réception`, 'Acknowledgment of receipt'),
      letter.receivedAt ? when(letter.receivedAt) : t(fr`aucun enregistré`, 'none recorded'),
    ]);
  }
  pdf.heading(t(fr`Mise en demeure`, 'Formal notice'), 2).blocks([{ type: 'facts', rows: noticeRows }]);

  pdf.heading(t(fr`Orientation recommandée`, 'Recommended route'), 2)
    .paragraph(input.routing.title)
    .blocks([{ type: 'list', items: input.routing.lines }]);

  pdf.heading(t(fr`Chronologie`, 'Timeline'), 2).table({
    columns: [
      { header: t(fr`Date`, 'Date'), width: 0.3 },
      { header: t(fr`Événement`, 'Event'), width: 0.7 },
    ],
    rows: input.timeline.map((event) => [when(event.at), event.text]),
  });

  pdf.heading(t(fr`Pièces du dossier`, 'Files in the bundle'), 2).table({
    columns: [
      { header: t(fr`Fichier`, 'File'), width: 0.36 },
      { header: 'SHA-256', width: 0.64 },
    ],
    rows: input.files.map((file) => [file.path, file.sha256]),
    size: 'small',
  });

  return pdf.finish();
}
