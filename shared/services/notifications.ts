/**
 * Sending the product's emails at most once per step: every email is claimed in the store under a key made of the
 * step and the recipient before it leaves, so a retried Lambda never sends it twice. Nothing leaves for a closed
 * invoice, and nothing goes to an address that bounced or complained.
 */
import { localDate } from '../domain/calendar';
import type { Creditor } from '../domain/creditor';
import { renderCustomerEmail, renderTeamEmail } from '../rendering/email';
import type { CustomerEmailKind, TeamEmailContext, TeamEmailKind } from '../rendering/email/kinds';
import { penaltiesFor } from '../domain/penalties';
import { isClosed, invoicePolicy, type WorkflowSettings } from '../domain/workflow';
import { timelineEntry, type InvoiceRecord, type TimelineEntry } from '../domain/invoice';
import { issueLink } from './links';
import type { Dependencies, OutgoingEmail } from '../ports';

/** What the emails need to know of the deployment: who sends, who the team is, where the links point. */
export interface NotificationSettings extends WorkflowSettings {
  creditor: Creditor;
  /** The creditor's credit team, which receives every team email. */
  teamEmail: string;
  /** Base URL of the customer links (no trailing slash). */
  publicBaseUrl: string;
}

const tagsFor = (record: InvoiceRecord, key: string) => ({ invoiceId: record.invoiceId, email: key.split(':')[0] });

/**
 * Sends a customer email to every reachable contact, each with a personal answer link. Returns the timeline entries
 * of what left (empty when the invoice is closed or every address is suppressed).
 */
export async function sendCustomerEmail(
  deps: Dependencies,
  config: NotificationSettings,
  record: InvoiceRecord,
  kind: CustomerEmailKind,
  key: string,
): Promise<TimelineEntry[]> {
  if (isClosed(record)) return [];
  const now = deps.clock.now();
  const policy = invoicePolicy(record, config);
  // Overdue emails state what is legally due; a broken promise made for a date before the due date is not late yet.
  const needsPenalties = kind === 'penalty_reminder' || kind === 'formal_notice' || kind === 'reminder' ||
    (kind === 'promise_broken' && localDate(now, config.calendar) > record.dueDate);
  const sent: TimelineEntry[] = [];
  for (const contact of record.customer.contacts) {
    if (record.suppressedEmails.includes(contact.email)) continue;
    const claimKey = `${key}:${contact.email}`;
    if ((await deps.store.claimEmail(record.invoiceId, claimKey, now.toISOString())) === 'already_claimed') continue;
    // A payment or cancellation may have landed since the record was read: look again right before sending.
    if (await closedSince(deps, record.invoiceId)) break;
    const token = await issueLink(deps.store, record, contact, policy, config.calendar, now);
    const rendered = renderCustomerEmail(kind, {
      creditor: config.creditor,
      invoice: record,
      language: record.customer.language,
      contactName: contact.name,
      answerUrl: `${config.publicBaseUrl}/r/${token}`,
      ...(needsPenalties ? { penalties: penaltiesFor(record, config, now) } : {}),
    });
    const messageId = await sendClaimed(deps, record.invoiceId, claimKey, { to: [contact.email], ...rendered, tags: tagsFor(record, key) });
    sent.push(timelineEntry('email_sent', deps.clock.now(), { email: kind, to: contact.email, subject: rendered.subject, messageId }));
  }
  return sent;
}

/**
 * Sends an email whose claim is held. If the provider refuses it (throttling, an outage), the email did not leave: the
 * claim is given back so that the step's retry sends it, instead of finding the claim and skipping it for good.
 */
async function sendClaimed(
  deps: Pick<Dependencies, 'store' | 'mailer'>,
  invoiceId: string,
  claimKey: string,
  email: OutgoingEmail,
): Promise<string> {
  let messageId: string;
  try {
    messageId = await deps.mailer.send(email);
  } catch (error) {
    await deps.store.releaseEmailClaim(invoiceId, claimKey);
    throw error;
  }
  await deps.store.recordEmailSent(invoiceId, claimKey, messageId, email.to);
  return messageId;
}

async function closedSince(deps: Pick<Dependencies, 'store'>, invoiceId: string): Promise<boolean> {
  const current = await deps.store.getInvoice(invoiceId);
  return !current || isClosed(current);
}

/** Sends a notification to the creditor's team, once per key. */
export async function sendTeamEmail(
  deps: Dependencies,
  config: NotificationSettings,
  record: InvoiceRecord | undefined,
  kind: TeamEmailKind,
  key: string,
  context: Omit<TeamEmailContext, 'creditor' | 'invoice'> = {},
): Promise<TimelineEntry[]> {
  const invoiceId = record?.invoiceId ?? '_team';
  const claimKey = `${key}:team`;
  if ((await deps.store.claimEmail(invoiceId, claimKey, deps.clock.now().toISOString())) === 'already_claimed') return [];
  const rendered = renderTeamEmail(kind, { creditor: config.creditor, ...(record ? { invoice: record } : {}), ...context });
  const messageId = await sendClaimed(deps, invoiceId, claimKey, {
    to: [config.teamEmail],
    ...rendered,
    tags: record ? tagsFor(record, key) : { email: kind },
  });
  return [timelineEntry('team_notified', deps.clock.now(), { email: kind, messageId })];
}
