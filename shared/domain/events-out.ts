/**
 * Events out (DESIGN.md §5): every transition of an invoice, as a billing system subscribing to the stack's bus sees
 * it. One event per timeline entry of a transition, so that an event is published once per transition: the entry is
 * written once (its key is its identity), and the event carries that key as `eventId` for a subscriber to tell a
 * redelivery apart. Pure: which entries are transitions, and what each event says.
 */
import type { InvoiceStatus, TimelineEntry } from './invoice';

/** `source` of every event on the bus. */
export const EVENT_SOURCE = 'dunning';

export type DetailType =
  | 'registered'
  | 'pre_reminder_sent'
  | 'promise'
  | 'promise_broken'
  | 'dispute_opened'
  | 'dispute_resolved'
  | 'question'
  | 'escalation_step'
  | 'formal_notice'
  | 'handed_off'
  | 'payment_received'
  | 'paid'
  | 'cancelled'
  | 'needs_attention';

export interface OutgoingEvent {
  detailType: DetailType;
  detail: {
    /** The timeline entry's key: the same on every delivery of this event. */
    eventId: string;
    invoiceId: string;
    customerId: string;
    /** The invoice's status as the event is published (a moment after the transition). */
    status: InvoiceStatus;
    /** When the transition happened. */
    at: string;
  } & Record<string, unknown>;
}

/** The facts of an entry worth a subscriber's while, by name (never the whole entry: it may hold free text). */
const FACTS: Partial<Record<string, readonly string[]>> = {
  registered: ['amount', 'dueDate'],
  email_sent: ['messageId', 'invoiceIds'],
  promise: ['promisedDate', 'method', 'afterDueDate', 'source'],
  promise_broken: ['promisedDate'],
  dispute: ['reason'],
  dispute_resolved: ['outcome', 'correctedAmount'],
  // Who asked and what: the team's to read in the app, not the bus's to carry (an address, free text).
  question: [],
  escalation: ['step', 'action', 'emailed'],
  call_task: ['step', 'action'],
  handed_off: ['claim'],
  payment: ['reference', 'amount', 'paidAt', 'outstanding', 'receivedAfter'],
  // The billing system's own words for it (free text): it knows them already.
  cancelled: [],
  needs_attention: ['error'],
};

function detailTypeOf(entry: TimelineEntry): DetailType | undefined {
  switch (entry.type) {
    case 'registered':
      return 'registered';
    case 'email_sent':
      return entry.email === 'pre_reminder' ? 'pre_reminder_sent' : undefined;
    case 'promise':
    case 'promise_broken':
    case 'dispute_resolved':
    case 'question':
    case 'handed_off':
    case 'cancelled':
    case 'needs_attention':
      return entry.type;
    case 'dispute':
      return 'dispute_opened';
    case 'escalation':
      return entry.action === 'formal_notice' ? 'formal_notice' : 'escalation_step';
    case 'call_task':
      return 'escalation_step';
    case 'payment': {
      // The payment that leaves nothing owed settles the invoice, also one handed off to legal; money on an invoice
      // already paid or cancelled settles nothing more.
      const outstanding = entry.outstanding as { value?: number } | undefined;
      const settles = outstanding?.value === 0 && (!entry.receivedAfter || entry.receivedAfter === 'after_hand_off');
      return settles ? 'paid' : 'payment_received';
    }
    default:
      return undefined;
  }
}

/** The event of a timeline entry, or nothing when the entry is no transition (a page view, a delivery, a team email). */
export function eventFor(entry: TimelineEntry, invoice: { invoiceId: string; customerId: string; status: InvoiceStatus }, eventId: string): OutgoingEvent | undefined {
  const detailType = detailTypeOf(entry);
  if (!detailType) return undefined;
  const facts = Object.fromEntries((FACTS[entry.type] ?? []).filter((name) => entry[name] !== undefined).map((name) => [name, entry[name]]));
  return { detailType, detail: { eventId, invoiceId: invoice.invoiceId, customerId: invoice.customerId, status: invoice.status, at: entry.at, ...facts } };
}
