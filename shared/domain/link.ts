/** A customer link as stored: who it lets answer, about which invoice, until when. */
export interface LinkRecord {
  /** SHA-256 of the token, hex: the token itself is never stored. */
  tokenHash: string;
  /** The invoice whose email carried the link (for a statement link: the email's occasion, where views are noted). */
  invoiceId: string;
  /** A statement link: every open invoice of this customer, answered per invoice or all at once. */
  statementOf?: string;
  contactEmail: string;
  language: 'fr' | 'en';
  allowedActions: ('promise' | 'dispute' | 'question')[];
  createdAt: string;
  expiresAt: string;
  uses: number;
}
