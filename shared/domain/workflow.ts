/**
 * What the execution does at each step, as pure functions of the invoice record and the time. The workflow handlers
 * only read the record, call these, write the result and return the next execution state.
 */
import { addDays, nextSendSlot, preReminderInstant, startOfLocalDay, type BusinessCalendar } from './calendar';
import type { ExecutionState, Next } from './execution-state';
import { EXECUTION_LIMITS, SEND_ON_SECONDS, waitUntil } from './execution-state';
import { CLOSED_STATUSES, timelineEntry, type Change, type InvoiceRecord, type Phase, type WorkflowEvent } from './invoice';
import { resolvePolicy, type DunningPolicy } from './policy';
import { handOffNotBefore } from './registered-letter';

export interface WorkflowSettings {
  calendar: BusinessCalendar;
  /** The creditor-wide policy; the invoice's own overrides are applied on top. */
  policy: DunningPolicy;
}

export function invoicePolicy(record: InvoiceRecord, settings: WorkflowSettings): DunningPolicy {
  return resolvePolicy(settings.policy, record.policy);
}

/** The moment the due date has passed: midnight at the end of the due date, creditor time. */
export function replyDeadline(record: InvoiceRecord, calendar: BusinessCalendar): string {
  return startOfLocalDay(addDays(record.dueDate, 1), calendar);
}

/** A promise is broken when no payment has arrived by the promised date plus the grace days; checked at send time. */
export function promiseDeadline(promiseDate: string, policy: DunningPolicy, calendar: BusinessCalendar): string {
  return nextSendSlot(addDays(promiseDate, policy.promiseGraceDays + 1), calendar);
}

export function disputeFollowUpAt(from: Date, policy: DunningPolicy, calendar: BusinessCalendar): string {
  const date = addDays(from.toISOString().slice(0, 10), policy.disputeFollowUpDays);
  return nextSendSlot(date, calendar, from.toISOString());
}

export function computePreReminderAt(dueDate: string, policy: DunningPolicy, calendar: BusinessCalendar): string {
  return preReminderInstant(dueDate, policy.daysBeforeDue, calendar);
}

/** The state to hand back to the state machine: which branch, which phase, and until when the next park waits. */
export function nextState(state: ExecutionState, record: InvoiceRecord, wanted: Next, now: Date): ExecutionState {
  const { error: _error, routed: _routed, ...rest } = state;
  // An invoice that closed while the step ran (a credit note during the pre-reminder) has no wait left: "Check what
  // happened" ends the execution as the invoice ended. (No wait is the wait of a closed phase.)
  const next: Next = wanted === 'wait' && (record.phase === 'closed' || isClosed(record)) ? 'check' : wanted;
  return {
    ...rest,
    // A step that sends the execution to "Check what happened" starts a new check, not a retry of the last one —
    // unless a waker took this very step's check and the execution has not acted on it (`answerOwed`): the check with
    // the same step gives that answer.
    ...(next === 'check' && !answerOwed(record, state) ? { step: state.step + 1 } : {}),
    next,
    phase: record.phase,
    // Always the record's own wake-up time, never one carried over from an earlier state; with none planned (a closed
    // invoice), a wait that may come next ends at once and its park or its step finds out why. A state for another
    // step is sent on by the wait it meets, which then waits no longer than the send-on window.
    wait: next === 'wait' ? waitUntil(record.nextActionAt ?? now.toISOString(), now) : { seconds: SEND_ON_SECONDS },
  };
}

/**
 * "Plan the reminders": where the invoice stands for its current due date. Also runs after a due-date change, which
 * keeps an open promise or dispute as it is.
 */
