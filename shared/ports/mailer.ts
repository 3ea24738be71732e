/** How an email leaves (SES v2 in `shared/adapters/ses-mailer.ts`). */
export interface OutgoingEmail {
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Tags land on SES events, so a bounce finds its invoice without a lookup when possible. */
  tags?: Record<string, string>;
  replyTo?: string[];
  attachments?: EmailAttachment[];
  /** Every invoice a grouped email covers (never sent: the local outbox lists them). */
  invoiceIds?: string[];
  /** Each of those invoices' email key (its cause, see `emailKeys`), in the same order. */
  causes?: string[];
}

/** A file sent with an email (the formal notice's letter), kept in the document store under `key` before it leaves. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
  key: string;
}

export interface Mailer {
  /** Sends one email and returns the provider's message id. */
  send(email: OutgoingEmail): Promise<string>;
}
