/**
 * The words emails and pages share, in French and English: dates, percentages, payment methods and dispute reasons.
 * A page and the email that links to it say the same things in the same words.
 */
import type { Dispute, PaymentMethod } from '../domain/invoice';

export type Language = 'fr' | 'en';

const DATE_LOCALES: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB' };

/** "31 mars 2027" / "31 March 2027". Calendar dates are read and printed in UTC so no time zone moves them a day. */
export function formatDate(date: string, language: Language): string {
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : new Date(date);
  if (Number.isNaN(instant.getTime())) return date;
  const formatted = new Intl.DateTimeFormat(DATE_LOCALES[language], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(instant);
  // French writes the first of the month as an ordinal: « 1er avril », which Intl does not do.
  return language === 'fr' ? formatted.replace(/^1 /, '1er ') : formatted;
}

export function formatPercent(ratePercent: number, language: Language): string {
  return new Intl.NumberFormat(DATE_LOCALES[language], { style: 'percent', maximumFractionDigits: 2 }).format(
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

export function paymentMethodLabel(method: PaymentMethod, language: Language): string {
  return PAYMENT_METHODS[method]?.[language] ?? method;
}

export function disputeReasonLabel(reason: Dispute['reason'], language: Language): string {
  return DISPUTE_REASONS[reason]?.[language] ?? reason;
}
