/** The invoice record, its events and its timeline: the shapes every handler and adapter shares. */
import type { ExecutionState } from './execution-state';
import type { Money } from './money';
import type { Claim, Waiver } from './claim';
import type { PolicyOverrides } from './policy';
import type { DisputeReason, DocumentKind, RegisterInvoiceBody } from './schemas';
import type * as z from 'zod/mini';
import type { Contact, PaymentMethod } from './schemas';

export type Contact = z.infer<typeof Contact>;
export type PaymentMethod = z.infer<typeof PaymentMethod>;

export const STATUSES = [
  'scheduled',
  'awaiting_reply',
  'promised',
  'disputed',
  'overdue',
  'paid',
  'cancelled',
  'handed_off',
] as const;
export type InvoiceStatus = (typeof STATUSES)[number];

export const CLOSED_STATUSES: ReadonlySet<InvoiceStatus> = new Set(['paid', 'cancelled', 'handed_off']);

/** Where the execution stands; the workflow decides what an event means from it. */
export type Phase = 'before_pre_reminder' | 'awaiting_reply' | 'promised' | 'disputed' | 'overdue' | 'closed';

export interface PaymentPromise {
  date: string;
  method?: PaymentMethod;
  /** The promised date lies after the due date: still a commitment, flagged for the team. */
  afterDueDate: boolean;
  at: string;
  source: 'customer' | 'call';
  /** Set when no payment came by the promised date plus grace: the promise no longer holds. */
  brokenAt?: string;
}

export interface Dispute {
  reason: DisputeReason | 'call';
  message?: string;
  at: string;
  status: 'open' | 'resolved';
  outcome?: 'rejected' | 'corrected_amount' | 'credit_note';
}

/**
 * Something that happened to the invoice and that the execution must see exactly once. It is written to the record
 * first; the park step and the signal both read it from there.
 */
export type WorkflowEventType =
  | 'payment'
  | 'cancelled'
  | 'due_date_changed'
  | 'promise'
  | 'dispute'
  | 'question'
  | 'dispute_resolved'
  /** The formal notice's registered letter was posted or received: the hand-off's time moves. */
  | 'registered_letter'
  /** The customer says our bank details differ from the ones it holds: the team is alerted at once. */
  | 'bank_details';

export interface WorkflowEvent {
  seq: number;
  type: WorkflowEventType;
  at: string;
  /** What the team needs to act on (a question's text and who asked). */
  detail?: Record<string, string>;
}

/**
 * What a step or an operation does to an invoice: the record as it should be written, the timeline entries to append,
 * and the event (if any) the execution must see, appended to `pendingEvents` with the next sequence number.
 */
export interface Change {
  record: InvoiceRecord;
  timeline?: TimelineEntry[];
  event?: { type: WorkflowEventType; detail?: Record<string, string> };
}

export interface AttachedDocument {
  kind: DocumentKind;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  /** Where it is in the documents bucket. */
  key: string;
  at: string;
}

/**
 * The formal notice's registered letter with acknowledgment of receipt (LRAR): asked for when the notice leaves, then
 * posted and received as the team (or a provider) records it. The hand-off waits for its deadline.
 */
export interface RegisteredLetter {
  /** When the formal notice asked for it. */
  requestedAt: string;
  /** The letter to post, as a PDF in the documents bucket, and its file name. */
  key: string;
  filename: string;
  /** Who posts it: the team, or a registered-letter provider under its own reference. */
  by: 'team' | { provider: string; reference: string };
  /** Posting and receipt as recorded: a day (YYYY-MM-DD) or an instant, as given. */
  postedAt?: string;
  trackingNumber?: string;
  receivedAt?: string;
}

