/** How an email leaves (SES v2 in `shared/adapters/ses-mailer.ts`). */
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
