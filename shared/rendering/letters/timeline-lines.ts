/**
 * The timeline told in words for the evidence file's summary: one line per entry, its kind in the reader's language
 * and the facts that prove something (who was written to, which email, how much, which reference). The full entries
 * are in the bundle's `timeline.json`; these lines are for reading.
 */
import type { TimelineEntry, TimelineType } from '../../domain/invoice';
import { formatMoney, type Money } from '../../domain/money';
import type { Language } from '../labels';

const LABELS: Record<TimelineType, [fr: string, en: string]> = {
  registered: ['Facture enregistrée', 'Invoice registered'],
  execution_started: ['Suivi démarré', 'Follow-up started'],
  execution_restarted: ['Suivi redémarré', 'Follow-up restarted'],
  execution_continued: ['Suivi poursuivi (nouvelle révision)', 'Follow-up continued (new revision)'],
  start_scheduled: ['Suivi programmé', 'Follow-up scheduled'],
  email_sent: ['E-mail envoyé', 'Email sent'],
  email_skipped: ['E-mail non envoyé', 'Email not sent'],
  email_delivered: ['E-mail délivré', 'Email delivered'],
  email_bounced: ['E-mail rejeté', 'Email bounced'],
  email_complaint: ['Plainte pour spam', 'Spam complaint'],
  page_viewed: ['Page consultée par le client', 'Page viewed by the customer'],
  promise: ['Promesse de paiement', 'Payment promise'],
  promise_broken: ['Promesse non tenue', 'Promise broken'],
  dispute: ['Litige signalé', 'Dispute reported'],
  dispute_resolved: ['Litige résolu', 'Dispute resolved'],
  question: ['Question du client', 'Customer question'],
  payment: ['Paiement reçu', 'Payment received'],
  cancelled: ['Facture annulée', 'Invoice cancelled'],
  due_date_changed: ['Échéance modifiée', 'Due date changed'],
  contacts_changed: ['Contacts modifiés', 'Contacts changed'],
  team_notified: ['Équipe prévenue', 'Team notified'],
  call_task: ['Appel à passer', 'Phone call task'],
  call_outcome: ['Résultat d’appel', 'Call outcome'],
  escalation: ['Relance', 'Escalation step'],
  handed_off: ['Transmis au contentieux', 'Handed off'],
  needs_attention: ['Intervention requise', 'Needs attention'],
  penalties_waived: ['Pénalités abandonnées', 'Penalties waived'],
  penalties_claimable: ['Pénalités restant dues', 'Penalties still claimable'],
  document_attached: ['Pièce jointe au dossier', 'Document attached'],
  email_unconfirmed: ['E-mail peut-être non parti', 'Email possibly not sent'],
  registered_letter_requested: ['Lettre recommandée demandée', 'Registered letter requested'],
  registered_letter_posted: ['Lettre recommandée déposée', 'Registered letter posted'],
  registered_letter_received: ['Accusé de réception', 'Acknowledgment of receipt'],
  evidence_bundle: ['Dossier de preuves constitué', 'Evidence bundle written'],
  bank_details_confirmed: ['Coordonnées bancaires confirmées par le client', 'Bank details confirmed by the customer'],
  bank_details_differ: ['Coordonnées bancaires différentes selon le client', 'Bank details differ, says the customer'],
};

/** The facts worth a line, in this order, when the entry has them. */
const FACTS = ['email', 'to', 'contact', 'subject', 'messageId', 'amount', 'reference', 'paidAt', 'promisedDate', 'date', 'reason', 'outcome', 'action', 'step', 'dueDate', 'filename', 'trackingNumber', 'postedAt', 'receivedAt', 'message', 'note'];

const isMoney = (value: unknown): value is Money =>
  typeof value === 'object' && value !== null && typeof (value as Money).value === 'number' && typeof (value as Money).currency === 'string';

function fact(value: unknown, language: Language): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (isMoney(value)) return formatMoney(value, language);
  if (typeof value === 'object') return undefined;
  return String(value).replace(/\s+/g, ' ').slice(0, 160);
}

export function timelineLine(entry: TimelineEntry, language: Language): string {
  const [fr, en] = LABELS[entry.type as TimelineType] ?? [entry.type, entry.type];
  const facts = FACTS.map((key) => fact((entry as Record<string, unknown>)[key], language)).filter((value): value is string => value !== undefined);
  return [language === 'fr' ? fr : en, ...facts].join(' — ');
}
