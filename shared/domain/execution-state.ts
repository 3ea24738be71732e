import { createHash } from 'node:crypto';
/**
 * The small JSON object the state machine carries from state to state. Every Lambda task receives
 * `{ state, ... }` and returns the next state; the record in DynamoDB stays the source of truth.
 */
import type { Phase } from './invoice';

/** What "Decide the next step" routes on (see statemachines/invoice-dunning.asl.json). */
export type Next =
  | 'plan'
  | 'wait'
  | 'paid'
  | 'cancelled'
  | 'replan'
  | 'send_pre_reminder'
  | 'promise'
  | 'promise_broken'
  | 'dispute'
  | 'dispute_follow_up'
  /** The team decided on a dispute (rejected, corrected amount): tell the customer, then plan again. */
  | 'dispute_outcome'
  | 'question'
  /** The customer says our bank details differ from its own: alert the team at once, then go on. */
  | 'bank_details'
  | 'overdue'
  | 'escalate'
  | 'hand_off'
  | 'handed_off'
  /** A deadline's step found something new on the record: check it first (`deadlineStillHolds`). */
  | 'check'
  /** This execution handed the invoice to its next revision (`continuation`): it ends. */
  | 'continued'
  /** The input of a payment notice's own short execution (`paymentNoticeExecution`). */
  | 'payment_notice';

export interface ExecutionState {
  invoiceId: string;
  revision: number;
  /** Counts the checks; a retried check with the same step returns the same answer. */
  step: number;
  phase: Phase;
  next: Next;
  /**
   * The wake-up time of the next park; `seconds` feeds the task's TimeoutSecondsPath. A state that is not a wait's own
   * (`next` other than `wait`) has no wake-up time, only the send-on window (`SEND_ON_SECONDS`).
   */
  wait?: { until?: string; seconds: number };
  /** The event the last check took, when the next step needs its detail (a question's text). */
  event?: { type: string; seq: number; detail?: Record<string, string> };
  /** Set by a Catch on the way to "Needs attention". */
  error?: { Error?: string; Cause?: string };
  /**
   * Set by a wait's `Dunning.Route.<next>` Catch: the state the park or the waker sent the execution on with, in the
   * cause (see `routedState`). The step it leads to acts on that state, not on the wait's own input.
   */
  routed?: { Error?: string; Cause?: string };
}

/**
 * The state a step acts on: the one a wait sent it with (`Dunning.Route.<next>`, the state in the cause), or its own
 * input. The cause comes from the park or a waker through the task token, which never leaves the table; it must still
 * be this invoice's and this revision's.
 */
export function routedState(state: ExecutionState): ExecutionState {
  if (!state.routed?.Cause) return state;
  const routed = JSON.parse(state.routed.Cause) as ExecutionState;
  if (routed.invoiceId !== state.invoiceId || routed.revision !== state.revision) {
    throw new Error(`A routed state for ${routed.invoiceId} r${routed.revision} reached ${state.invoiceId} r${state.revision}`);
  }
  return routed;
}

/**
 * How long a wait lasts when it is handed a state that is not its own, which its park sends on at once: only should
 * the send-on be lost (throttled, and the buffer's retries late) does the wait end on its own, into its deadline's
 * step, which looks at the record before it acts. Every wait reads `$.wait.seconds`, so every state carries one.
 */
export const SEND_ON_SECONDS = 900;
const SEND_ON_WAIT = { seconds: SEND_ON_SECONDS };

/** The input of a new execution: the first wait sends it on to be planned. */
export function initialState(invoiceId: string, revision: number): ExecutionState {
  return { invoiceId, revision, step: 0, phase: 'before_pre_reminder', next: 'plan', wait: SEND_ON_WAIT };
}

/**
 * Step Functions' limits on one execution: a year, and 25,000 history events. An execution whose next wake-up would
 * come later than `maxAgeDays` after its start, or that parked `maxParks` times (some 25 events each: 12,500 events, half
 * the limit, whatever its retries add), hands the invoice to a new revision instead of parking again. No wait is longer
 * than `maxWaitDays`, well under `maxAgeDays`, so that a fresh revision never has to continue at once.
 */
export const EXECUTION_LIMITS = { maxAgeDays: 350, maxParks: 500, maxWaitDays: 300 } as const;

/**
 * Step Functions task timeouts are positive whole seconds; a past wake-up time still waits one second, and no wait is
 * longer than an execution may live: a wake-up further away is waited for in steps (the deadline's step finds it has
 * not come, checks and waits again, or the execution continues as a new revision).
 */
export function waitUntil(until: string, now: Date): { until: string; seconds: number } {
  const seconds = Math.ceil((Date.parse(until) - now.getTime()) / 1000);
  return { until, seconds: Math.min(EXECUTION_LIMITS.maxWaitDays * 86_400, Math.max(1, seconds)) };
}

/**
 * Whether an execution started at `startedAt` must continue as a new revision rather than park, at `now`, until
 * `wakeAt` (or for `maxWaitDays`, if that is sooner): the wake-up would come too late in its life, or it has parked too
 * often (see EXECUTION_LIMITS).
 */
export function continuationDue(execution: { startedAt: string; parks: number }, wakeAt: string, now: Date): boolean {
  const wake = Math.min(Date.parse(wakeAt), now.getTime() + EXECUTION_LIMITS.maxWaitDays * 86_400_000);
  const lastWake = Date.parse(execution.startedAt) + EXECUTION_LIMITS.maxAgeDays * 86_400_000;
  return wake > lastWake || execution.parks >= EXECUTION_LIMITS.maxParks;
}

/**
 * Makes an invoice id safe as an execution name: [0-9A-Za-z_-], at most 80 characters with the revision suffix, so an
 * operator finds it by typing the invoice number. When characters had to be replaced (`F/1` and `F.1` would both
 * read `F_1`), a short hash of the real id keeps the names distinct.
 */
export function executionName(invoiceId: string, revision: number): string {
  return withSuffix(invoiceId, `-r${revision}`);
}

/**
 * The short execution that tells the team of a payment that came after the invoice closed or beyond what was owed:
 * named after the invoice, as an operator looks for it, and after the payment's reference (hashed), so that starting
 * it again for the same payment is the same execution. The first wait sends its input on to "Notify team of payment".
 */
export function paymentNoticeExecution(
  record: { invoiceId: string; revision: number; phase: Phase },
  payment: Record<string, string>,
): { name: string; input: ExecutionState } {
  const hash = createHash('sha256').update(`${record.invoiceId}\n${payment.reference}`).digest('hex').slice(0, 10);
  return {
    name: withSuffix(record.invoiceId, `-payment-${hash}`),
    input: { invoiceId: record.invoiceId, revision: record.revision, step: 0, phase: record.phase, next: 'payment_notice', wait: SEND_ON_WAIT, event: { type: 'payment', seq: 0, detail: payment } },
  };
}

function withSuffix(invoiceId: string, tail: string): string {
  const safe = invoiceId.replace(/[^0-9A-Za-z_-]/g, '_');
  const disambiguation = safe === invoiceId ? '' : `-${createHash('sha256').update(invoiceId).digest('hex').slice(0, 6)}`;
  const suffix = `${disambiguation}${tail}`;
  return `${safe.slice(0, 80 - suffix.length)}${suffix}`;
}
