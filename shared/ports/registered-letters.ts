/**
 * Where a formal notice's letter goes to be sent by registered post with acknowledgment of receipt (LRAR, or its
 * electronic form, the LRE). Without a provider, the credit team posts it: `shared/services/formal-notice.ts` emails
 * it the letter as a task. A provider's adapter (an electronic registered-letter service) implements this port in
 * `shared/adapters/` and is wired in `shared/lambda/adapters.ts`; it then reports the posting and the receipt through
 * `recordRegisteredLetter` (shared/services/billing.ts), as the team does through `POST /invoices/{id}/formal-notice`.
 */
import type { PostalAddress } from '../domain/schemas';

export interface LetterToPost {
  invoiceId: string;
  /** The same letter handed over again (a retried step) carries the same key: it must not be posted twice. */
  key: string;
  /** The letter as a PDF, also kept in the document store under `documentKey`. */
  filename: string;
  content: Uint8Array;
  documentKey: string;
  recipient: { name: string; address?: PostalAddress };
}

/** Who posts the letter: the team (a task it was given), or a provider under its own reference. */
export type LetterDispatch = { by: 'team' } | { by: 'provider'; provider: string; reference: string };

export interface RegisteredLetters {
  send(letter: LetterToPost): Promise<LetterDispatch>;
}