export interface InvoiceRecord {
  invoiceId: string;
  /** The registration body as received, kept for idempotency and the evidence file. */
  registration: RegisterInvoiceBody;
  /** Hash of the canonical registration body: same id, other body → 409. */
  registrationHash: string;
  customer: RegisterInvoiceBody['customer'];
  amount: Money;
  outstanding: Money;
  issueDate: string;
  dueDate: string;
  status: InvoiceStatus;
  partiallyPaid: boolean;
  phase: Phase;
  warnings: string[];
  policy?: PolicyOverrides;
  /** `invoice-id-r1`; the revision grows when the execution is restarted. */
  executionName: string;
  revision: number;
  preReminderAt: string;
  /** Set when the execution starts later through EventBridge Scheduler. */
  scheduledStartAt?: string;
  /** Next time the execution acts on its own (for operator queues). */
  nextActionAt?: string;
  promise?: PaymentPromise;
  dispute?: Dispute;
  /** Payment references already counted: the same reference twice counts once. */
  paymentReferences: string[];
  /** Money applied to the principal, by the day it was paid (creditor's calendar): the claim's bases come from it. */
  payments?: { date: string; value: number }[];
  /** Money received beyond the principal and applied to the penalties and the indemnity (minor units). */
  penaltiesPaid?: number;
  /** The penalties and the indemnity given up, by policy once the principal was paid or by an operator. */
  waiver?: Waiver;
  /** Supporting documents attached for the evidence file (contract, order, delivery proof...), stored in S3. */
  documents?: AttachedDocument[];
  /** When the formal notice left: a consumer's legal interest runs from the next day. */
  formalNoticeAt?: string;
  registeredLetter?: RegisteredLetter;
  /** The customer's last answer on our bank details, and who gave it. */
  bankDetailsCheck?: { answer: 'match' | 'differ'; at: string; contact: string; message?: string };
  /** Money received beyond what was owed (an overpayment, a payment after cancellation): due back to the customer. */
  creditBalance?: Money;
  /** When the invoice was handed off to legal; kept when a later payment settles it. */
  handedOffAt?: string;
  /**
   * What the evidence file fixes at the hand-off, written in the very write that hands off: the invoice as it stood
   * and the penalties then due. The rest of the file (every email, answer and payment) comes from the timeline.
   */
  handOffEvidence?: { atHandOff: ReturnType<typeof invoiceView>; claim?: Claim; /** Written by earlier versions. */ penalties?: unknown };
  /** How many times the due date was changed: a new due date is a new cause for the pre-reminder. */
  dueDateChanges?: number;
  /** Contacts whose address bounced or complained: no more email to them. */
  suppressedEmails: string[];
  /** When the pre-reminder for the current due date left (absent: not yet). */
  preReminderSentFor?: string;
  /**
   * Overdue ladder rungs already carried out, and when the last one happened. `cycle` counts the times the ladder
   * started again from its first rung (a due date moved into the future): each cycle's emails are new ones.
   */
  escalation: { done: number; lastAt?: string; cycle?: number };
  /** Events not yet taken by the execution, oldest first. */
  pendingEvents: WorkflowEvent[];
  lastEventSeq: number;
  /** The task token of the parked wait, if the execution is parked. Never leaves the database. */
  parkedToken?: string;
  /**
   * The wait the token belongs to and the execution state it parked with: whoever wakes it can take the event in the
   * execution's place (`checkFor`) and send it straight on to its step.
   */
  parkedWait?: { phase: Phase; state: ExecutionState };
  /**
   * A callback step ("Carry out escalation step", "Hand off to legal") that could not send its execution on (throttled):
   * its token and the state to send, for the buffered wake-up. Never leaves the database.
   */
  sendingOn?: { token: string; state: ExecutionState };
  /** How many times the current revision's execution parked: each park adds some 25 events to its history. */
  parks?: number;
  /**
   * The token of an execution that handed the invoice to a new revision and could not wake itself to end (throttled):
   * the buffered wake-up ends it. Never leaves the database.
   */
  retiringToken?: string;
  /**
   * The result of the last check (of the execution state's `step`), so that a retried check returns the same answer.
   * `routeTo`: a waker took it for the wait parked on this token and sends it on; a buffered wake-up sends it again if
   * that was throttled. Never leaves the database.
   */
  lastCheck?: { step: number; result: unknown; routeTo?: string };
  /**
   * The timeline entries of the change that wrote this version, and of any earlier change whose entries could not be
   * written yet, one group per change: they are durable the moment the record is, even if writing them to the timeline
   * failed (see services/record-updates.ts).
   */
  timelineOutbox?: TimelineEntry[][];
  createdAt: string;
  updatedAt: string;
  /** Optimistic lock: every write is conditional on the version it read. */
  version: number;
}

