/**
 * The small interfaces the domain talks to. Each has an AWS adapter in `shared/adapters/`; tests and the local
 * runtime plug in the same adapters pointed at emulators (or, for Step Functions, at the local engine's endpoint).
 */
import type { InvoiceRecord, InvoiceStatus, TimelineEntry } from './invoice';

export interface LinkRecord {
  /** SHA-256 of the token, hex: the token itself is never stored. */
  tokenHash: string;
  invoiceId: string;
  contactEmail: string;
  language: 'fr' | 'en';
  allowedActions: ('promise' | 'dispute' | 'question')[];
  createdAt: string;
  expiresAt: string;
  uses: number;
}

export interface ApiKeyRecord {
  keyHash: string;
  name: string;
  createdAt: string;
}

/** An email claim: the marker that makes a step's email leave at most once. */
export type EmailClaim = 'claimed' | 'already_claimed';

export interface InvoiceStore {
  getInvoice(invoiceId: string): Promise<InvoiceRecord | undefined>;
  /** Writes a new record; `false` when one with that id exists already. */
  createInvoice(record: InvoiceRecord): Promise<boolean>;
  /**
   * Replaces the record if its stored version is still `record.version - 1`; throws VersionConflict otherwise.
   * Callers bump `version` themselves (see `mutateInvoice`).
   */
  putInvoice(record: InvoiceRecord): Promise<void>;
  appendTimeline(invoiceId: string, entries: TimelineEntry[]): Promise<void>;
  listTimeline(invoiceId: string): Promise<TimelineEntry[]>;
  /** Claims the right to send the email `key` of this invoice; only the first claim wins. */
  claimEmail(invoiceId: string, key: string, at: string): Promise<EmailClaim>;
  /** Marks the claimed email as sent and indexes its SES message id; `to` lets bounce events name the address. */
  recordEmailSent(invoiceId: string, key: string, messageId: string, to?: string[]): Promise<void>;
  /** Gives a claim back after the provider refused the email, so that a retry sends it; a sent email keeps its claim. */
  releaseEmailClaim(invoiceId: string, key: string): Promise<void>;
  /** Maps an SES message id back to the invoice and email key (for delivery and bounce events). */
  findEmailByMessageId(messageId: string): Promise<{ invoiceId: string; key: string; to: string[] } | undefined>;
  putLink(link: LinkRecord): Promise<void>;
  getLink(tokenHash: string): Promise<LinkRecord | undefined>;
  /** Counts a use of the link; throws TooManyRequestsError beyond `limit` uses per hour. */
  countLinkUse(tokenHash: string, at: string, limit: number): Promise<void>;
  getApiKey(keyHash: string): Promise<ApiKeyRecord | undefined>;
  putApiKey(key: ApiKeyRecord): Promise<void>;
  /** Invoices in a status, soonest next action first (the operator queue index). */
  listByStatus(status: InvoiceStatus, limit?: number): Promise<InvoiceRecord[]>;
  putEvidence(invoiceId: string, evidence: unknown): Promise<void>;
  getEvidence(invoiceId: string): Promise<unknown | undefined>;
}

export interface OutgoingEmail {
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Tags land on SES events, so a bounce finds its invoice without a lookup when possible. */
  tags?: Record<string, string>;
  replyTo?: string[];
}

export interface Mailer {
  /** Sends one email and returns the provider's message id. */
  send(email: OutgoingEmail): Promise<string>;
}

export interface Workflow {
  /** Starts the invoice's execution; starting a name that already runs with the same input is not an error. */
  start(executionName: string, input: object): Promise<void>;
  /** The execution's status (`RUNNING`, `SUCCEEDED`, `FAILED`, ...), or undefined when it was never started. */
  status(executionName: string): Promise<string | undefined>;
  /** Wakes a parked wait. Resolves `false` when the token is no longer waiting (timed out, already woken). */
  wake(taskToken: string, output: object): Promise<boolean>;
  /** Creates a one-time schedule that starts the execution at `at` and then deletes itself. */
  scheduleStart(executionName: string, at: string, input: object): Promise<void>;
  /**
   * Moves a scheduled start to `at`. Resolves `false` when the schedule no longer exists (it has fired: the execution
   * runs and re-plans on its own).
   */
  rescheduleStart(executionName: string, at: string, input: object): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Everything a handler needs besides its input. */
export interface Dependencies {
  store: InvoiceStore;
  mailer: Mailer;
  workflow: Workflow;
  clock: Clock;
}
