/**
 * What the billing API, the operators and the customer pages do to an invoice, as pure functions: each takes the
 * record as read and the time, and returns the change to write (`undefined` when there is nothing to do) or throws the
 * domain error the caller answers with. `shared/services/billing.ts` applies them through the ports.
 */
import { addDays, datedInFuture, dayOf, localDate } from './calendar';
import { ConflictError, ValidationError } from './errors';
import { executionName, initialState, type ExecutionState } from './execution-state';
import { canonicalJson, sha256 } from './hashing';
import { CLOSED_STATUSES, timelineEntry, type AttachedDocument, type Change, type InvoiceRecord, type InvoiceStatus, type TimelineEntry } from './invoice';
import { claimInput, invoiceClaim } from './invoice-claim';
import { formatMoney } from './money';
import { paymentTermWarnings } from './payment-terms';
import { contractualRateFloor } from './claim';
import { halfYearOf } from './rates';
import type { DunningPolicy } from './policy';
import type { CallOutcomeBody, CustomerAnswer, PatchInvoiceBody, PaymentBody, RegisterInvoiceBody, ResolveDisputeBody, WaiveBody } from './schemas';
import { computePreReminderAt, hasOpenPromise, invoicePolicy, nextState, planReminders, reached, replyDeadline, type WorkflowSettings } from './workflow';

export interface BillingSettings extends WorkflowSettings {
  /** Invoices whose pre-reminder lies further away than this get a scheduled start instead of an execution now. */
  executionHorizonDays: number;
}

/** The payment-term warnings of an invoice with this due date (Code de commerce L441-10 I, R2192-10). */
function termWarnings(record: Pick<InvoiceRecord, 'issueDate' | 'customer' | 'registration'>, dueDate: string): string[] {
  return paymentTermWarnings({
    issueDate: record.issueDate,
    dueDate,
    kind: record.customer.kind ?? 'business',
    paymentTerms: record.registration.terms?.paymentTerms,
  });
}

/**
 * A contractual late-payment rate is accepted as agreed, with a warning where the law sets the rate instead (public
 * bodies, consumers) or raises it (below 3 × the legal interest rate, the floor applies for that half-year).
 */
function rateWarnings(body: RegisterInvoiceBody, today: string): string[] {
  const rate = body.terms?.latePaymentRatePercent;
  if (rate === undefined) return [];
  const kind = body.customer.kind ?? 'business';
  if (kind === 'public') return ['The contractual late-payment rate does not apply to a public body: interest is the ECB rate + 8 points (Code de la commande publique R2192-31).'];
  if (kind === 'consumer') return ['The contractual late-payment rate does not apply to a consumer: legal interest runs from the formal notice (Code civil 1231-6).'];
  const half = halfYearOf(today);
  const floor = contractualRateFloor(half);
  if (rate >= floor) return [];
  return [
    `The contractual late-payment rate of ${rate} % is below 3 × the legal interest rate (${floor} % in ${half}): the floor applies in every half-year where it is higher (Code de commerce L441-10 II).`,
  ];
}

/**
 * How far from today a due date may lie: back to five years (the limitation period of commercial claims, Code de
 * commerce L110-4: an older debt is no longer the product's to chase) and up to three years ahead. Beyond, a date is
 * a typo, and the business calendar (public holidays are carried for a limited span of years) cannot plan it.
 */
export const DUE_DATE_WINDOW = { yearsBack: 5, yearsAhead: 3 } as const;