export function planReminders(
  record: InvoiceRecord,
  settings: WorkflowSettings,
  now: Date,
): { change: Change; next: Next } {
  const closed = closedOutcome(record);
  if (closed) return { change: { record: { ...record, phase: 'closed', parkedToken: undefined } }, next: closed };
  const policy = invoicePolicy(record, settings);
  const nowIso = now.toISOString();
  const deadline = replyDeadline(record, settings.calendar);
  let phase: Phase;
  let nextActionAt: string;
  let status = record.status;
  // An open dispute or promise holds across a replan whatever the status says (the status follows from them).
  if (record.dispute?.status === 'open') {
    phase = 'disputed';
    status = 'disputed';
    nextActionAt = disputeFollowUpAt(now, policy, settings.calendar);
  } else if (hasOpenPromise(record)) {
    phase = 'promised';
    status = 'promised';
    nextActionAt = promiseDeadline(record.promise.date, policy, settings.calendar);
  } else if (reached(deadline, now)) {
    phase = 'overdue';
    status = 'overdue';
    nextActionAt = nowIso;
  } else if (record.preReminderSentFor === record.dueDate) {
    phase = 'awaiting_reply';
    status = 'awaiting_reply';
    nextActionAt = deadline;
  } else {
    phase = 'before_pre_reminder';
    status = 'scheduled';
    // A pre-reminder whose time has passed (late registration, moved due date) leaves at the next send slot.
    const planned = computePreReminderAt(record.dueDate, policy, settings.calendar);
    nextActionAt = planned >= nowIso ? planned : nextSendSlot(nowIso.slice(0, 10), settings.calendar, nowIso);
    if (nextActionAt >= deadline) {
      phase = 'overdue';
      status = 'overdue';
      nextActionAt = nowIso;
    }
  }
  const next: Next = phase === 'overdue' ? 'overdue' : 'wait';
  // A due date moved into the future is a fresh start: the ladder begins again from its first rung, in a new cycle
  // whose emails are new ones (the first cycle's reminder must not stop the second's).
  const escalation = phase === 'before_pre_reminder' || phase === 'awaiting_reply' ? restartLadder(record.escalation) : record.escalation;
  return { change: { record: { ...record, phase, status, nextActionAt, escalation } }, next };
}

function restartLadder(escalation: InvoiceRecord['escalation']): InvoiceRecord['escalation'] {
  if (escalation.done === 0 && !escalation.lastAt) return escalation;
  return { done: 0, cycle: (escalation.cycle ?? 0) + 1 };
}

/** A promise made and not yet broken: the execution waits for it. */
export function hasOpenPromise(record: InvoiceRecord): record is InvoiceRecord & { promise: NonNullable<InvoiceRecord['promise']> } {
  return record.promise !== undefined && record.promise.brokenAt === undefined;
}

/**
 * Whether a step that a wait's deadline led to may act. A wait that times out goes straight to its deadline's step,
 * without "Check what happened": an event that reached the record meanwhile (a promise a moment before the deadline, an
 * answer whose wake-up was throttled) or a phase that moved on must not be overlooked. When this says no, the step
 * does nothing and the execution checks first (next `check`), then decides again.
 */
export function deadlineStillHolds(record: InvoiceRecord, ...phases: Phase[]): boolean {
  return record.pendingEvents.length === 0 && phases.includes(record.phase);
}

/**
 * Whether the record's own wake-up time has come: a step that acts on a deadline does so only then, so that a retry of
 * the step after its own write landed (the write reached the table, its answer did not reach the step) finds the
 * deadline moved or cleared and does not act twice.
 */
function deadlineReached(record: InvoiceRecord, now: Date): boolean {
  return record.nextActionAt !== undefined && reached(record.nextActionAt, now);
}

/** Whether the step a deadline of `phase` led to acts now: the deadline still holds and its time has come. */
export function deadlineDue(record: InvoiceRecord, phase: Phase, now: Date): boolean {
  return deadlineStillHolds(record, phase) && deadlineReached(record, now);
}

/**
 * The key of each step's email: it names the cause, so a retry of the step finds its email claimed, while a new cause
 * (another due date, another ladder cycle, another promise) sends its own.
 */
