/**
 * What the delivery events of a sent email (SES configuration-set events) do to its invoice: a delivery goes on the
 * timeline; a permanent bounce or a complaint suppresses the address (no more email to it) and alerts the team;
 * anything else (a transient bounce, a reject, a delay) is only noted.
 *
 * Events arrive at least once, so all of it is safe to repeat, by construction: every timeline entry carries the
 * event's id and the event's own time, so a redelivery maps to the entry already written and adds nothing;
 * suppressing an address again leaves the record as it is; the team alert is claimed once per address.
 */
import { suppressContact } from './billing';
import { timelineEntry } from '../domain/invoice';
import { sendTeamEmail, type NotificationSettings } from './notifications';
import type { Dependencies } from '../ports';

export interface EmailEvent {
  /** The event's id: the same on every delivery of the event. */
  id: string;
  /** When the event happened (not when it is processed): the same on every delivery too. */
  at: Date;
  /** SES `eventType`: `Delivery`, `Bounce`, `Complaint`, `Reject`, `DeliveryDelay`, … */
  type: string;
  messageId: string;
  destination: string[];
  bounceType?: string;
  /** The addresses that bounced or complained. */
  recipients: string[];
}

export type EmailEventOutcome = 'unknown_message' | 'delivery' | 'transient' | 'email_bounced' | 'email_complaint';

export async function recordEmailEvent(deps: Dependencies, config: NotificationSettings, event: EmailEvent): Promise<EmailEventOutcome> {
  const sent = await deps.store.findEmailByMessageId(event.messageId);
  if (!sent || sent.invoiceId === '_team') return 'unknown_message';
  // A grouped email is about every invoice it listed: each hears of its fate.
  const { invoiceIds } = sent;
  const noteOnEach = (entry: ReturnType<typeof timelineEntry>) => Promise.all(invoiceIds.map((invoiceId) => deps.store.appendTimeline(invoiceId, [entry])));
  if (event.type === 'Delivery') {
    await noteOnEach(timelineEntry('email_delivered', event.at, { to: event.destination, messageId: event.messageId }, { eventId: event.id }));
    return 'delivery';
  }
  const permanent = event.type === 'Complaint' || (event.type === 'Bounce' && event.bounceType === 'Permanent');
  if (!permanent) {
    const detail = { to: event.recipients, bounceType: event.bounceType ?? event.type, permanent: false };
    await noteOnEach(timelineEntry('email_bounced', event.at, detail, { eventId: event.id }));
    return 'transient';
  }
  const type = event.type === 'Complaint' ? 'email_complaint' : 'email_bounced';
  for (const address of event.recipients) {
    // One entry per address, each with its own id; no more email to it about any of the invoices.
    const occurrence = { eventId: `${event.id}:${address}`, at: event.at };
    const detail = { messageId: event.messageId, permanent: true };
    const records = [];
    for (const invoiceId of invoiceIds) records.push((await suppressContact(deps, invoiceId, address, type, detail, occurrence)).record);
    // The team hears of the address once, about the invoice the email was sent for.
    await sendTeamEmail(deps, config, records[0], 'contact_bounced', `bounce@${address}`, { facts: { address, event: event.type } });
  }
  return type;
}
