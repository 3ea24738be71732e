/**
 * The invariants every invoice must satisfy whatever happened to it, checked from the outside: the invoice as the API
 * shows it, the outbox, the executions, and what the driver was told (which payments and cancellations were
 * accepted). Each returns the broken rules in words, empty when all hold.
 */
import { addDays, isTeamEmail, kindOf, parisDate, type BusEvent, type Email, type ExecutionSummary, type InvoiceView } from './client';
import { eventFor } from '../../../shared/domain/events-out';
import type { TimelineEntry } from '../../../shared/domain/invoice';

type Money = { value: number; currency: string };
type Entry = InvoiceView['timeline'][number];

export interface ObservedInvoice {
  invoice: InvoiceView & { creditBalance?: Money; handedOffAt?: string };
  /** Every outbox email tagged with this invoice (customer and team). */
  emails: Email[];
  executions: ExecutionSummary[];
  /** References of the payments the API accepted (a 2xx answer). */
  acceptedPayments: { reference: string; amount: Money }[];
  /** A cancellation (or a credit note) the API accepted. */
  cancelled: boolean;
  /** An operator's waiver of the penalties the API accepted. */
  waived?: boolean;
  /** The real time the API first answered that the invoice was paid or cancelled, when it did. */
  closedAtRealMs?: number;
}

/**
 * How long after the API answered "paid" an email may still leave: the send that had already checked the invoice a
 * moment before the payment (its last look and the send are not one atomic step). Far longer than that gap.
 */
const SEND_IN_FLIGHT_MS = 250;

const CLOSED = new Set(['paid', 'cancelled', 'handed_off']);

/** When the invoice stopped being one the customer may be chased for: paid in full, cancelled, or handed off. */
export function closedAt(timeline: Entry[]): string | undefined {
  const closing = timeline.filter(
    (t) =>
      t.type === 'cancelled' ||
      t.type === 'handed_off' ||
      (t.type === 'payment' && (t.outstanding as Money | undefined)?.value === 0 && !t.receivedAfter) ||
      (t.type === 'dispute_resolved' && (t.outstanding as Money | undefined)?.value === 0),
  );
  return closing.map((t) => t.at).sort()[0];
}

/** The latest revision's execution. */
function currentExecution(executions: ExecutionSummary[]): ExecutionSummary | undefined {
  const revision = (e: ExecutionSummary) => Number(/-r(\d+)$/.exec(e.name)?.[1] ?? 0);
  return [...executions].sort((a, b) => revision(b) - revision(a))[0];
}

/** Why an email was sent for this invoice: a grouped email is about several invoices, each for its own cause. */
function causeOf(email: Email, invoiceId: string): string | undefined {
  return email.causes?.[invoiceId] || email.tags.email;
}

