/**
 * The words emails and pages share, in French and English: dates, instants, percentages, payment methods, dispute
 * reasons and invoice statuses.
 * A page and the email that links to it say the same things in the same words.
 */
import type { Dispute, InvoiceStatus, PaymentMethod } from '../domain/invoice';
import { dateTimeFormat, numberFormat } from '../domain/intl-formats';

export type Language = 'fr' | 'en';

const DATE_LOCALES: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB' };

/** "31 mars 2027" / "31 March 2027". Calendar dates are read and printed in UTC so no time zone moves them a day. */
export function formatDate(date: string, language: Language): string {
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : new Date(date);
  if (Number.isNaN(instant.getTime())) return date;
  return longDate(instant, language, 'UTC');
}

// Built from a date and a time rather than Intl's own date-time pattern, whose connector ("at", ", ") varies with the
// ICU version: the same instant must read the same on a laptop and in Lambda.
const TIME_CONNECTORS: Record<Language, string> = { fr: ' à ', en: ', ' };

/** "15 mars 2027 à 09:00" / "15 March 2027, 09:00": an instant as the people in `timeZone` read it on their clock. */
export function formatInstant(instant: string, language: Language, timeZone: string): string {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) return instant;
  const time = dateTimeFormat(DATE_LOCALES[language], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(at);
  return `${longDate(at, language, timeZone)}${TIME_CONNECTORS[language]}${time}`;
}

function longDate(instant: Date, language: Language, timeZone: string): string {
  const formatted = dateTimeFormat(DATE_LOCALES[language], { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(instant);
  // French writes the first of the month as an ordinal: « 1er avril », which Intl does not do.
  return language === 'fr' ? formatted.replace(/^1 /, '1er ') : formatted;
}

export function formatPercent(ratePercent: number, language: Language): string {
  return numberFormat(DATE_LOCALES[language], { style: 'percent', maximumFractionDigits: 2 }).format(
    ratePercent / 100,
  );
}

const PAYMENT_METHODS: Record<PaymentMethod, Record<Language, string>> = {
  transfer: { fr: 'virement bancaire', en: 'bank transfer' },
  direct_debit: { fr: 'prélèvement', en: 'direct debit' },
  card: { fr: 'carte bancaire', en: 'card' },
  cheque: { fr: 'chèque', en: 'cheque' },
  bill_of_exchange: { fr: 'lettre de change relevé (LCR)', en: 'bill of exchange (LCR)' },
};

const DISPUTE_REASONS: Record<Dispute['reason'], Record<Language, string>> = {
  invoice_not_received: { fr: 'facture non reçue', en: 'invoice not received' },
  goods_not_received: { fr: 'marchandise ou prestation non reçue', en: 'goods or service not received' },
  defective: { fr: 'marchandise ou prestation défectueuse ou non conforme', en: 'goods or service defective or not as ordered' },
  wrong_amount: { fr: 'montant erroné', en: 'wrong amount' },
  missing_purchase_order: { fr: 'bon de commande manquant', en: 'missing purchase order' },
  other: { fr: 'autre motif', en: 'other reason' },
  call: { fr: 'problème signalé lors de notre échange téléphonique', en: 'issue reported during our phone call' },
};

/** The words for a value in a language; a value the table does not know (from a newer version) shows as it is. */
function labelOf<K extends string>(table: Record<K, Record<Language, string>>, key: K, language: Language): string {
  return table[key]?.[language] ?? key;
}

export const paymentMethodLabel = (method: PaymentMethod, language: Language) => labelOf(PAYMENT_METHODS, method, language);

export const disputeReasonLabel = (reason: Dispute['reason'], language: Language) => labelOf(DISPUTE_REASONS, reason, language);

// The French adjectives agree with « facture », which is feminine.
const STATUSES: Record<InvoiceStatus, Record<Language, string>> = {
  scheduled: { fr: 'planifiée', en: 'scheduled' },
  awaiting_reply: { fr: 'en attente de réponse', en: 'awaiting reply' },
  promised: { fr: 'promesse de paiement', en: 'payment promised' },
  disputed: { fr: 'litige', en: 'disputed' },
  overdue: { fr: 'en retard', en: 'overdue' },
  paid: { fr: 'payée', en: 'paid' },
  cancelled: { fr: 'annulée', en: 'cancelled' },
  handed_off: { fr: 'transmise au contentieux', en: 'handed off to legal' },
};

export const statusLabel = (status: InvoiceStatus, language: Language) => labelOf(STATUSES, status, language);
