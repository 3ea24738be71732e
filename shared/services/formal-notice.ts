/**
 * The formal notice as documents: the letter in two PDFs rendered from one claim (the copy attached to the email, and
 * the letter to post, which alone says "registered letter"), both kept in the document store before anything leaves,
 * then the letter handed over for registered post — to a provider when one is wired, otherwise to the credit team as
 * a task that carries the PDF and the address.
 */
import { localDate } from '../domain/calendar';
import type { InvoiceRecord } from '../domain/invoice';
import { invoiceClaim } from '../domain/invoice-claim';
import { letterRequested, letterWithProvider } from '../domain/registered-letter';
import { invoicePolicy, isClosed } from '../domain/workflow';
import { invoiceDocumentKey, type Dependencies, type EmailAttachment, type LetterDispatch } from '../ports';
import { sendTeamEmail, type NotificationSettings } from './notifications';
import { mutateInvoice } from './record-updates';

export interface FormalNoticeDocuments {
  /** Attached to the customer's email: the same letter, sent by email. */
  email: EmailAttachment;
  /** To post by registered letter with acknowledgment of receipt. */
  letter: EmailAttachment;
}

/** Renders and stores the two PDFs of the formal notice sent under `key` (the ladder rung's email key). */
export async function prepareFormalNotice(deps: Dependencies, config: NotificationSettings, record: InvoiceRecord, key: string): Promise<FormalNoticeDocuments> {
  const now = deps.clock.now();
  const context = {
    creditor: config.creditor,
    invoice: record,
    language: record.customer.language,
    contactName: record.customer.contacts[0]?.name ?? record.customer.name,
    answerUrl: config.publicBaseUrl,
    claim: invoiceClaim(record, config.calendar, now),
    date: localDate(now, config.calendar),
  };
  // Loaded when a notice is due, not when send-email starts: the PDF library and its fonts weigh 0.7 MB, which every
  // cold start of every other email would otherwise pay for.
  const { renderFormalNoticeLetter } = await import('../rendering/letters/formal-notice');
  const render = async (channel: 'email' | 'registered_letter'): Promise<EmailAttachment> => {
    const { filename, pdf } = await renderFormalNoticeLetter({ ...context, channel });
    const documentKey = invoiceDocumentKey(record.invoiceId, `letters/${encodeURIComponent(key)}/${channel}/${encodeURIComponent(filename)}`);
    await deps.documents.put(documentKey, pdf, 'application/pdf');
    return { filename, contentType: 'application/pdf', content: pdf, key: documentKey };
  };
  return { email: await render('email'), letter: await render('registered_letter') };
}

/**
 * Hands the letter over for registered post, at most once per `key`: a provider's adapter keys its own request on it,
 * and the team's task is an email claimed under it like every other. The record names the letter first, so a posting
 * reported at once finds it. Nothing for an invoice that closed meanwhile (undefined).
 */
export async function requestRegisteredLetter(
  deps: Dependencies,
  config: NotificationSettings,
  invoiceId: string,
  key: string,
  letter: EmailAttachment,
): Promise<LetterDispatch | undefined> {
  const { record } = await mutateInvoice(deps, invoiceId, (current, now) => letterRequested(current, letter, now));
  if (isClosed(record)) return undefined;
  const { customer } = record;
  if (deps.letters) {
    const dispatch = await deps.letters.send({
      invoiceId: record.invoiceId,
      key,
      filename: letter.filename,
      content: letter.content,
      documentKey: letter.key,
      recipient: { name: customer.name, ...(customer.address ? { address: customer.address } : {}) },
    });
    if (dispatch.by === 'provider') {
      const provider = { provider: dispatch.provider, reference: dispatch.reference };
      await mutateInvoice(deps, record.invoiceId, (current, now) => letterWithProvider(current, letter.key, provider, now));
    }
    return dispatch;
  }
  const waitDaysAfterPosting = invoicePolicy(record, config).formalNoticeWaitDays;
  await sendTeamEmail(deps, config, record, 'registered_letter', `letter@${key}`, { letter: { filename: letter.filename, waitDaysAfterPosting } }, [], [letter]);
  return { by: 'team' };
}
