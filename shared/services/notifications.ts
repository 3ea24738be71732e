/**
 * Sending the product's emails at most once per step: every email is claimed in the store under a key made of the
 * step and the recipient before it leaves, so a retried Lambda never sends it twice. Nothing leaves for a closed
 * invoice, and nothing goes to an address that bounced or complained.
 */
import { localDate } from '../domain/calendar';
import { sha256 } from '../domain/hashing';
import type { Creditor } from '../domain/creditor';
import { renderCustomerEmail, renderTeamEmail } from '../rendering/email';
import type { CustomerEmailKind, TeamEmailContext, TeamEmailKind } from '../rendering/email/kinds';
import { invoiceClaim } from '../domain/invoice-claim';
import { isClosed, invoicePolicy, type WorkflowSettings } from '../domain/workflow';
import { isSuppressed, timelineEntry, type InvoiceRecord, type TimelineEntry } from '../domain/invoice';
import { issueLink, issueStatementLink, linkExpiry } from './links';
import { invoiceDocumentKey, type Dependencies, type EmailAttachment, type EmailClaim, type OutgoingEmail } from '../ports';

/** What the emails need to know of the deployment: who sends, who the team is, where the links point. */
export interface NotificationSettings extends WorkflowSettings {
  creditor: Creditor;
  /** The creditor's credit team, which receives every team email. */
  teamEmail: string;
  /** Who takes over at hand-off (a collection agency, a lawyer): copied on the hand-off and on payments after it. */
  handOffEmail?: string;
  /** Base URL of the customer links (no trailing slash). */
  publicBaseUrl: string;
  /** The language of the team's emails and digest (the creditor's). */
  teamLanguage: 'fr' | 'en';
}

/** SES event tags: the invoice, and the email's cause (its key), so that an email can be told apart from another. */
export const tagsFor = (record: InvoiceRecord, key: string) => ({ invoiceId: record.invoiceId, email: key });

const OVERDUE_EMAILS: ReadonlySet<CustomerEmailKind> = new Set(['reminder', 'penalty_reminder', 'formal_notice']);
/** Emails that may leave before or after the due date: they state the claim only after it. */
const MAYBE_OVERDUE_EMAILS: ReadonlySet<CustomerEmailKind> = new Set(['promise_broken', 'dispute_outcome']);

/** What sending one step's email to the customer's contacts came to. */
export interface CustomerSend {
  /**
   * The timeline entries of the emails that left now (already written to the timeline: callers do not write them
   * again), and of any whose fate an earlier attempt left unknown.
   */
  timeline: TimelineEntry[];
  /**
   * `true`: every reachable contact has this email, sent now or by an earlier attempt of the step. `'unconfirmed'`:
   * for some contact an earlier attempt stopped before SES answered, so it may not have left (the team was told).
   * `false`: no contact can receive email (every address bounced), or the invoice closed before it left.
   */
  emailed: boolean | 'unconfirmed';
}

/**
 * Sends a customer email to every reachable contact, each with a personal answer link, at most once per `key` and
 * contact. Nothing leaves for a closed invoice, also one that closed a moment ago.
 */
export async function sendCustomerEmail(
  deps: Dependencies,
  config: NotificationSettings,
  record: InvoiceRecord,
  kind: CustomerEmailKind,
  key: string,
  /** Files sent with it (the formal notice's letter), already in the document store. */
  attachments: EmailAttachment[] = [],
): Promise<CustomerSend> {
  if (isClosed(record)) return { timeline: [], emailed: false };
  const now = deps.clock.now();
  const policy = invoicePolicy(record, config);
  // Overdue emails state what is legally due; a broken promise made for a date before the due date is not late yet.
  const overdue = OVERDUE_EMAILS.has(kind) || (MAYBE_OVERDUE_EMAILS.has(kind) && localDate(now, config.calendar) > record.dueDate);
  const timeline: TimelineEntry[] = [];
  const reachable = record.customer.contacts.filter((contact) => !isSuppressed(record, contact.email));
  let unconfirmed = false;
  for (const contact of reachable) {
    const claimKey = `${key}:${contact.email}`;
    const document = copyKey(record, claimKey);
    const claimed = await claim(deps, config, record, claimKey, contact.email);
    if (claimed === 'unconfirmed') unconfirmed = true;
    if (claimed !== 'claimed') continue;
    let email: OutgoingEmail;
    try {
      const token = await issueLink(deps.store, record, contact, policy, config.calendar, now);
      const statement = await issueStatementLink(deps.store, record, contact, linkExpiry(record, policy, config.calendar), now);
      const rendered = renderCustomerEmail(kind, {
        creditor: config.creditor,
        invoice: record,
        language: record.customer.language,
        contactName: contact.name,
        answerUrl: `${config.publicBaseUrl}/r/${token}`,
        statementUrl: `${config.publicBaseUrl}/r/${statement}`,
        ...(overdue ? { claim: invoiceClaim(record, config.calendar, now) } : {}),
      });
      // An answer by email reaches the credit team, not the sending address.
      email = {
        to: [contact.email],
        replyTo: [config.teamEmail],
        ...rendered,
        tags: tagsFor(record, key),
        ...(attachments.length ? { attachments } : {}),
      };
      // What the customer receives is kept before it leaves: an email that left always has its copy.
      await deps.documents.put(document, emailDocument(record, kind, email, now), 'application/json');
      // A payment or cancellation may have landed since the record was read: look again at the last moment before sending.
      if (await closedSince(deps, record.invoiceId)) {
        await deps.store.releaseEmailClaim(record.invoiceId, claimKey);
        return { timeline, emailed: false };
      }
    } catch (error) {
      // Nothing was sent: the claim is given back, so that the step's retry sends the email.
      await deps.store.releaseEmailClaim(record.invoiceId, claimKey);
      throw error;
    }
    const [entry] = await sendClaimed(deps, [{ invoiceId: record.invoiceId, claimKey, detail: (messageId) => ({ email: kind, to: contact.email, subject: email.subject, messageId, document }) }], email);
    // The copy again, now with the message id SES gave it (the bucket keeps both versions).
    await deps.documents.put(document, emailDocument(record, kind, email, now, String(entry.messageId)), 'application/json');
    timeline.push(entry);
  }
  return { timeline, emailed: reachable.length === 0 ? false : unconfirmed ? 'unconfirmed' : true };
}

