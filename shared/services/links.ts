/**
 * Customer links: `/r/{token}` with 192 random bits, stored only as a SHA-256 hash, bound to one invoice and one
 * contact, expiring. The token never carries or reveals a task token.
 */
import { randomBytes } from 'node:crypto';
import { addDays, localDate, sendInstant, type BusinessCalendar } from '../domain/calendar';
import { GoneError, NotFoundError } from '../domain/errors';
import { timelineEntry, type Contact, type InvoiceRecord } from '../domain/invoice';
import type { DunningPolicy } from '../domain/policy';
import type { LinkRecord } from '../domain/link';
import type { InvoiceStore } from '../ports';
import { sha256 } from '../domain/hashing';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/;

export const hashToken = (token: string) => sha256(token);

/** Creates and stores a link for one contact of an invoice; returns the token to put in the URL. */
export async function issueLink(
  store: InvoiceStore,
  record: InvoiceRecord,
  contact: Contact,
  policy: DunningPolicy,
  calendar: BusinessCalendar,
  now: Date,
): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  const link: LinkRecord = {
    tokenHash: hashToken(token),
    invoiceId: record.invoiceId,
    contactEmail: contact.email,
    language: record.customer.language,
    allowedActions: ['promise', 'dispute', 'question'],
    createdAt: now.toISOString(),
    expiresAt: linkExpiry(record, policy, calendar),
    uses: 0,
  };
  await store.putLink(link);
  return token;
}

/**
 * Creates a statement link for one contact of a customer: the page lists every open invoice of the customer. It lives
 * as long as the longest-lived invoice link of the email it goes with (`expiresAt`).
 */
export async function issueStatementLink(store: InvoiceStore, occasion: InvoiceRecord, contact: Contact, expiresAt: string, now: Date): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await store.putLink({
    tokenHash: hashToken(token),
    invoiceId: occasion.invoiceId,
    statementOf: occasion.customer.id,
    contactEmail: contact.email,
    language: occasion.customer.language,
    allowedActions: ['promise', 'dispute', 'question'],
    createdAt: now.toISOString(),
    expiresAt,
    uses: 0,
  });
  return token;
}

/** When an invoice's links expire. */
export function linkExpiry(record: InvoiceRecord, policy: DunningPolicy, calendar: BusinessCalendar): string {
  return sendInstant(addDays(record.dueDate, policy.linkValidityDaysAfterDue), calendar);
}

/** Finds a link by its token; a malformed or unknown token is 404, an expired one 410. */
export async function findLink(store: InvoiceStore, token: string, now: Date): Promise<LinkRecord> {
  if (!TOKEN_SHAPE.test(token)) throw new NotFoundError('This link is not valid.');
  const link = await store.getLink(hashToken(token));
  if (!link) throw new NotFoundError('This link is not valid.');
  if (link.expiresAt <= now.toISOString()) throw new GoneError('This link has expired.');
  return link;
}

/**
 * Notes a view of the page behind a link. Mail scanners and impatient readers open a link many times: the first view
 * of a link on a day goes on the timeline, the others only count, so no amount of viewing grows the invoice's history.
 */
export async function recordPageView(
  store: InvoiceStore,
  link: LinkRecord,
  calendar: Pick<BusinessCalendar, 'timeZone'>,
  now: Date,
): Promise<void> {
  const day = localDate(now, calendar);
  if ((await store.countPageView(link.invoiceId, link.tokenHash, day)) !== 1) return;
  await store.appendTimeline(link.invoiceId, [timelineEntry('page_viewed', now, { contact: link.contactEmail, firstViewOfDay: day })]);
}