export const emailKeys = {
  preReminder: (record: InvoiceRecord) => `pre_reminder@${record.dueDate}${record.dueDateChanges ? `#${record.dueDateChanges}` : ''}`,
  ladder: (record: InvoiceRecord, rung: number) =>
    record.escalation.cycle ? `ladder@c${record.escalation.cycle}@${rung}` : `ladder@${rung}`,
};

/** How the execution of a closed invoice ends: paid, cancelled, or handed off (which nothing reopens). */
function closedOutcome(record: InvoiceRecord): Next | undefined {
  return endingOf(record) ?? (record.status === 'handed_off' ? 'handed_off' : undefined);
}

/**
 * The ending a parked execution goes straight to, if its invoice is paid or cancelled: whatever else waits on the
 * record, "Check what happened" would end it there too (see checkWhatHappened), so the wake-up skips that step.
 */
export function endingOf(record: InvoiceRecord): 'paid' | 'cancelled' | undefined {
  if (record.status === 'paid') return 'paid';
  if (record.status === 'cancelled') return 'cancelled';
  return undefined;
}

export interface CheckResult {
  change: Change;
  next: Next;
  /** The event taken, when the next step needs its detail (a question's text). */
  event?: WorkflowEvent;
}

/**
 * "Check what happened": takes the oldest pending event (payment and cancellation first), or, with none, acts on the
 * phase's deadline if it has come. One event per check keeps every event's handling simple; the next park sees the
 * remaining ones at once.
 */
export function checkWhatHappened(record: InvoiceRecord, settings: WorkflowSettings, now: Date): CheckResult {
  const base: InvoiceRecord = { ...record, parkedToken: undefined };
  const closed = closedOutcome(record);
  if (closed) return { change: { record: { ...base, phase: 'closed', pendingEvents: [] } }, next: closed };

  const policy = invoicePolicy(record, settings);
  const [event, ...rest] = record.pendingEvents;
  if (event) {
    const taken: InvoiceRecord = { ...base, pendingEvents: rest };
    return { ...takeEvent(taken, event, policy, settings, now), event };
  }

  // A phase with nothing planned (a hand-off that found the ladder's plan overtaken) is planned again, not waited on.
  if (!record.nextActionAt) return { change: { record: base }, next: 'replan' };
  if (!reached(record.nextActionAt, now)) return { change: { record: base }, next: 'wait' };

  // A phase whose reason is gone (waiting on a dispute no longer open, on a promise no longer open) is planned again
  // rather than sent to a step that would find nothing to do.
  if ((record.phase === 'disputed' && record.dispute?.status !== 'open') || (record.phase === 'promised' && !hasOpenPromise(record))) {
    return { change: { record: base }, next: 'replan' };
  }
  // The deadline of the phase has come (a park that woke itself, or a wake that found it due): the step for that
  // deadline makes the change, exactly as when the wait times out and goes to it directly.
  return { change: { record: base }, next: DEADLINE_STEP[record.phase] };
}

/** The step each phase's wait leads to when its deadline comes (the definition's `States.Timeout` catches agree). */
const DEADLINE_STEP: Record<Phase, Next> = {
  before_pre_reminder: 'send_pre_reminder',
  awaiting_reply: 'overdue',
  promised: 'promise_broken',
  disputed: 'dispute_follow_up',
  overdue: 'escalate',
  closed: 'wait',
};

/**
 * "Check what happened" for the execution in `state`: the answer to hand back (the next state) and the change to write
 * with it, which keeps the answer as the record's `lastCheck`. A check already taken for this step (a retried check,
 * or one a waker took in the execution's place) gives its answer again and changes nothing; so does an execution whose
 * invoice moved on to a newer revision (it ends).
 */
