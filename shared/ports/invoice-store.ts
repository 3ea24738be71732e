/** Where invoices, their timelines, email claims, links and API keys are kept (DynamoDB in `shared/adapters/`). */
import type { InvoiceRecord, InvoiceStatus, TimelineEntry } from '../domain/invoice';
import type { LinkRecord } from '../domain/link';
import type { PendingStart } from './workflow-signals';

export interface ApiKeyRecord {
  keyHash: string;
  name: string;
  createdAt: string;
  /** Set once the key is revoked: it opens nothing any more (kept, for who did what). */
  revokedAt?: string;
}

/** What an operator sees of a key: never the key, nor its whole hash. */
export interface ApiKeySummary {
  /** The first 12 hex digits of the key's SHA-256: enough to name it, useless to guess it. */
  keyId: string;
  name: string;
  createdAt: string;
  revokedAt?: string;
}

/** Claiming an email, the marker that makes a step's email leave at most once. */
export type EmailClaim =
  /** Yours to send. */
  | { state: 'claimed' }
  /** An earlier claim's email left; `entry` is its timeline entry, which a retry writes again (harmlessly). */
  | { state: 'sent'; entry?: TimelineEntry }
  /**
   * An earlier claim stopped before SES answered (a crash, a timeout): the email may or may not have left. `owner` is
   * who claimed it, when it said (the holder of a grouped email's send slot).
   */
  | { state: 'unconfirmed'; owner?: string };

/**
 * One contact's grouped email of one kind in one send slot: the invoices of a customer whose steps fall due at the
 * same instant leave in one email. `wave` numbers the emails of a slot when a first one could not cover everyone.
 */
export interface SendSlot {
  customerId: string;
  /** The family of email: `pre_reminder` or `overdue`. */
  kind: string;
  /** The send instant (ISO), as the invoices' records plan it. */
  at: string;
  contact: string;
  wave: number;
}

/** Claiming a send slot, the marker that makes one attempt send the grouped email and the others wait for it. */
export type SlotClaim =
  /** Yours: gather the slot's invoices, claim their emails, `markSlotSending`, send, then `finishSendSlot`. */
  | { state: 'claimed' }
  /**
   * Another attempt (`holder`) claimed it at `heldSinceMs` (wall clock) and has not finished; `sending`: it was about
   * to call SES (after that, its email may have left).
   */
  | { state: 'held'; holder: string; heldSinceMs: number; sending: boolean }
  /** Its email left (or nothing was left to send), carrying these invoices' emails. */
  | ({ state: 'done' } & SlotOutcome)
  /** Nobody holds it: a refused attempt gave it back a moment ago. */
  | { state: 'free' };

/** What a finished slot carried: each invoice's email (its claim key), and the email as it left, if one did. */
export interface SlotOutcome {
  emails: SlotEmail[];
  sent?: { messageId: string; at: string; subject: string; to: string[] };
}

/** One invoice's email that a grouped email carried: the invoice and the email's claim key. */
export interface SlotEmail {
  invoiceId: string;
  key: string;
}

/** What `GET /invoices` asks for: every filter optional, `after` a position a previous page returned. */
export interface InvoiceListQuery {
  status?: InvoiceStatus;
  customerId?: string;
  /** Due strictly before / after these dates (YYYY-MM-DD). */
  dueBefore?: string;
  dueAfter?: string;
  limit: number;
  after?: ListPosition;
}

/** Where a list stopped: which of its index queries, and the last key read in it. */
export interface ListPosition {
  part: number;
  key?: Record<string, string>;
}

export interface InvoiceListPage {
  invoices: InvoiceRecord[];
  /** Absent on the last page. */
  next?: ListPosition;
}

