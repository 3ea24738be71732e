/**
 * The customer's statement as an A4 PDF, to download from the statement page and keep or forward: the creditor and
 * the customer identified as on a letter, the date, a table of the open invoices (the CSV's columns, several to a
 * cell so that they fit the width; a long list runs onto further pages with the table's header repeated), the totals
 * per currency and our bank details with the standing fraud warning.
 *
 * The same input gives the same bytes: the PDF's dates are the statement's day (see pdf/document.ts).
 */
import { legalMentions } from '../../domain/creditor';
import { dateTimeFormat } from '../../domain/intl-formats';
import { formatMoney, type Money } from '../../domain/money';
import { formatDate } from '../labels';
import { addressLines, legalIdLabel } from '../parties';
import { PdfWriter, type Table } from '../pdf/document';
import { claimSummary, lineState, stateLabel, statementTotals } from '../pages/statement-page';
import { statementColumns, type StatementDownloadInput } from '../statement-csv';
import { fr, type French } from '../typography';
import { cityOf } from './formal-notice';

export type StatementPdfInput = StatementDownloadInput;

/** « 31/03/2027 »: a table's dates, short enough for a narrow column. */
function shortDate(day: string, language: 'fr' | 'en'): string {
  const instant = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(instant.getTime())) return day;
  return dateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(instant);
}

function groupIban(iban: string): string {
  return iban.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

export async function renderStatementPdf(input: StatementPdfInput): Promise<Uint8Array> {
  const { creditor, language, lines, today } = input;
  const t = (french: French, english: string) => (language === 'fr' ? french : english);
  const money = (amount: Money) => formatMoney(amount, language);
  const columns = statementColumns(language);
  // The lines carry the customer as the billing system registered it (address, legal identifier); the input its name.
  const registered = lines[0]?.invoice.customer;
  const title = t(fr`Relevé de compte au ${formatDate(today, language)}`, `Statement of account as of ${formatDate(today, language)}`);
  const pdf = new PdfWriter({
    language,
    title,
    author: creditor.name,
    subject: input.customer.name,
    date: new Date(`${today}T00:00:00Z`),
    footer: legalMentions(creditor, language),
  });

  const date = formatDate(today, language);
  pdf.letterHead({
    sender: [creditor.name, ...creditor.address.split('\n').map((line) => line.trim()).filter(Boolean), `${creditor.team.name} · ${creditor.team.phone}`],
    recipient: [input.customer.name, ...(registered?.address ? addressLines(registered.address) : [])],
    recipientDetails: [
      ...(registered?.legalId ? [legalIdLabel(registered.legalId, language)] : []),
      t(fr`N° client : ${input.customer.id}`, `Customer number: ${input.customer.id}`),
    ],
    placeAndDate: t(fr`${cityOf(creditor.address)}, le ${date}`, `${cityOf(creditor.address)}, ${date}`),
    subject: title,
  });

  if (lines.length === 0) {
    pdf.paragraph(t(fr`Aucune facture n'est ouverte à ce jour : vous n'avez rien à régler.`, 'No invoice is open today: there is nothing to pay.'));
    return pdf.finish();
  }

  pdf.paragraph(
    lines.length === 1
      ? t(fr`Votre facture ouverte chez ${creditor.name} au ${date} :`, `Your open invoice with ${creditor.name} as of ${date}:`)
      : t(fr`Vos ${lines.length} factures ouvertes chez ${creditor.name} au ${date} :`, `Your ${lines.length} open invoices with ${creditor.name} as of ${date}:`),
  );

  const ref = t(fr`Réf.`, 'Ref.');
  const po = t(fr`BC`, 'PO');
  const table: Table = {
    // Shares so that the bold headers and amounts up to 1 234 567,89 € hold on their lines at the table's small size.
    columns: [
      { header: `${columns.invoiceNumber}\n${columns.reference}\n${columns.purchaseOrder}`, width: 0.18 },
      { header: `${columns.issueDate}\n${columns.dueDate}`, width: 0.17 },
      { header: columns.amount, width: 0.135, align: 'right' },
      { header: columns.outstanding, width: 0.135, align: 'right' },
      { header: columns.claimed, width: 0.135, align: 'right' },
      { header: `${columns.status}\n${columns.promisedDate}`, width: 0.245 },
    ],
    rows: lines.map((line) => {
      const { invoice } = line;
      const reg = invoice.registration;
      const claim = claimSummary(line, language);
      return [
        [
          invoice.invoiceId,
          ...(reg.reference && reg.reference !== invoice.invoiceId ? [`${ref} ${reg.reference}`] : []),
          ...(reg.purchaseOrder ? [`${po} ${reg.purchaseOrder}`] : []),
        ].join('\n'),
        `${shortDate(invoice.issueDate, language)}\n${shortDate(invoice.dueDate, language)}`,
        money(invoice.amount),
        money(invoice.outstanding),
        claim ? `${money(claim.total)}${claim.apart ? `\n+ ${money(claim.apart)}` : ''}` : money(invoice.outstanding),
        stateLabel(lineState(invoice, today), language, 'long', (day) => shortDate(day, language)),
      ];
    }),
    size: 'small',
  };
  pdf.table(table);

  const totals = statementTotals(lines, language);
  const rows: [string, string][] = totals.outstanding.map((total) => [
    t(fr`Total restant à payer (${total.currency})`, `Total outstanding (${total.currency})`),
    money(total),
  ]);
  for (const total of totals.claimed ?? []) {
    rows.push([t(fr`Total réclamé à ce jour (${total.currency})`, `Total claimed today (${total.currency})`), money(total)]);
  }
  pdf.blocks([{ type: 'facts', rows }]);
  if (totals.claimed) {
    pdf.paragraph(t(
      fr`Le total réclamé comprend, pour les factures en retard, les pénalités de retard et l'indemnité forfaitaire pour frais de recouvrement dues à ce jour.`,
      'The total claimed includes, for overdue invoices, the late-payment penalties and the fixed indemnity for recovery costs due today.',
    ));
  }

  const bank: [string, string][] = [[t(fr`Titulaire du compte`, 'Account holder'), creditor.name]];
  if (creditor.bankName) bank.push([t(fr`Banque`, 'Bank'), creditor.bankName]);
  bank.push(['IBAN', groupIban(creditor.iban)], ['BIC', creditor.bic.trim()]);
  bank.push([t(fr`Référence à indiquer`, 'Payment reference'), t(fr`les numéros des factures réglées`, 'the numbers of the invoices you pay')]);
  pdf.heading(t(fr`Nos coordonnées bancaires`, 'Our bank details'), 2).blocks([
    { type: 'facts', rows: bank },
    {
      type: 'notice',
      tone: 'warning',
      text: t(
        fr`Nous ne vous communiquerons jamais de nouvelles coordonnées bancaires par e-mail : si un message vous demande de payer sur un autre compte, ne payez pas et appelez-nous à un numéro que vous connaissez déjà.`,
        'We will never send you new bank details by email: if a message asks you to pay into another account, do not pay, and call us on a number you already know.',
      ),
    },
  ]);
  return pdf.finish();
}