export function checkFor(record: InvoiceRecord, state: ExecutionState, settings: WorkflowSettings, now: Date): { answer: ExecutionState; change?: Change } {
  if (superseded(record, state)) return { answer: { ...state, next: 'continued' } };
  if (record.lastCheck?.step === state.step) return { answer: record.lastCheck.result as ExecutionState };
  const { change, next, event } = checkWhatHappened(record, settings, now);
  const { event: _previous, ...rest } = nextState(state, change.record, next, now);
  const answer: ExecutionState = {
    ...rest,
    step: state.step + 1,
    ...(event ? { event: { type: event.type, seq: event.seq, ...(event.detail ? { detail: event.detail } : {}) } } : {}),
  };
  return { answer, change: { ...change, record: { ...change.record, lastCheck: { step: state.step, result: answer } } } };
}

/**
 * Whether the check of this very step was taken already, and the execution has not acted on it: a waker took the event
 * and sent it on, and the wait timed out before that reached it. The step the timeout led to must not act on the
 * deadline: it goes to "Check what happened" with the same step, which gives that answer.
 */
export function answerOwed(record: InvoiceRecord, state: ExecutionState): boolean {
  return record.lastCheck?.step === state.step;
}

/** How far from its wake-up time a waker still takes an event in a wait's place: more than any clock skew. */
const TAKE_BEFORE_MS = 60_000;

/**
 * Whether the wait parked with `state` is surely still parked at `now`, so that a waker may take an event in its place:
 * its timeout cannot have come. The timeout comes no earlier than the wake-up time (`seconds` were counted from the
 * moment the state was made, before the wait began), unless the wait was cut to the longest one allowed. A wait that
 * may have timed out is only woken: the step its timeout led to may be running, and takes the event itself.
 */
export function surelyWaiting(state: ExecutionState, now: Date): boolean {
  const { wait } = state;
  if (!wait?.until || wait.seconds >= EXECUTION_LIMITS.maxWaitDays * 86_400) return false;
  return now.getTime() < Date.parse(wait.until) - TAKE_BEFORE_MS;
}

/**
 * The steps a wait (or a callback step) sends the execution to directly, without "Decide the next step": each is a
 * `Dunning.Route.<next>` Catch of every wait and callback step in the definition. Any other state a wait must send on
 * goes through "Decide the next step"; a callback step sends it on to its Next.
 */
export const ROUTED_STEPS: ReadonlySet<Next> = new Set<Next>(['promise', 'dispute', 'question', 'bank_details', 'dispute_outcome', 'replan', 'overdue', 'hand_off', 'handed_off']);

/**
 * Whether `state` is one the wait of `phase` waits in. The steps before a wait go straight to it, without a Choice, and
 * so does the start: a state that is not the wait's own (a start that must be planned, a step that found something to
 * check, the hand-off after the last rung) is sent on by the park.
 */
export function isWaitOf(state: ExecutionState, phase: Phase | undefined): boolean {
  return state.next === 'wait' && (phase === undefined || state.phase === phase);
}

/** "Promise broken": no payment by the promised date plus grace; the ladder goes on from now. */
export function breakPromise(record: InvoiceRecord, settings: WorkflowSettings, now: Date): Change {
  if (!promiseDeadlinePassed(record, now)) return { record };
  return {
    record: {
      ...record,
      phase: 'overdue',
      status: overdueStatus(record, settings, now),
      escalation: { ...record.escalation, lastAt: now.toISOString() },
      ...(record.promise ? { promise: { ...record.promise, brokenAt: now.toISOString() } } : {}),
    },
    timeline: [timelineEntry('promise_broken', now, { promisedDate: record.promise?.date })],
  };
}

/**
 * Whether the promise the record holds is broken now: its deadline has come, nothing is waiting on the record (a new
 * promise among it) and the execution still waits for it.
 */