export function violations(observed: ObservedInvoice, mode: { faults: boolean }): string[] {
  const { invoice, emails, executions } = observed;
  const found: string[] = [];
  const broken = (rule: string) => found.push(`${invoice.invoiceId}: ${rule}`);
  const timeline = invoice.timeline;

  // No email to the customer once the invoice closed.
  const closed = closedAt(timeline);
  if (closed) {
    for (const email of emails.filter((e) => !isTeamEmail(e) && e.sentAt > closed)) {
      broken(`"${email.subject}" left at ${email.sentAt}, after the invoice closed at ${closed}`);
    }
  }
  // At one virtual instant, real time orders the email and the answer that said the invoice was closed.
  if (observed.closedAtRealMs !== undefined) {
    for (const email of emails.filter((e) => !isTeamEmail(e) && e.sentAtRealMs > observed.closedAtRealMs! + SEND_IN_FLIGHT_MS)) {
      broken(`"${email.subject}" left ${email.sentAtRealMs - observed.closedAtRealMs} ms after the API said the invoice was closed`);
    }
  }

  // Never two emails for one cause and recipient.
  const seen = new Map<string, number>();
  for (const email of emails) {
    const key = `${causeOf(email, invoice.invoiceId)}|${email.to.join(',')}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  // The notice that an email may not have left is the one exception: when it stopped between its own claim and SES, it
  // goes again rather than never (shared/services/notifications.ts).
  for (const [key, count] of seen) if (count > 1 && !key.startsWith('unconfirmed@')) broken(`${count} emails for the one cause ${key}`);

  // Every customer email about the invoice is on its timeline, by its message id: a grouped email on each invoice it
  // lists. (With faults, an email SES took whose answer was lost is known only as "may not have left".)
  if (!mode.faults) {
    const recorded = new Set(timeline.filter((t) => t.type === 'email_sent').map((t) => t.messageId));
    for (const email of emails.filter((e) => !isTeamEmail(e) && !recorded.has(e.messageId))) broken(`"${email.subject}" (${email.messageId}) left without a timeline entry`);
  }

  // Every accepted payment on the timeline, once.
  const payments = timeline.filter((t) => t.type === 'payment');
  for (const { reference } of observed.acceptedPayments) {
    const entries = payments.filter((t) => t.reference === reference).length;
    if (entries !== 1) broken(`accepted payment ${reference} is on the timeline ${entries} times`);
  }

  // The money: what is owed and what is due back follow from the amount and what was received.
  if (invoice.status === 'cancelled') {
    // Nothing is owed on a cancelled invoice: everything received on it is due back.
    const received = observed.acceptedPayments.reduce((sum, p) => sum + p.amount.value, 0);
    if ((invoice.creditBalance?.value ?? 0) !== received) broken(`cancelled with a credit balance of ${invoice.creditBalance?.value ?? 0}, ${received} received`);
  } else {
    const received = observed.acceptedPayments.reduce((sum, p) => sum + p.amount.value, 0);
    const owed = Math.max(0, invoice.amount.value - received);
    if (invoice.outstanding.value !== owed) broken(`outstanding ${invoice.outstanding.value}, expected ${owed} (amount ${invoice.amount.value}, received ${received})`);
    // Beyond the principal, money goes to the penalties and the indemnity still claimed, then back to the customer.
    const beyond = Math.max(0, received - invoice.amount.value);
    const towardsPenalties = invoice.claim.penaltiesPaid?.value ?? 0;
    const credit = invoice.creditBalance?.value ?? 0;
    if (credit + towardsPenalties !== beyond) broken(`credit balance ${credit} + ${towardsPenalties} towards the penalties, expected ${beyond} received beyond the amount`);
    if (invoice.claim.principal.value !== invoice.outstanding.value) broken(`claim principal ${invoice.claim.principal.value}, outstanding ${invoice.outstanding.value}`);
    const extras = invoice.claim.penalties.amount.value + invoice.claim.indemnity.value;
    if (towardsPenalties > extras) broken(`${towardsPenalties} paid towards penalties and indemnity of ${extras}`);
  }

  // A waiver the API accepted is on the claim and on the timeline, however it raced the steps and the payments.
  if (observed.waived) {
    if (!invoice.claim.waived) broken('a waiver was accepted but the claim has none');
    if (!timeline.some((t) => t.type === 'penalties_waived')) broken('a waiver was accepted but is not on the timeline');
  }

  // The hand-off never cuts short the formal notice's 8 days from a receipt recorded before it, nor comes sooner than
  // 15 days after a posting recorded before it (the policy's default delay without a receipt).
  const handedOff = timeline.find((t) => t.type === 'handed_off');
  if (handedOff) {
    // Strictly before: an entry of the hand-off's very instant (the virtual clock stands still while both happen) may
    // have been recorded after it, as evidence, and the timestamps cannot tell.
    const before = (type: string) => timeline.filter((t) => t.type === type && Date.parse(t.at) < Date.parse(handedOff.at)).at(-1);
    const received = before('registered_letter_received');
    const posted = before('registered_letter_posted');
    const handOffDay = parisDate(handedOff.at);
    const day = (value: unknown) => (/^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? String(value) : parisDate(String(value)));
    if (received && handOffDay <= addDays(day(received.receivedAt), 8)) broken(`handed off on ${handOffDay}, within 8 days of the receipt on ${day(received.receivedAt)}`);
    else if (!received && posted && handOffDay < addDays(day(posted.postedAt), 15)) broken(`handed off on ${handOffDay}, less than 15 days after posting on ${day(posted.postedAt)}`);
  }

  // A bank-details alert only ever follows a customer's "they differ", one per answer (the duplicate rule above counts
  // per cause): never more alerts than answers.
  const alerts = emails.filter((e) => kindOf(e) === 'team_bank_details').length;
  const mismatches = timeline.filter((t) => t.type === 'bank_details_differ').length;
  if (alerts > mismatches) broken(`${alerts} bank-details alert(s) for ${mismatches} "they differ" answer(s)`);

  // The status follows from the events.
  if (invoice.status === 'paid' && invoice.outstanding.value !== 0) broken(`paid with ${invoice.outstanding.value} outstanding`);
  if (invoice.outstanding.value === 0 && invoice.status !== 'paid' && invoice.status !== 'cancelled') broken(`nothing owed but ${invoice.status}`);
  if (observed.cancelled && invoice.status !== 'cancelled') broken(`a cancellation was accepted but the invoice is ${invoice.status}`);
  if (invoice.status === 'cancelled' && !timeline.some((t) => t.type === 'cancelled')) broken('cancelled without a cancellation on the timeline');
  if (invoice.status === 'handed_off' && !timeline.some((t) => t.type === 'handed_off')) broken('handed off without a hand-off on the timeline');

  // The execution agrees: closed invoices have none running; an open one, long after everything, waits on a dispute.
  const execution = currentExecution(executions);
  const failed = executions.filter((e) => e.status === 'FAILED');
  // The team hears of a failed execution by its "Needs attention" email, or, when a crash took that email, by the
  // notice that it may not have left.
  const needsAttention = emails.filter((e) => kindOf(e) === 'team_needs_attention' || (e.tags.email ?? '').startsWith('unconfirmed@needs_attention@'));
  if (failed.length > 0 && !mode.faults) broken(`execution(s) ${failed.map((e) => e.name).join(', ')} failed`);
  if (failed.length > needsAttention.length) broken(`${failed.length} failed execution(s) but ${needsAttention.length} "Needs attention" email(s)`);
  if (CLOSED.has(invoice.status) && execution?.status === 'RUNNING') broken(`${invoice.status} but ${execution.name} still runs (${execution.currentState})`);
  if (!CLOSED.has(invoice.status) && execution?.status !== 'FAILED') {
    if (invoice.status !== 'disputed' || invoice.dispute?.status !== 'open') broken(`left ${invoice.status} long after its last step`);
    else if (!(execution?.status === 'RUNNING' && execution.parked)) broken(`disputed but its execution is ${execution?.status} in ${execution?.currentState}`);
  }

  // Every escalation step said to be emailed has its own email (or the team was told it may not have left): as many
  // emails of a step's cause as steps of that cause.
  const steps = new Map<string, number>();
  for (const step of timeline.filter((t) => (t.type === 'escalation' || t.type === 'call_task') && t.emailed)) {
    steps.set(step.email as string, (steps.get(step.email as string) ?? 0) + 1);
  }
  for (const [key, count] of steps) {
    const causes = new Set([...emails.filter((e) => causeOf(e, invoice.invoiceId) === key).map((e) => e.sentAt), ...timeline.filter((t) => t.type === 'email_unconfirmed' && t.email === key).map((t) => t.at)]);
    if (causes.size < count) broken(`${count} escalation step(s) of ${key} said emailed, but ${causes.size} email(s) left for it`);
  }
  return found;
}

/**
 * Events out against the timeline: every transition on the invoice's timeline was published once, and nothing else
 * was (compared by detail type and instant, as a subscriber would reconcile them).
 */
export function eventViolations(invoice: InvoiceView, events: BusEvent[]): string[] {
  const expected = invoice.timeline
    .map((entry) => eventFor(entry as TimelineEntry, { invoiceId: invoice.invoiceId, customerId: invoice.customer.id, status: 'scheduled' }, ''))
    .filter((event) => event !== undefined)
    .map((event) => `${event.detailType}@${event.detail.at}`);
  const published = events.map((event) => `${event['detail-type']}@${event.detail.at}`);
  const count = (list: string[]) => list.reduce((map, key) => map.set(key, (map.get(key) ?? 0) + 1), new Map<string, number>());
  const want = count(expected);
  const got = count(published);
  const found: string[] = [];
  for (const [key, n] of want) if ((got.get(key) ?? 0) !== n) found.push(`${invoice.invoiceId}: ${n} ${key} on the timeline, ${got.get(key) ?? 0} published`);
  for (const [key, n] of got) if (!want.has(key)) found.push(`${invoice.invoiceId}: ${n} ${key} published, none on the timeline`);
  if (new Set(events.map((e) => e.detail.eventId)).size !== events.length) found.push(`${invoice.invoiceId}: an event was published twice`);
  return found;
}