export type TimelineType =
  | 'registered'
  | 'execution_started'
  | 'execution_restarted'
  | 'execution_continued'
  | 'start_scheduled'
  | 'email_sent'
  | 'email_skipped'
  | 'email_delivered'
  | 'email_bounced'
  | 'email_complaint'
  | 'page_viewed'
  | 'promise'
  | 'promise_broken'
  | 'dispute'
  | 'dispute_resolved'
  | 'question'
  | 'payment'
  | 'cancelled'
  | 'due_date_changed'
  | 'contacts_changed'
  | 'team_notified'
  | 'call_task'
  | 'call_outcome'
  | 'escalation'
  | 'handed_off'
  | 'needs_attention'
  | 'penalties_waived'
  | 'penalties_claimable'
  | 'document_attached'
  | 'email_unconfirmed'
  /** The formal notice's letter: asked of the team (or a provider), posted, received. */
  | 'registered_letter_requested'
  | 'registered_letter_posted'
  | 'registered_letter_received'
  /** The evidence bundle was written (its key and SHA-256). */
  | 'evidence_bundle'
  /** The customer compared our bank details with the ones it holds: they match, or they differ (possible fraud). */
  | 'bank_details_confirmed'
  | 'bank_details_differ';

export interface TimelineEntry {
  type: TimelineType;
  at: string;
  /**
   * The id of the external event the entry records (an SES event delivered at least once): the store writes such an
   * entry under a key derived from it, so the same event delivered again adds nothing.
   */
  eventId?: string;
  [detail: string]: unknown;
}

/** A timeline entry of `type` at `now`, with its details; `eventId` when it records an external event. */
export function timelineEntry(
  type: TimelineType,
  now: Date,
  detail: Record<string, unknown> = {},
  options: { eventId?: string } = {},
): TimelineEntry {
  return { type, at: now.toISOString(), ...detail, ...(options.eventId === undefined ? {} : { eventId: options.eventId }) };
}

/** The letter as the API shows it: where it is in the bucket stays inside. */
function letterView({ key: _key, ...letter }: RegisteredLetter) {
  return letter;
}

/** What the API returns for an invoice. */
export function invoiceView(record: InvoiceRecord, timeline?: TimelineEntry[]) {
  return {
    invoiceId: record.invoiceId,
    status: record.status,
    partiallyPaid: record.partiallyPaid,
    customer: record.customer,
    amount: record.amount,
    outstanding: record.outstanding,
    issueDate: record.issueDate,
    dueDate: record.dueDate,
    executionName: record.executionName,
    preReminderAt: record.preReminderAt,
    ...(record.scheduledStartAt ? { scheduledStartAt: record.scheduledStartAt } : {}),
    ...(record.nextActionAt ? { nextActionAt: record.nextActionAt } : {}),
    ...(record.promise ? { promise: record.promise } : {}),
    ...(record.dispute ? { dispute: record.dispute } : {}),
    ...(record.creditBalance ? { creditBalance: record.creditBalance } : {}),
    ...(record.handedOffAt ? { handedOffAt: record.handedOffAt } : {}),
    ...(record.waiver ? { waiver: record.waiver } : {}),
    ...(record.formalNoticeAt ? { formalNoticeAt: record.formalNoticeAt } : {}),
    ...(record.registeredLetter ? { registeredLetter: letterView(record.registeredLetter) } : {}),
    ...(record.bankDetailsCheck ? { bankDetailsCheck: record.bankDetailsCheck } : {}),
    ...(record.documents?.length ? { documents: record.documents.map(({ kind, filename, contentType, size, sha256, at }) => ({ kind, filename, contentType, size, sha256, at })) } : {}),
    warnings: record.warnings,
    ...(timeline ? { timeline } : {}),
  };
}

/**
 * Whether two addresses are one mailbox: compared without case, as mail systems do in practice (and SES reports a
 * bounce in the spelling it was sent to, which a grouped email took from another invoice's record).
 */
export function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Whether an address bounced or complained for this invoice: no more email goes to it. */
export function isSuppressed(record: Pick<InvoiceRecord, 'suppressedEmails'>, email: string): boolean {
  return record.suppressedEmails.some((suppressed) => sameAddress(suppressed, email));
}