/** Where the copy of an email about an invoice is kept: beside the invoice, named by the email's claim. */
export function copyKey(record: InvoiceRecord, claimKey: string): string {
  return invoiceDocumentKey(record.invoiceId, `emails/${encodeURIComponent(claimKey)}.json`);
}

/** An email as its recipients receive it (both parts), for the evidence: who, what, when, and SES's id once sent. */
export function emailDocument(record: InvoiceRecord, kind: CustomerEmailKind | TeamEmailKind, email: OutgoingEmail, at: Date, messageId?: string): string {
  const { to, replyTo, subject, text, html } = email;
  // Attachments are named, not copied: each is a document of its own, found by its key and checked by its hash.
  const attachments = email.attachments?.map(({ filename, contentType, content, key }) => ({
    filename,
    contentType,
    size: content.byteLength,
    sha256: sha256(content),
    key,
  }));
  return JSON.stringify({
    invoiceId: record.invoiceId,
    kind,
    to,
    replyTo,
    subject,
    text,
    html,
    ...(attachments?.length ? { attachments } : {}),
    renderedAt: at.toISOString(),
    ...(messageId ? { messageId } : {}),
  });
}

/**
 * Claims one email: `claimed` when it is ours to send. `sent` when it left already (its timeline entry is written
 * again, in case the attempt that sent it stopped before writing it). `unconfirmed` when an earlier attempt stopped
 * before SES answered: it may have left, sending it again could make a duplicate, and the team is told once to check
 * (that notice alone is sent again when it stopped the same way).
 */
export async function claim(
  deps: Dependencies,
  config: NotificationSettings,
  record: InvoiceRecord | undefined,
  claimKey: string,
  to: string,
  /** Who claims it, when somebody else may give it back or take it over (a grouped email's slot holder). */
  owner?: string,
): Promise<EmailClaim['state']> {
  const invoiceId = record?.invoiceId ?? TEAM_PARTITION;
  const claimed = await deps.store.claimEmail(invoiceId, claimKey, deps.clock.now().toISOString(), owner);
  if (claimed.state === 'claimed') return 'claimed';
  // The notice that an email may not have left stopped the same way itself: it goes again. The team may get it twice,
  // which is better than a customer email whose fate nobody hears of.
  if (claimed.state === 'unconfirmed' && claimKey.startsWith(UNCONFIRMED)) return 'claimed';
  if (claimed.state === 'sent' && claimed.entry && record) await deps.store.appendTimeline(invoiceId, [claimed.entry]);
  if (claimed.state === 'unconfirmed' && record && !claimKey.startsWith(UNCONFIRMED)) {
    const email = claimKey.split(':')[0];
    // The notice's own timeline entry says which email may not have left: written with the notice and again by any
    // retry that finds it sent, so a failure right after the notice left cannot lose it.
    await sendTeamEmail(deps, config, record, 'email_unconfirmed', `${UNCONFIRMED}${claimKey}`, { facts: { email, to } });
  }
  return claimed.state;
}

/** Team emails that are not about one invoice (the daily digest) keep their claims under this partition. */
const TEAM_PARTITION = '_team';
const UNCONFIRMED = 'unconfirmed@';

/**
 * Whether SES answered, refusing the email (throttling, an outage, a bad request): then it did not leave. An error
 * without an answer (a timeout, a reset connection) leaves that open: SES may have accepted it.
 */