function shiftYears(date: string, years: number): string {
  return `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;
}

/** Refuses a due date outside `DUE_DATE_WINDOW` around today, as a 400 on the `dueDate` field. */
export function checkDueDate(dueDate: string, settings: WorkflowSettings, now: Date): void {
  const today = localDate(now, settings.calendar);
  const earliest = shiftYears(today, -DUE_DATE_WINDOW.yearsBack);
  const latest = shiftYears(today, DUE_DATE_WINDOW.yearsAhead);
  if (dueDate < earliest || dueDate > latest) {
    throw new ValidationError('The request is not valid.', [
      { path: 'dueDate', message: `the due date must lie between ${earliest} and ${latest}` },
    ]);
  }
}

/** A new invoice record, as registration makes it; a due date outside the window is a 400. */
export function newInvoiceRecord(body: RegisterInvoiceBody, settings: BillingSettings, now: Date): InvoiceRecord {
  checkDueDate(body.dueDate, settings, now);
  const policy = { ...settings.policy, ...body.policy };
  const at = now.toISOString();
  const preReminderAt = computePreReminderAt(body.dueDate, policy, settings.calendar);
  const scheduledStartAt = deferredStart(preReminderAt, settings, now);
  const warnings = [...termWarnings({ issueDate: body.issueDate, customer: body.customer, registration: body }, body.dueDate), ...rateWarnings(body, localDate(now, settings.calendar))];
  if (preReminderAt < at) warnings.push('The pre-reminder date has passed: the pre-reminder leaves at the next send slot.');
  const record: InvoiceRecord = {
    invoiceId: body.invoiceId,
    registration: body,
    registrationHash: sha256(canonicalJson(body)),
    customer: body.customer,
    amount: body.amount,
    outstanding: body.amount,
    issueDate: body.issueDate,
    dueDate: body.dueDate,
    status: 'scheduled',
    partiallyPaid: false,
    phase: 'before_pre_reminder',
    warnings,
    ...(body.policy ? { policy: body.policy } : {}),
    executionName: executionName(body.invoiceId, 1),
    revision: 1,
    preReminderAt,
    ...(scheduledStartAt ? { scheduledStartAt } : {}),
    nextActionAt: preReminderAt,
    paymentReferences: [],
    suppressedEmails: [],
    escalation: { done: 0 },
    pendingEvents: [],
    lastEventSeq: 0,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  // Planned now, with the very function "Plan the reminders" runs, so that the execution can start at its first wait.
  return scheduledStartAt ? record : planReminders(record, settings, now).change.record;
}

/**
 * The input of an execution that starts now: already planned, so its first wait (where every execution starts) parks
 * at once. Later starts plan when they start: the first wait sends them on to "Plan the reminders".
 */
export function startState(record: InvoiceRecord, now: Date): ExecutionState {
  const start = initialState(record.invoiceId, record.revision);
  if (record.scheduledStartAt || !record.nextActionAt) return start;
  return nextState(start, record, record.phase === 'overdue' ? 'overdue' : 'wait', now);
}

/**
 * When an execution whose pre-reminder lies beyond the horizon starts: a week before the pre-reminder, so the execution
 * stays well within Step Functions' one-year limit. Undefined when it can start now.
 */
export function deferredStart(preReminderAt: string, settings: BillingSettings, now: Date): string | undefined {
  const horizon = now.getTime() + settings.executionHorizonDays * 86_400_000;
  if (Date.parse(preReminderAt) <= horizon) return undefined;
  return new Date(`${addDays(preReminderAt.slice(0, 10), -7)}T00:00:00.000Z`).toISOString();
}

export function openRecord(record: InvoiceRecord): void {
  if (CLOSED_STATUSES.has(record.status)) {
    throw new ConflictError('invoice_closed', `Invoice ${record.invoiceId} is ${record.status}; nothing more can change it.`);
  }
}

/**
 * A new revision of an execution that ended without closing the invoice ("Needs attention"); nothing when another
 * restart already moved the record past `revision`. `status` is how the previous execution ended.
 */
export function restart(record: InvoiceRecord, revision: number, status: string, now: Date): Change | undefined {
  if (record.revision !== revision) return undefined;
  // Paid or cancelled since the operator looked: there is nothing left to run.
  openRecord(record);
  const next = nextRevision(record);
  return {
    record: next,
    timeline: [timelineEntry('execution_restarted', now, { executionName: next.executionName, previous: { executionName: record.executionName, status } })],
  };
}

/**
 * The invoice's next revision, when its execution nears Step Functions' limits (`continuationDue`): the record is
 * handed over as it stands — pending events, promise, dispute, ladder — and the new execution plans from it. Nothing
 * when the revision moved on already (a retried park).
 */
export function continuation(record: InvoiceRecord, revision: number, now: Date): Change | undefined {
  if (record.revision !== revision || CLOSED_STATUSES.has(record.status)) return undefined;
  const next = nextRevision(record);
  return { record: next, timeline: [timelineEntry('execution_continued', now, { executionName: next.executionName, previous: { executionName: record.executionName } })] };
}

/**
 * The record as its next revision starts from it: a new execution name, no token of the old execution, no check of
 * its, and no deferred start (a later revision starts at once and plans from the record).
 */
function nextRevision(record: InvoiceRecord): InvoiceRecord {
  const revision = record.revision + 1;
  return {
    ...record,
    revision,
    executionName: executionName(record.invoiceId, revision),
    parkedToken: undefined,
    parkedWait: undefined,
    lastCheck: undefined,
    parks: 0,
    scheduledStartAt: undefined,
  };
}

/** What a payment met when it arrived on an invoice that was no longer open, for the team. */
const RECEIVED_AFTER: Partial<Record<InvoiceStatus, string>> = {
  handed_off: 'after_hand_off',
  cancelled: 'after_cancellation',
  paid: 'after_payment',
};

/**
 * A payment: money received, recorded whatever the invoice's status; the same reference twice counts once. It goes to
 * the principal first, then to the penalties and the indemnity still claimed, and what exceeds them becomes a credit
 * balance due back to the customer. Once the principal is paid, an open or handed-off invoice is paid (a hand-off
 * stays on the record and the timeline) and the penalties still due are waived or stay claimable, as the policy says;
 * a paid or cancelled invoice stays as it is. Only an execution that still runs is told (a full payment wakes it).
 */
export function payment(record: InvoiceRecord, body: PaymentBody, settings: WorkflowSettings, now: Date): Change | undefined {
  if (record.paymentReferences.includes(body.reference)) return undefined;
  if (body.amount.currency !== record.amount.currency) {
    throw new ValidationError(`The payment is in ${body.amount.currency}; the invoice is in ${record.amount.currency}.`, [
      { path: 'amount.currency', message: `expected ${record.amount.currency}` },
    ]);
  }
  if (datedInFuture(body.paidAt, settings.calendar, now)) {
    throw new ValidationError('The request is not valid.', [{ path: 'paidAt', message: 'a payment cannot be dated in the future' }]);
  }
  const open = !CLOSED_STATUSES.has(record.status);
  const owed = record.status === 'cancelled' || record.status === 'paid' ? 0 : record.outstanding.value;
  const applied = Math.min(owed, body.amount.value);
  const settled = owed > 0 && applied === owed;
  const money = (value: number) => ({ value, currency: record.amount.currency });
  const payments = claimInput(record, settings.calendar).payments;
  const withPrincipal: InvoiceRecord = {
    ...record,
    outstanding: money(owed - applied),
    payments: applied > 0 ? [...payments, { date: paymentDate(body.paidAt, settings.calendar, now), value: applied }] : payments,
    paymentReferences: [...record.paymentReferences, body.reference],
  };
  // Beyond the principal: the penalties and the indemnity still claimed, as they stand once this payment is counted.
  const claim = invoiceClaim(withPrincipal, settings.calendar, now);
  const towardsPenalties = Math.min(body.amount.value - applied, claim.total.value - claim.principal.value);
  const credit = body.amount.value - applied - towardsPenalties;
  const next: InvoiceRecord = {
    ...withPrincipal,
    ...(towardsPenalties > 0 ? { penaltiesPaid: (record.penaltiesPaid ?? 0) + towardsPenalties } : {}),
    ...(open ? { partiallyPaid: !settled } : {}),
    ...(settled ? { status: 'paid' as InvoiceStatus, phase: 'closed' as const, nextActionAt: undefined, partiallyPaid: false } : {}),
    ...(credit > 0 ? withCredit(record, credit) : {}),
  };
  const entry = timelineEntry('payment', now, {
    amount: body.amount,
    paidAt: body.paidAt,
    reference: body.reference,
    outstanding: next.outstanding,
    ...(towardsPenalties > 0 ? { towardsPenalties: money(towardsPenalties) } : {}),
    ...(credit > 0 ? { overpaid: money(credit) } : {}),
    ...(RECEIVED_AFTER[record.status] ? { receivedAfter: RECEIVED_AFTER[record.status] } : {}),
  });
  const afterPrincipal = settled ? penaltiesAfterPrincipal(next, settings, now) : { record: next };
  // A partial payment changes no branch: reminders read the claim when they leave.
  return {
    record: afterPrincipal.record,
    timeline: [entry, ...(afterPrincipal.timeline ?? [])],
    ...(open && settled ? { event: { type: 'payment' as const } } : {}),
  };
}

/**
 * The day a payment counts for: its date, or the creditor's calendar day of its timestamp, and never after today (a
 * timestamp a few minutes ahead, within the clock skew allowed, may fall on tomorrow just after midnight).
 */
function paymentDate(paidAt: string, calendar: WorkflowSettings['calendar'], now: Date): string {
  const day = dayOf(paidAt, calendar);
  const today = localDate(now, calendar);
  return day > today ? today : day;
}

/**
 * The principal is paid: the penalties and the indemnity still due are waived by policy (default) or stay claimable,
 * and the timeline says which, with the amounts.
 */
function penaltiesAfterPrincipal(record: InvoiceRecord, settings: WorkflowSettings, now: Date): Change {
  const claim = invoiceClaim(record, settings.calendar, now);
  const due = claim.total.value - claim.principal.value;
  if (due <= 0) return { record };
  if (!invoicePolicy(record, settings).waivePenaltiesWhenPrincipalPaid) {
    const amount = { value: due, currency: claim.total.currency };
    return { record, timeline: [timelineEntry('penalties_claimable', now, { amount, penalties: claim.penalties.amount, indemnity: claim.indemnity })] };
  }
  return waive(record, { at: now.toISOString(), reason: 'principal paid in full: waived by the creditor\'s policy', by: 'policy' }, settings, now);
}

/** The record with the waiver, and its timeline entry stating what it gives up, as the claim computes it. */
function waive(record: InvoiceRecord, waiver: NonNullable<InvoiceRecord['waiver']>, settings: WorkflowSettings, now: Date): Change {
  const waived = { ...record, waiver };
  const claim = invoiceClaim(waived, settings.calendar, now);
  const detail = { amount: claim.waived!.amount, upTo: claim.waived!.upTo, penalties: claim.penalties.amount, indemnity: claim.indemnity, by: waiver.by, reason: waiver.reason };
  return { record: waived, timeline: [timelineEntry('penalties_waived', now, detail)] };
}

/**
 * An operator gives up the penalties and the indemnity accrued so far (goodwill, a settlement), with a reason kept as
 * evidence. A principal still unpaid bears interest again from the next day, which a later waiver (another reason) may
 * give up in turn: each covers everything up to its own day. The same reason again is a retry and changes nothing.
 */
export function penaltyWaiver(record: InvoiceRecord, body: WaiveBody, settings: WorkflowSettings, now: Date): Change | undefined {
  if (record.waiver?.reason === body.reason) return undefined;
  if (record.status === 'cancelled') openRecord(record);
  return waive(record, { at: now.toISOString(), reason: body.reason, by: 'operator' }, settings, now);
}

const CREDIT_WARNING = 'Credit balance:';

/**
 * The record's credit balance grown by `value`, and the one warning that states it (replacing the previous one, so the
 * warnings do not grow with every payment).
 */
function withCredit(record: InvoiceRecord, value: number): Pick<InvoiceRecord, 'creditBalance' | 'warnings'> {
  const creditBalance = { value: (record.creditBalance?.value ?? 0) + value, currency: record.amount.currency };
  const warning = `${CREDIT_WARNING} ${formatMoney(creditBalance, 'en')} received beyond what was owed is due back to the customer.`;
  return { creditBalance, warnings: [...record.warnings.filter((w) => !w.startsWith(CREDIT_WARNING)), warning] };
}

export function cancellation(record: InvoiceRecord, reason: string, now: Date): Change | undefined {
  if (record.status === 'cancelled') return undefined;
  openRecord(record);
  return { record: cancelled(record), timeline: [timelineEntry('cancelled', now, { reason })], event: { type: 'cancelled' } };
}

/**
 * The record of an invoice cancelled (a mistake, a credit note): it is owed no more, and what was paid on it, towards
 * the principal or the penalties, is due back to the customer, as is anything paid on it afterwards.
 */
function cancelled(record: InvoiceRecord): InvoiceRecord {
  const paid = record.amount.value - record.outstanding.value + (record.penaltiesPaid ?? 0);
  return {
    ...record,
    status: 'cancelled',
    phase: 'closed',
    nextActionAt: undefined,
    outstanding: { ...record.outstanding, value: 0 },
    ...(paid > 0 ? withCredit(record, paid) : {}),
  };
}

/** A new due date (the execution re-plans) and/or new contacts (the next email uses them). */
export function invoiceUpdate(record: InvoiceRecord, body: PatchInvoiceBody, settings: BillingSettings, now: Date): Change | undefined {
  openRecord(record);
  const dueChanged = body.dueDate !== undefined && body.dueDate !== record.dueDate;
  const contactsChanged = body.contacts !== undefined && canonicalJson(body.contacts) !== canonicalJson(record.customer.contacts);
  if (!dueChanged && !contactsChanged) return undefined;
  if (dueChanged && body.dueDate! < record.issueDate) {
    throw new ValidationError('dueDate must not be before the issue date.', [{ path: 'dueDate', message: `issue date is ${record.issueDate}` }]);
  }
  if (dueChanged) checkDueDate(body.dueDate!, settings, now);
  const policy = { ...settings.policy, ...record.policy };
  const next: InvoiceRecord = { ...record };
  const timeline: TimelineEntry[] = [];
  if (contactsChanged) {
    next.customer = { ...record.customer, contacts: body.contacts! };
    timeline.push(timelineEntry('contacts_changed', now, { contacts: body.contacts!.map((c) => c.email) }));
  }
  if (dueChanged) {
    // The terms are checked again for the new date: the old date's warning goes, the new one's (if any) comes.
    const stale = new Set(termWarnings(record, record.dueDate));
    next.warnings = [...record.warnings.filter((w) => !stale.has(w)), ...termWarnings(record, body.dueDate!)];
    next.dueDate = body.dueDate!;
    next.dueDateChanges = (record.dueDateChanges ?? 0) + 1;
    next.preReminderAt = computePreReminderAt(body.dueDate!, policy, settings.calendar);
    timeline.push(timelineEntry('due_date_changed', now, { from: record.dueDate, to: body.dueDate }));
    if (next.scheduledStartAt) {
      // Not started yet: start now if the new date is within the horizon (the old schedule then finds it running),
      // else move the scheduled start with the pre-reminder.
      next.scheduledStartAt = deferredStart(next.preReminderAt, settings, now);
    }
  }
  return { record: next, timeline, ...(dueChanged ? { event: { type: 'due_date_changed' as const } } : {}) };
}

/** The operator's decision on an open dispute. */
export function disputeResolution(record: InvoiceRecord, body: ResolveDisputeBody, settings: BillingSettings, now: Date): Change {
  openRecord(record);
  if (record.dispute?.status !== 'open') {
    throw new ConflictError('no_open_dispute', `Invoice ${record.invoiceId} has no open dispute.`);
  }
  const dispute = { ...record.dispute, status: 'resolved' as const, outcome: body.outcome };
  const timeline = [timelineEntry('dispute_resolved', now, { outcome: body.outcome, note: body.note, correctedAmount: body.correctedAmount })];
  if (body.outcome === 'credit_note') {
    return {
      record: cancelled({ ...record, dispute }),
      timeline: [...timeline, timelineEntry('cancelled', now, { reason: 'credit note after dispute' })],
      event: { type: 'cancelled' },
    };
  }
  const next: InvoiceRecord = { ...record, dispute, status: backOnTrackStatus(record, settings, now) };
  if (body.outcome === 'corrected_amount') {
    const corrected = body.correctedAmount!;
    if (corrected.currency !== record.amount.currency) throw new ValidationError('correctedAmount must be in the invoice currency.');
    const paidSoFar = record.amount.value - record.outstanding.value;
    next.amount = corrected;
    next.outstanding = { value: Math.max(0, corrected.value - paidSoFar), currency: corrected.currency };
    // Paid beyond the corrected amount already: the difference is due back to the customer.
    const excess = paidSoFar - corrected.value;
    if (excess > 0) Object.assign(next, withCredit(record, excess));
    timeline[0].outstanding = next.outstanding;
    if (next.outstanding.value === 0) {
      // Settled by the correction: the penalties are decided as after any payment of the principal.
      const settled = penaltiesAfterPrincipal({ ...next, status: 'paid', phase: 'closed', nextActionAt: undefined }, settings, now);
      return { record: settled.record, timeline: [...timeline, ...(settled.timeline ?? [])], event: { type: 'payment' } };
    }
  }
  return { record: next, timeline, event: { type: 'dispute_resolved' } };
}

/** Where an invoice stands once its dispute is rejected or corrected: a promise still open holds again. */
function backOnTrackStatus(record: InvoiceRecord, settings: WorkflowSettings, now: Date): InvoiceStatus {
  if (hasOpenPromise(record)) return 'promised';
  if (reached(replyDeadline(record, settings.calendar), now)) return 'overdue';
  return record.preReminderSentFor === record.dueDate ? 'awaiting_reply' : 'scheduled';
}

/** A collector's phone call: a promise or a dispute changes the course; other outcomes go on the timeline. */
export function callOutcome(record: InvoiceRecord, body: CallOutcomeBody, settings: BillingSettings, now: Date): Change {
  openRecord(record);
  const timeline = [timelineEntry('call_outcome', now, { outcome: body.outcome, note: body.note, promisedDate: body.promisedDate })];
  if (body.outcome === 'promised') {
    return promiseChange(record, settings, now, { date: body.promisedDate!, method: body.paymentMethod, source: 'call' }, timeline);
  }
  if (body.outcome === 'disputed') {
    return disputeChange(record, now, { reason: 'call', message: body.note }, timeline);
  }
  return { record, timeline };
}

export type PromiseDateProblem = 'past' | 'too_far';

/**
 * Why a promised date cannot be taken: before today (creditor's calendar), or after the policy's `maxPromiseDays` from
 * today. A date after the due date is fine: it is still a commitment, flagged for the team.
 */
export function promiseDateProblem(date: string, policy: DunningPolicy, today: string): PromiseDateProblem | undefined {
  if (date < today) return 'past';
  if (date > latestPromiseDate(policy, today)) return 'too_far';
  return undefined;
}

/** The form error of a promised date the policy refuses (see `promiseDateProblem`), or nothing when it may be named. */
export function promiseDateError(date: string, policy: DunningPolicy, today: string): ValidationError | undefined {
  const problem = promiseDateProblem(date, policy, today);
  if (!problem) return undefined;
  const message =
    problem === 'past'
      ? `the promised date is before today (${today})`
      : `the promised date is after ${latestPromiseDate(policy, today)}, ${policy.maxPromiseDays} days from today: a longer delay is agreed with the credit team`;
  return new ValidationError('The request is not valid.', [{ path: 'promisedDate', message, code: `promise_${problem}` }]);
}

/** The latest date a promise made today may name. */
export function latestPromiseDate(policy: DunningPolicy, today: string): string {
  return addDays(today, policy.maxPromiseDays);
}

function promiseChange(
  record: InvoiceRecord,
  settings: BillingSettings,
  now: Date,
  promise: { date: string; method?: InvoiceRecord['registration']['paymentMethod']; source: 'customer' | 'call' },
  timeline: TimelineEntry[] = [],
): Change {
  const policy = invoicePolicy(record, settings);
  const today = localDate(now, settings.calendar);
  const error = promiseDateError(promise.date, policy, today);
  if (error) throw error;
  const afterDueDate = promise.date > record.dueDate;
  return {
    record: {
      ...record,
      // An open dispute still pauses the procedure: the promise is kept and holds once the dispute is resolved.
      status: record.dispute?.status === 'open' ? 'disputed' : 'promised',
      promise: { date: promise.date, ...(promise.method ? { method: promise.method } : {}), afterDueDate, at: now.toISOString(), source: promise.source },
    },
    timeline: [...timeline, timelineEntry('promise', now, { promisedDate: promise.date, method: promise.method, afterDueDate, source: promise.source })],
    event: { type: 'promise' },
  };
}

function disputeChange(
  record: InvoiceRecord,
  now: Date,
  dispute: { reason: NonNullable<InvoiceRecord['dispute']>['reason']; message?: string },
  timeline: TimelineEntry[] = [],
): Change {
  return {
    record: {
      ...record,
      status: 'disputed',
      dispute: { reason: dispute.reason, ...(dispute.message ? { message: dispute.message } : {}), at: now.toISOString(), status: 'open' },
    },
    timeline: [...timeline, timelineEntry('dispute', now, { reason: dispute.reason, message: dispute.message })],
    event: { type: 'dispute' },
  };
}

/** The customer's one-click answer from the page behind a link; the same answer twice changes nothing. */
export function customerAnswer(
  record: InvoiceRecord,
  contactEmail: string,
  answer: CustomerAnswer,
  settings: BillingSettings,
  now: Date,
): Change | undefined {
  openRecord(record);
  const by = { contact: contactEmail };
  switch (answer.action) {
    case 'promise': {
      if (record.promise?.date === answer.promisedDate && record.promise.method === answer.paymentMethod && record.status === 'promised') {
        return undefined;
      }
      const change = promiseChange(record, settings, now, { date: answer.promisedDate, method: answer.paymentMethod, source: 'customer' });
      change.timeline = change.timeline!.map((t) => ({ ...t, ...by, ...(answer.message ? { message: answer.message } : {}) }));
      return change;
    }
    case 'dispute': {
      if (record.dispute?.status === 'open' && record.dispute.reason === answer.reason && record.dispute.message === answer.message) {
        return undefined;
      }
      const change = disputeChange(record, now, { reason: answer.reason, message: answer.message });
      change.timeline = change.timeline!.map((t) => ({ ...t, ...by }));
      return change;
    }
    case 'question': {
      const detail: Record<string, string> = { message: answer.message, from: contactEmail };
      if (answer.contactName) detail.contactName = answer.contactName;
      if (answer.contactEmail) detail.contactEmail = answer.contactEmail;
      return {
        record,
        timeline: [timelineEntry('question', now, { ...detail })],
        event: { type: 'question', detail },
      };
    }
    case 'bank_details': {
      // The same answer again from the same contact, with the same words, is a second click: nothing new.
      const last = record.bankDetailsCheck;
      if (last?.answer === answer.bankDetails && last.contact === contactEmail && last.message === answer.message) return undefined;
      const check = { answer: answer.bankDetails, at: now.toISOString(), contact: contactEmail, ...(answer.message ? { message: answer.message } : {}) };
      const facts = { ...by, ...(answer.message ? { message: answer.message } : {}) };
      if (answer.bankDetails === 'match') {
        return { record: { ...record, bankDetailsCheck: check }, timeline: [timelineEntry('bank_details_confirmed', now, facts)] };
      }
      return {
        record: { ...record, bankDetailsCheck: check },
        timeline: [timelineEntry('bank_details_differ', now, facts)],
        event: { type: 'bank_details', detail: { from: contactEmail, ...(answer.message ? { message: answer.message } : {}) } },
      };
    }
  }
}

/** How many supporting documents one invoice may hold: an evidence file, not a document store. */
export const MAX_DOCUMENTS_PER_INVOICE = 30;

/**
 * A supporting document attached to an invoice, in any status (an evidence file is completed after the hand-off too).
 * The same file (same content, same name) twice is attached once.
 */
export function documentAttachment(record: InvoiceRecord, document: AttachedDocument, now: Date): Change | undefined {
  const documents = record.documents ?? [];
  if (documents.some((d) => d.sha256 === document.sha256 && d.filename === document.filename)) return undefined;
  if (documents.length >= MAX_DOCUMENTS_PER_INVOICE) {
    throw new ConflictError('too_many_documents', `Invoice ${record.invoiceId} already holds ${MAX_DOCUMENTS_PER_INVOICE} documents.`);
  }
  const { key: _key, at: _at, ...facts } = document;
  return { record: { ...record, documents: [...documents, document] }, timeline: [timelineEntry('document_attached', now, facts)] };
}
