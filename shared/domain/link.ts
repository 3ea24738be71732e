/** A customer link as stored: who it lets answer, about which invoice, until when. */
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
