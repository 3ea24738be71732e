/**
 * The formal notice's registered letter with acknowledgment of receipt (DESIGN.md §1 "Formal notice"): what the team
 * records of it, and when the hand-off may come after it. The notice gives the debtor 8 days from its receipt; a
 * deadline counted in days ends with its last day, and one ending on a Saturday, a Sunday or a holiday runs to the
 * next business day (Code de procédure civile 641 and 642, the practice for contractual deadlines too).
 */
import { addDays, datedInFuture, dayOf, localDate, onOrAfterBusinessDay, type BusinessCalendar } from './calendar';
import { ConflictError, ValidationError } from './errors';
import { CLOSED_STATUSES, timelineEntry, type Change, type InvoiceRecord, type RegisteredLetter } from './invoice';
import type { DunningPolicy } from './policy';
import type { FormalNoticeBody } from './schemas';

/** The days the formal notice gives the debtor from its receipt, as the letter states them. */
export const FORMAL_NOTICE_PERIOD_DAYS = 8;

/**
 * The team (or a provider) records the letter's posting, then its receipt; the same facts again change nothing. A new
 * tracking number is a new posting (the first came back): the receipt of the earlier one no longer counts. Accepted
 * whatever the invoice's status, since the evidence file is completed after a hand-off too, but only once a formal
 * notice asked for a letter. The execution hears of it, as the hand-off's time may move.
 */
export function registeredLetterRecording(
  record: InvoiceRecord,
  body: FormalNoticeBody,
  calendar: BusinessCalendar,
  now: Date,
): Change | undefined {
  const letter = record.registeredLetter;
  if (!letter) {
    throw new ConflictError('no_formal_notice', `No formal notice has been sent for invoice ${record.invoiceId}: there is no registered letter to record yet.`);
  }
  const problems = letterDateProblems(letter, body, calendar, now);
  if (problems.length) throw new ValidationError('The request is not valid.', problems);
  const newPosting = letter.trackingNumber !== undefined && letter.trackingNumber !== body.trackingNumber;
  const recorded: RegisteredLetter = {
    ...letter,
    postedAt: body.postedAt,
    trackingNumber: body.trackingNumber,
    receivedAt: body.receivedAt ?? (newPosting ? undefined : letter.receivedAt),
  };
  const posted = recorded.postedAt !== letter.postedAt || recorded.trackingNumber !== letter.trackingNumber;
  const received = recorded.receivedAt !== undefined && recorded.receivedAt !== letter.receivedAt;
  if (!posted && !received) return undefined;
  const facts = { trackingNumber: recorded.trackingNumber, postedAt: recorded.postedAt };
  return {
    record: { ...record, registeredLetter: recorded },
    timeline: [
      ...(posted ? [timelineEntry('registered_letter_posted', now, { ...facts, ...(newPosting ? { replaces: letter.trackingNumber } : {}) })] : []),
      ...(received ? [timelineEntry('registered_letter_received', now, { ...facts, receivedAt: recorded.receivedAt })] : []),
    ],
    // A closed invoice has no execution left to tell.
    ...(CLOSED_STATUSES.has(record.status) ? {} : { event: { type: 'registered_letter' as const, detail: { trackingNumber: body.trackingNumber } } }),
  };
}

function letterDateProblems(letter: RegisteredLetter, body: FormalNoticeBody, calendar: BusinessCalendar, now: Date) {
  const problems: { path: string; message: string }[] = [];
  const written = localDate(letter.requestedAt, calendar);
  if (datedInFuture(body.postedAt, calendar, now)) problems.push({ path: 'postedAt', message: 'a letter cannot be posted in the future' });
  else if (dayOf(body.postedAt, calendar) < written) problems.push({ path: 'postedAt', message: `the letter was written on ${written}: it cannot have been posted before` });
  if (body.receivedAt !== undefined) {
    if (datedInFuture(body.receivedAt, calendar, now)) problems.push({ path: 'receivedAt', message: 'a letter cannot be received in the future' });
    else if (dayOf(body.receivedAt, calendar) < dayOf(body.postedAt, calendar)) problems.push({ path: 'receivedAt', message: 'a letter cannot be received before it was posted' });
  }
  return problems;
}

/**
 * The first day the hand-off may come after the formal notice, or undefined when no notice was served on this ladder:
 * - the letter received: the day after the notice's 8 days from receipt have run;
 * - the letter posted, no receipt recorded: the policy's delay (`formalNoticeWaitDays`) from posting, which covers
 *   delivery and the 8 days;
 * - no letter posted: the same delay from the email notice. The team was asked to post the letter and is reminded
 *   every morning while it is not; the evidence file says plainly that none was recorded.
 */
export function handOffNotBefore(record: InvoiceRecord, policy: DunningPolicy, calendar: BusinessCalendar): string | undefined {
  const letter = record.registeredLetter;
  if (letter?.receivedAt) {
    const lastDay = onOrAfterBusinessDay(addDays(dayOf(letter.receivedAt, calendar), FORMAL_NOTICE_PERIOD_DAYS), calendar);
    return addDays(lastDay, 1);
  }
  if (letter?.postedAt) return addDays(dayOf(letter.postedAt, calendar), policy.formalNoticeWaitDays);
  const lastRung = policy.ladder[record.escalation.done - 1];
  const servedAt = record.formalNoticeAt ?? (lastRung?.action === 'formal_notice' ? record.escalation.lastAt : undefined);
  return servedAt ? addDays(localDate(servedAt, calendar), policy.formalNoticeWaitDays) : undefined;
}

/**
 * The formal notice asks for its letter: on the record before anyone is asked to post it, so that a posting reported at
 * once (a provider's callback, a quick operator) finds its letter. The same letter again changes nothing; the letter
 * of a later notice (a new ladder cycle) replaces it. None for an invoice paid or cancelled meanwhile.
 */
export function letterRequested(record: InvoiceRecord, letter: { key: string; filename: string }, now: Date): Change | undefined {
  if (record.registeredLetter?.key === letter.key || CLOSED_STATUSES.has(record.status)) return undefined;
  return {
    record: { ...record, registeredLetter: { requestedAt: now.toISOString(), key: letter.key, filename: letter.filename, by: 'team' } },
    timeline: [timelineEntry('registered_letter_requested', now, { filename: letter.filename, by: 'team', ...(record.customer.address ? {} : { address: 'none given' }) })],
  };
}

/** A provider took the letter under its own reference: who posts it changes, nothing else (a posting may be recorded). */
export function letterWithProvider(record: InvoiceRecord, key: string, provider: { provider: string; reference: string }, now: Date): Change | undefined {
  const letter = record.registeredLetter;
  if (!letter || letter.key !== key || typeof letter.by === 'object') return undefined;
  return {
    record: { ...record, registeredLetter: { ...letter, by: provider } },
    timeline: [timelineEntry('registered_letter_requested', now, { filename: letter.filename, by: provider })],
  };
}

/**
 * Whether the team still has a letter to post: asked for, not posted, on an invoice still on the ladder. Not once a
 * dispute, a promise or a payment changed the course: the stored letter states the claim of its day, and posting it
 * then could claim what is no longer owed.
 */
export function letterToPost(record: InvoiceRecord): boolean {
  return record.registeredLetter !== undefined && record.registeredLetter.postedAt === undefined && record.status === 'overdue' && !record.partiallyPaid;
}
