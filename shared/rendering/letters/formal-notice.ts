/**
 * The formal notice to pay (Code civil 1344) as a letter: a one-page A4 PDF to post by registered letter with
 * acknowledgment of receipt, or to attach to the email. It says what the formal-notice email says, sentence for
 * sentence (`formalNoticeWording`), inside the frame of a French business letter: both parties identified, place and
 * date, how it was sent, the invoice(s), our bank details, and a named signatory.
 */
import { legalMentions } from '../../domain/creditor';
import { formalNoticeWording, Writer, type WordingContext } from '../email/customer-emails';
import { addressLines, legalIdLabel } from '../parties';
import { PdfWriter, type Table } from '../pdf/document';
import { fr } from '../typography';

export interface FormalNoticeLetterContext extends WordingContext {
  /** The letter's date, YYYY-MM-DD in the creditor's calendar. */
  date: string;
  /**
   * How the letter travels. Only a letter posted by registered mail says so: the copy attached to an email must not
   * claim a registered letter that may never have been sent.
   */
  channel: 'registered_letter' | 'email';
}

export interface RenderedLetter {
  filename: string;
  pdf: Uint8Array;
}

/**
 * The city a letter is written from: the last line of the creditor's address without its postal code (« 75002
 * Paris », « F-69003 Lyon », « 92400 Courbevoie Cedex »); the whole line when it does not read that way.
 */
export function cityOf(address: string): string {
  const last = address.split('\n').map((line) => line.trim()).filter(Boolean).at(-1) ?? '';
  const match = /^(?:[A-Z]{1,2}[- ]?)?\d{4,5}\s+(.+?)(?:\s+cedex(?:\s+\d{1,2})?)?$/i.exec(last);
  return match ? match[1] : last;
}

/** A name safe in any file system and URL: the invoice id may hold spaces, slashes or accents. */
function fileSafe(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^0-9A-Za-z_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
}

function invoiceTable(w: Writer<WordingContext>): Table {
  const { invoice } = w.ctx;
  const labels = w.invoiceLabels;
  const purchaseOrder = invoice.registration.purchaseOrder;
  return {
    columns: [
      { header: labels.invoiceNumber, width: purchaseOrder ? 0.22 : 0.4 },
      { header: labels.issueDate, width: 0.2 },
      { header: labels.dueDate, width: 0.2 },
      { header: labels.amount, width: 0.2, align: 'right' },
      ...(purchaseOrder ? [{ header: labels.purchaseOrder, width: 0.18 }] : []),
    ],
    rows: [[
      invoice.invoiceId,
      w.date(invoice.issueDate),
      w.date(invoice.dueDate),
      w.money(invoice.amount),
      ...(purchaseOrder ? [purchaseOrder] : []),
    ]],
  };
}

export async function renderFormalNoticeLetter(ctx: FormalNoticeLetterContext): Promise<RenderedLetter> {
  const w = new Writer<WordingContext>(ctx);
  const notice = formalNoticeWording(w);
  const { creditor, invoice, language } = ctx;
  const { customer } = invoice;
  const letter = new PdfWriter({
    language,
    title: w.t(fr`Mise en demeure de payer — facture ${invoice.invoiceId}`, `Formal notice to pay — invoice ${invoice.invoiceId}`),
    author: creditor.name,
    subject: customer.name,
    date: new Date(`${ctx.date}T00:00:00Z`),
    footer: legalMentions(creditor, language),
  });
  const date = w.date(ctx.date);
  letter.letterHead({
    sender: [creditor.name, ...creditor.address.split('\n').map((line) => line.trim()).filter(Boolean), `${creditor.team.name} · ${w.teamPhone()}`],
    recipient: [customer.name, notice.attention, ...(customer.address ? addressLines(customer.address) : [])],
    recipientDetails: customer.legalId ? [legalIdLabel(customer.legalId, language)] : [],
    placeAndDate: w.t(fr`${cityOf(creditor.address)}, le ${date}`, `${cityOf(creditor.address)}, ${date}`),
    sending: ctx.channel === 'registered_letter'
      ? w.t(fr`Lettre recommandée avec accusé de réception`, 'Registered letter with acknowledgment of receipt')
      : w.t(fr`Envoyée par courriel`, 'Sent by email'),
    subject: notice.subjectLine,
  });
  letter
    .paragraph(notice.salutation)
    .paragraph(notice.opening)
    .table(invoiceTable(w))
    .blocks(notice.body)
    .blocks(w.bankDetails())
    .signature({ closing: w.closing(true), ...creditor.signatory, organisation: creditor.name });
  const name = language === 'fr' ? 'mise-en-demeure' : 'formal-notice';
  return { filename: `${name}-${fileSafe(invoice.invoiceId)}-${ctx.date}.pdf`, pdf: await letter.finish() };
}