export function promiseDeadlinePassed(record: InvoiceRecord, now: Date): boolean {
  // The record's own deadline, the very one "Check what happened" goes by, and not one computed again from the policy
  // of today: were they to differ (the grace days changed meanwhile), the check and this step would send the
  // execution back and forth.
  return deadlineDue(record, 'promised', now) && hasOpenPromise(record);
}

/** "Remind team of open dispute": the next reminder comes after another follow-up delay. */
export function followUpDispute(record: InvoiceRecord, settings: WorkflowSettings, now: Date): Change {
  if (!deadlineDue(record, 'disputed', now) || record.dispute?.status !== 'open') return { record };
  return { record: { ...record, nextActionAt: disputeFollowUpAt(now, invoicePolicy(record, settings), settings.calendar) } };
}

function takeEvent(
  record: InvoiceRecord,
  event: WorkflowEvent,
  policy: DunningPolicy,
  settings: WorkflowSettings,
  now: Date,
): { change: Change; next: Next } {
  switch (event.type) {
    case 'due_date_changed':
      return { change: { record }, next: 'replan' };
    case 'promise': {
      if (!hasOpenPromise(record)) return { change: { record }, next: 'wait' };
      // A promise made while a dispute is open is acknowledged and kept, but the dispute still pauses the procedure: the
      // promise holds again once the team resolves the dispute (shared/domain/billing.ts, backOnTrackStatus).
      if (record.dispute?.status === 'open') return { change: { record: { ...record, phase: 'disputed', status: 'disputed' } }, next: 'promise' };
      const nextActionAt = promiseDeadline(record.promise.date, policy, settings.calendar);
      return { change: { record: { ...record, phase: 'promised', status: 'promised', nextActionAt } }, next: 'promise' };
    }
    case 'dispute':
      return {
        change: { record: { ...record, phase: 'disputed', status: 'disputed', nextActionAt: disputeFollowUpAt(now, policy, settings.calendar) } },
        next: 'dispute',
      };
    case 'question':
      return { change: { record }, next: 'question' };
    case 'bank_details':
      return { change: { record }, next: 'bank_details' };
    case 'registered_letter':
      // The letter's posting or receipt moves the hand-off: on the ladder, plan it again; elsewhere it waits its turn.
      return { change: { record }, next: record.phase === 'overdue' ? 'overdue' : 'wait' };
    case 'dispute_resolved':
      // The customer hears the outcome, then the plan decides between awaiting the reply and the ladder.
      return { change: { record }, next: 'dispute_outcome' };
    default:
      // payment (partial) and cancellation are handled by the status; nothing else to do
      return { change: { record }, next: 'wait' };
  }
}

/** "Next escalation step": the next rung of the ladder and when it happens, or the hand-off. */
export function planEscalation(record: InvoiceRecord, settings: WorkflowSettings, now: Date): { change: Change; next: Next } {
  const closed = closedOutcome(record);
  if (closed) return { change: { record: { ...record, phase: 'closed' } }, next: closed };
  if (!deadlineStillHolds(record, 'awaiting_reply', 'overdue')) return { change: { record }, next: 'check' };
  const decision = planRung(record, settings, now);
  // Coming straight from "Await customer reply": the due date has passed in silence.
  if (record.phase === 'awaiting_reply') {
    decision.change.timeline = [timelineEntry('escalation', now, { step: 'due_date_passed' }), ...(decision.change.timeline ?? [])];
  }
  return decision;
}

