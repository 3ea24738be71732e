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
  /** The wake-up time of the next park; `seconds` feeds the task's TimeoutSecondsPath. */
  wait?: { until: string; seconds: number };
  /** The event the last check took, when the next step needs its detail (a question's text). */
  event?: { type: string; seq: number; detail?: Record<string, string> };
  /** Set by a Catch on the way to "Needs attention". */
  error?: { Error?: string; Cause?: string };
}

/** The input of a new execution. */
export function initialState(invoiceId: string, revision: number): ExecutionState {
  return { invoiceId, revision, step: 0, phase: 'before_pre_reminder', next: 'plan' };
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
 * it again for the same payment is the same execution. Its input goes straight to "Notify team of payment".
 */
export function paymentNoticeExecution(
  record: { invoiceId: string; revision: number; phase: Phase },
  payment: Record<string, string>,
): { name: string; input: ExecutionState } {
  const hash = createHash('sha256').update(`${record.invoiceId}\n${payment.reference}`).digest('hex').slice(0, 10);
  return {
    name: withSuffix(record.invoiceId, `-payment-${hash}`),
    input: { invoiceId: record.invoiceId, revision: record.revision, step: 0, phase: record.phase, next: 'payment_notice', event: { type: 'payment', seq: 0, detail: payment } },
  };
}

function withSuffix(invoiceId: string, tail: string): string {
  const safe = invoiceId.replace(/[^0-9A-Za-z_-]/g, '_');
  const disambiguation = safe === invoiceId ? '' : `-${createHash('sha256').update(invoiceId).digest('hex').slice(0, 6)}`;
  const suffix = `${disambiguation}${tail}`;
  return `${safe.slice(0, 80 - suffix.length)}${suffix}`;
}
