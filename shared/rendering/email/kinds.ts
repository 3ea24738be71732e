/** The emails the product sends, and what each needs to be rendered. */
import type { Creditor } from '../../domain/creditor';
import type { InvoiceRecord } from '../../domain/invoice';
import type { Money } from '../../domain/money';
import type { Claim } from '../../domain/claim';

/** Emails to the customer's contacts, in the customer's language. */
export type CustomerEmailKind =
  | 'pre_reminder'
  | 'promise_acknowledgement'
  | 'dispute_acknowledgement'
  | 'dispute_outcome'
  | 'promise_broken'
  | 'reminder'
  | 'penalty_reminder'
  | 'formal_notice';

/** Emails to the creditor's credit team, in the team's language and time zone. */
export type TeamEmailKind =
  | 'dispute'
  | 'question'
  | 'bank_details'
  | 'dispute_follow_up'
  | 'call_task'
  | 'registered_letter'
  | 'hand_off'
  | 'needs_attention'
  | 'contact_bounced'
  | 'email_unconfirmed'
  | 'payment_received'
  | 'daily_digest';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface CustomerEmailContext {
  creditor: Creditor;
  invoice: InvoiceRecord;
  language: 'fr' | 'en';
  /** The recipient contact's name, for the greeting. */
  contactName: string;
  /** The contact's personal answer page, `${publicBaseUrl}/r/${token}`; actions append `?action=promise|dispute|question`. */
  answerUrl: string;
  /** What is claimed today (principal, penalties by period, indemnity): stated by every overdue email. */
  claim?: Claim;
  /**
   * The contact's statement page, `${publicBaseUrl}/r/${token}` of a statement link: every open invoice of the customer
   * on one page, each answered there or all at once. Every kind of email links to it when given; without it the email
   * is exactly as before.
   */
  statementUrl?: string;
}

export interface TeamEmailContext {
  creditor: Creditor;
  /** The credit team's language (the creditor's, French by default) and time zone: instants are shown in it. */
  language: 'fr' | 'en';
  timeZone: string;
  /** Absent only for the daily digest. */
  invoice?: InvoiceRecord;
  /** Free text from the customer (question, dispute message) or an error description. */
  message?: string;
  /** Extra facts shown as a key/value list (reason, contact, promised date, error, phone numbers...). */
  facts?: Record<string, string>;
  /** For the daily digest: sections of lines. */
  digest?: { title: string; lines: string[] }[];
  /** For the formal notice's registered letter: the attached PDF, and the days the hand-off waits after posting. */
  letter?: { filename: string; waitDaysAfterPosting: number };
  /** For a payment the team must hear of: what came, and what it met (`receivedAfter`: the invoice had closed). */
  payment?: { reference: string; amount: Money; paidAt: string; receivedAfter?: string; overpaid?: Money };
}