function planRung(record: InvoiceRecord, settings: WorkflowSettings, now: Date): { change: Change; next: Next } {
  const policy = invoicePolicy(record, settings);
  const rung = policy.ladder[record.escalation.done];
  const handOff = { change: { record: { ...record, phase: 'overdue' as const, status: overdueStatus(record, settings, now), nextActionAt: undefined } }, next: 'hand_off' as const };
  const nowIso = now.toISOString();
  const earliest = record.escalation.lastAt
    ? addDays(record.escalation.lastAt.slice(0, 10), policy.minimumGapDays)
    : record.dueDate;
  const onLadder = rung ? addDays(record.dueDate, rung.offsetDays) : earliest;
  const date = onLadder > earliest ? onLadder : earliest;
  if (!rung || rung.action === 'hand_off') {
    // The hand-off rung has its own offset too (+45 by default), and never comes before the formal notice's deadline
    // has run (a notice served late, after a broken promise; its letter received late): wait for the later one's send
    // slot, then hand off.
    const deadline = handOffNotBefore(record, policy, settings.calendar);
    const day = !rung && !deadline ? undefined : deadline && deadline > date ? deadline : date;
    if (!day) return handOff;
    const handOffAt = nextSendSlot(day, settings.calendar);
    if (reached(handOffAt, now)) return handOff;
    return { change: { record: { ...record, phase: 'overdue', status: overdueStatus(record, settings, now), nextActionAt: handOffAt } }, next: 'wait' };
  }
  const nextActionAt = nextSendSlot(date, settings.calendar, nowIso);
  return { change: { record: { ...record, phase: 'overdue', status: overdueStatus(record, settings, now), nextActionAt } }, next: 'wait' };
}

/**
 * "Hand off to legal": the commit point of the hand-off. A payment or a cancellation that got there first wins (the
 * execution ends Paid or Cancelled and nothing is handed off); a retried step finds the hand-off done and goes on.
 */
export function handOff(record: InvoiceRecord, now: Date): { change: Change; next: Next } {
  const closed = closedOutcome(record);
  if (closed) return { change: { record: { ...record, phase: 'closed', parkedToken: undefined } }, next: closed };
  if (record.status === 'handed_off') return { change: { record }, next: 'handed_off' };
  // An answer that came while the hand-off was due (a dispute, a promise) is heard before anything is handed off, and
  // an open dispute is never handed off: planning again puts the invoice back to waiting for its resolution.
  if (!deadlineStillHolds(record, 'overdue')) return { change: { record }, next: 'check' };
  if (record.dispute?.status === 'open') return { change: { record }, next: 'replan' };
  return {
    change: {
      record: { ...record, status: 'handed_off', phase: 'closed', handedOffAt: now.toISOString(), nextActionAt: undefined, parkedToken: undefined },
      timeline: [timelineEntry('handed_off', now, { evidence: `/invoices/${encodeURIComponent(record.invoiceId)}/evidence` })],
    },
    next: 'handed_off',
  };
}

/** On the ladder but not yet past the due date (a promise broken early) the invoice is not called overdue. */
function overdueStatus(record: InvoiceRecord, settings: WorkflowSettings, now: Date): InvoiceRecord['status'] {
  return reached(replyDeadline(record, settings.calendar), now) ? 'overdue' : 'awaiting_reply';
}

/**
 * True once `now` is at or after `instant`. Compares instants, not strings: computed instants read `...T08:00:00Z`
 * while `toISOString()` reads `...T08:00:00.000Z`, and `'.' < 'Z'` would put the exact instant before itself.
 */
export function reached(instant: string, now: Date): boolean {
  return now.getTime() >= Date.parse(instant);
}

export function isClosed(record: InvoiceRecord): boolean {
  return CLOSED_STATUSES.has(record.status);
}

/**
 * Whether the invoice has moved on to a newer revision than the execution's (a continuation): that execution's steps
 * do nothing more and it ends.
 */
export function superseded(record: InvoiceRecord, state: { revision: number }): boolean {
  return record.revision !== state.revision;
}

/**
 * Whether a parked wait must end now rather than at its deadline: an event waits on the record, the invoice closed, or
 * the wake-up time has come. The park asks it before it parks; a buffered wake-up asks it again when it is delivered.
 */
export function mustWake(record: InvoiceRecord, now: Date): boolean {
  return record.pendingEvents.length > 0 || isClosed(record) || (record.nextActionAt !== undefined && reached(record.nextActionAt, now));
}