/** An open invoice as the customer index holds it (see `listOpenInvoices`). */
export interface OpenInvoiceRef {
  invoiceId: string;
  dueDate: string;
  status: InvoiceStatus;
  nextActionAt?: string;
}

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
  /** Claims the right to send the email `key` of this invoice; only the first claim wins (see EmailClaim). */
  claimEmail(invoiceId: string, key: string, at: string, owner?: string): Promise<EmailClaim>;
  /** How the email `key` of this invoice stands, without claiming it; `undefined` when unclaimed. */
  getEmailClaim(invoiceId: string, key: string): Promise<EmailClaim | undefined>;
  /** Moves an unsent claim from `from` to `to` (a dead slot holder's, known not to have reached SES); false if not. */
  takeOverEmailClaim(invoiceId: string, key: string, from: string, to: string): Promise<boolean>;
  /**
   * Marks the claimed email as sent and indexes its SES message id; `to` lets bounce events name the address, `entry`
   * is kept with the claim for a retry to write to the timeline again; `invoiceIds`, every invoice a grouped email
   * covered, so that its bounce reaches them all.
   */
  recordEmailSent(invoiceId: string, key: string, messageId: string, to?: string[], entry?: TimelineEntry, invoiceIds?: string[]): Promise<void>;
  /**
   * Gives a claim back after the provider refused the email, so that a retry sends it; a sent email keeps its claim,
   * and so does one another `owner` holds now (a grouped email's slot taken over).
   */
  releaseEmailClaim(invoiceId: string, key: string, owner?: string): Promise<void>;
  /** Maps an SES message id back to the invoice and email key (for delivery and bounce events). */
  findEmailByMessageId(messageId: string): Promise<{ invoiceId: string; key: string; to: string[]; invoiceIds: string[] } | undefined>;
  /** Claims a send slot for `holder`; only the first claim wins (see SlotClaim). */
  claimSendSlot(slot: SendSlot, holder: string): Promise<SlotClaim>;
  /** How a slot stands now (`free` when nobody holds it). */
  getSendSlot(slot: SendSlot): Promise<SlotClaim>;
  /** Takes over the slot of a dead holder `from` that never reached SES; false when it did, finished, or is not `from`'s. */
  adoptSendSlot(slot: SendSlot, from: string, to: string): Promise<boolean>;
  /** Notes that `holder` is about to call SES for `emails`; false when `holder` no longer holds the slot (adopted). */
  markSlotSending(slot: SendSlot, holder: string, emails: SlotEmail[]): Promise<boolean>;
  /** Marks the slot done with what it carried. */
  finishSendSlot(slot: SendSlot, outcome: SlotOutcome): Promise<void>;
  /** Gives the slot back (nothing left: a failure before SES, or SES refused), if `holder` still holds it. */
  releaseSendSlot(slot: SendSlot, holder: string): Promise<void>;
  /**
   * A customer's open invoices, by due date (the customer index: closed invoices are not in it), as the index holds
   * them: a few attributes, possibly a moment behind; read the record itself for anything more.
   */
  listOpenInvoices(customerId: string, limit?: number): Promise<OpenInvoiceRef[]>;
  putLink(link: LinkRecord): Promise<void>;
  getLink(tokenHash: string): Promise<LinkRecord | undefined>;
  /** Counts a view of the page behind a link on a (creditor-local) day; resolves with the day's count so far. */
  countPageView(invoiceId: string, tokenHash: string, day: string): Promise<number>;
  /** Counts a use of the link; throws TooManyRequestsError beyond `limit` uses per hour. */
  countLinkUse(tokenHash: string, at: string, limit: number): Promise<void>;
  getApiKey(keyHash: string): Promise<ApiKeyRecord | undefined>;
  putApiKey(key: ApiKeyRecord): Promise<void>;
  /** Every key, revoked ones too, oldest first. */
  listApiKeys(): Promise<ApiKeySummary[]>;
  /** Marks the key named by `keyId` revoked at `at`; resolves with it as it now stands, or undefined if none. */
  revokeApiKey(keyId: string, at: string): Promise<ApiKeySummary | undefined>;
  /** Takes back the revocation made at `at` (and only that one). */
  restoreApiKey(keyId: string, at: string): Promise<void>;
  /**
   * The evidence item that versions before 2026-12-01 wrote at hand-off (now the record fixes the evidence in the
   * hand-off's own write): read for invoices handed off by them, never written.
   */
  getLegacyEvidence(invoiceId: string): Promise<unknown | undefined>;
  /**
   * Invoices by the filters of `GET /invoices`, read from the indexes (never a scan): a customer's by due date (open
   * ones first), otherwise by status then next action. At most `limit` per page.
   */
  listInvoices(query: InvoiceListQuery): Promise<InvoiceListPage>;
  /** How many invoices are in a status (the operator queue index, counted without reading the records out). */
  countByStatus(status: InvoiceStatus): Promise<number>;
  /** Invoices in a status, soonest next action first (the operator queue index). */
  listByStatus(status: InvoiceStatus, limit?: number): Promise<InvoiceRecord[]>;
  /** Notes that an execution must start (before the record that asks for it is written; see PendingStart). */
  putPendingStart(start: PendingStart): Promise<void>;
  /** The pending start of that execution, if it is still noted. */
  getPendingStart(invoiceId: string, executionName: string): Promise<PendingStart | undefined>;
  /**
   * Forgets a pending start once its execution or schedule exists; nothing when it is already gone, or (`seen`) when it
   * was noted again since it was read (a restart, the reconciliation), so that a newer request is never forgotten.
   */
  deletePendingStart(start: Pick<PendingStart, 'invoiceId' | 'executionName'> & { seen?: string }): Promise<void>;
  /** Marks a pending start signalled again at `at`; false when it is gone (confirmed meanwhile). */
  touchPendingStart(start: Pick<PendingStart, 'invoiceId' | 'executionName'>, at: string): Promise<boolean>;
  /** The pending starts asked for before `before` (ISO), at most `limit`, oldest first. */
  listPendingStarts(before: string, limit: number): Promise<PendingStart[]>;
}