export function refusedBySes(error: unknown): boolean {
  return typeof (error as { $metadata?: { httpStatusCode?: unknown } })?.$metadata?.httpStatusCode === 'number';
}

/** One email's claim, held for one invoice: what its timeline entry says once SES gave the message id. */
export interface HeldClaim {
  invoiceId: string;
  claimKey: string;
  detail: (messageId: string) => Record<string, unknown>;
}

/**
 * Sends an email whose claims are held (one per invoice it is about: several for a grouped email), then writes each
 * claim's timeline entry (kept with the claim too, for a retry). If SES refused it, the email did not leave: the claims
 * are given back so that the step's retry sends it, instead of finding them and skipping it for good. If SES did not
 * answer, the claims stay unconfirmed: the retry tells the team rather than risk a second copy.
 */
export async function sendClaimed(
  deps: Pick<Dependencies, 'store' | 'mailer' | 'clock' | 'telemetry'>,
  claims: HeldClaim[],
  email: OutgoingEmail,
  type: 'email_sent' | 'team_notified' | 'email_unconfirmed' = 'email_sent',
): Promise<TimelineEntry[]> {
  let messageId: string;
  try {
    messageId = await deps.mailer.send(email);
  } catch (error) {
    if (refusedBySes(error)) await Promise.all(claims.map(({ invoiceId, claimKey }) => deps.store.releaseEmailClaim(invoiceId, claimKey)));
    throw error;
  }
  const invoiceIds = claims.length > 1 ? claims.map(({ invoiceId }) => invoiceId) : undefined;
  const details = claims.map(({ detail }) => detail(messageId));
  const kind = String(details[0]?.email ?? type);
  deps.telemetry?.count('EmailsSent', { kind });
  deps.telemetry?.info('email sent', { kind, invoiceIds: claims.map(({ invoiceId }) => invoiceId), messageId, recipients: email.to.length });
  return Promise.all(
    claims.map(async ({ invoiceId, claimKey }, i) => {
      const entry = { ...timelineEntry(type, deps.clock.now(), details[i]!), eventId: `email:${claimKey}` };
      await deps.store.recordEmailSent(invoiceId, claimKey, messageId, email.to, entry, invoiceIds);
      if (invoiceId !== TEAM_PARTITION) await deps.store.appendTimeline(invoiceId, [entry]);
      return entry;
    }),
  );
}

export async function closedSince(deps: Pick<Dependencies, 'store'>, invoiceId: string): Promise<boolean> {
  const current = await deps.store.getInvoice(invoiceId);
  return !current || isClosed(current);
}

/**
 * Sends a notification to the creditor's team (and to `cc`, say the collection agency after a hand-off), once per key.
 * Resolves with its timeline entry, already written, or nothing when it was sent before.
 */
export async function sendTeamEmail(
  deps: Dependencies,
  config: NotificationSettings,
  record: InvoiceRecord | undefined,
  kind: TeamEmailKind,
  key: string,
  context: Omit<TeamEmailContext, 'creditor' | 'invoice' | 'language' | 'timeZone'> = {},
  cc: string[] = [],
  attachments: EmailAttachment[] = [],
): Promise<TimelineEntry[]> {
  const invoiceId = record?.invoiceId ?? TEAM_PARTITION;
  const claimKey = `${key}:team`;
  if ((await claim(deps, config, record, claimKey, config.teamEmail)) !== 'claimed') return [];
  const rendered = renderTeamEmail(kind, {
    creditor: config.creditor,
    language: config.teamLanguage,
    timeZone: config.calendar.timeZone,
    ...(record ? { invoice: record } : {}),
    ...context,
  });
  const email = {
    to: [config.teamEmail, ...cc.filter((address) => address !== config.teamEmail)],
    ...rendered,
    tags: record ? tagsFor(record, key) : { email: kind },
    ...(attachments.length ? { attachments } : {}),
  };
  // What the team was told about an invoice is evidence too (a call task, the letter to post, the hand-off).
  const document = record && copyKey(record, claimKey);
  if (record && document) {
    try {
      await deps.documents.put(document, emailDocument(record, kind, email, deps.clock.now()), 'application/json');
    } catch (error) {
      await deps.store.releaseEmailClaim(invoiceId, claimKey);
      throw error;
    }
  }
  // The notice that an email may not have left is about that email; every other one is about its own kind.
  const { email: unconfirmed, to } = context.facts ?? {};
  const about = kind === 'email_unconfirmed' ? { email: unconfirmed, to } : { email: kind };
  const type = kind === 'email_unconfirmed' ? 'email_unconfirmed' : 'team_notified';
  const [entry] = await sendClaimed(deps, [{ invoiceId, claimKey, detail: (messageId) => ({ ...about, messageId, ...(document ? { document } : {}) }) }], email, type);
  if (record && document) await deps.documents.put(document, emailDocument(record, kind, email, deps.clock.now(), String(entry.messageId)), 'application/json');
  return [entry];
}
