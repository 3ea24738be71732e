/**
 * The execution's email steps ("Send pre-reminder email", "Carry out escalation step", ...): what each sends and how
 * it leaves the record. Each email leaves at most once per cause (its key, see `emailKeys`); a step retried after a
 * crash finds its emails claimed and sends nothing, and the record changes only in the attempt that finds the step
 * still to do, so its timeline entries are written once too.
 */
import { routedState, type ExecutionState, type Next } from '../domain/execution-state';
import { timelineEntry, type Change, type InvoiceRecord, type TimelineEntry } from '../domain/invoice';
import { groupedStepDue, LADDER_EMAILS } from '../domain/grouping';
import type { LadderAction } from '../domain/policy';
import {
  answerOwed,
  breakPromise,
  deadlineDue,
  emailKeys,
  followUpDispute,
  invoicePolicy,
  isClosed,
  nextState,
  promiseDeadlinePassed,
  replyDeadline,
  planEscalation,
  superseded,
} from '../domain/workflow';
import type { CustomerEmailKind } from '../rendering/email';
import type { Dependencies } from '../ports';
import { prepareFormalNotice, requestRegisteredLetter } from './formal-notice';
import { sendCustomerEmail, sendTeamEmail, type NotificationSettings } from './notifications';
import { mutateInvoice } from './record-updates';
import { sendGroupedEmail } from './grouped-emails';

/**
 * How one kind of step leaves the record once its emails are sent (their own timeline entries are written as they
 * leave), and where the execution goes after (the step's Next, or wherever its wait or "Decide the next step" sends it).
 */
interface StepResult {
  update?: (record: InvoiceRecord, now: Date) => Change;
  /** Entries of the step itself, written with the record. */
  timeline?: TimelineEntry[];
  next: Next;
}

type Step = (deps: Dependencies, config: NotificationSettings, record: InvoiceRecord, state: ExecutionState, execution?: string) => Promise<StepResult>;

const STEPS = {
  async pre_reminder(deps, config, record) {
    const step = groupedStepDue(record, config, deps.clock.now());
    if (step?.kind !== 'pre_reminder') return { next: 'check' };
    await sendGroupedEmail(deps, config, record, step);
    return {
      // The email left (or could not): that is recorded even if something happened since; the phase moves on only if not.
      update: (current) =>
        isClosed(current)
          ? { record: current }
          : {
              record: {
                ...current,
                preReminderSentFor: record.dueDate,
                ...(current.phase === 'before_pre_reminder'
                  ? {
                      phase: 'awaiting_reply' as const,
                      status: current.status === 'scheduled' ? ('awaiting_reply' as const) : current.status,
                      nextActionAt: replyDeadline(current, config.calendar),
                    }
                  : {}),
              },
            },
      next: 'wait',
    };
  },
  async promise_acknowledgement(deps, config, record) {
    await sendCustomerEmail(deps, config, record, 'promise_acknowledgement', `promise_ack@${record.promise?.at}`);
    return { next: 'wait' };
  },
  async promise_broken(deps, config, record) {
    if (!promiseDeadlinePassed(record, deps.clock.now())) return { next: 'check' };
    await sendCustomerEmail(deps, config, record, 'promise_broken', `promise_broken@${record.promise?.at}`);
    return { update: (current, now) => breakPromise(current, config, now), next: 'overdue' };
  },
  async dispute_notification(deps, config, record) {
    const key = `dispute@${record.dispute?.at}`;
    await sendTeamEmail(deps, config, record, 'dispute', key, { message: record.dispute?.message });
    await sendCustomerEmail(deps, config, record, 'dispute_acknowledgement', key);
    return { next: 'wait' };
  },
  async dispute_follow_up(deps, config, record) {
    if (!deadlineDue(record, 'disputed', deps.clock.now()) || record.dispute?.status !== 'open') return { next: 'check' };
    await sendTeamEmail(deps, config, record, 'dispute_follow_up', `dispute_follow_up@${record.nextActionAt}`, { message: record.dispute?.message });
    return {
      update: (current, now) => followUpDispute(current, config, now),
      next: 'wait',
    };
  },
  /** The customer hears how the team decided on its dispute; a credit note cancels the invoice and is the billing system's to send. */
  async dispute_outcome(deps, config, record) {
    const { dispute } = record;
    if (dispute?.status === 'resolved' && (dispute.outcome === 'rejected' || dispute.outcome === 'corrected_amount')) {
      await sendCustomerEmail(deps, config, record, 'dispute_outcome', `dispute_outcome@${dispute.at}`);
    }
    return { next: 'replan' };
  },
  async question_notification(deps, config, record, state) {
    const { message, ...facts } = state.event?.detail ?? {};
    await sendTeamEmail(deps, config, record, 'question', `question@${state.event?.seq ?? state.step}`, { message, facts });
    return { next: 'wait' };
  },
  /** "Alert team: bank details differ": whoever holds other bank details for us may be about to pay a fraudster. */
  async bank_details_alert(deps, config, record, state) {
    const { message, from } = state.event?.detail ?? {};
    await sendTeamEmail(deps, config, record, 'bank_details', `bank_details@${state.event?.seq ?? state.step}`, {
      ...(message ? { message } : {}),
      facts: { from: from ?? '' },
    });
    return { next: 'wait' };
  },
  async escalation(deps, config, record) {
    const rungIndex = record.escalation.done;
    const rung = invoicePolicy(record, config).ladder[rungIndex];
    if (!deadlineDue(record, 'overdue', deps.clock.now())) return { next: 'check' };
    // The hand-off is no email: the ladder's planning (below, in runEmailStep) hands off once its time has come.
    if (!rung || rung.action === 'hand_off') return { next: 'overdue' };
    const key = emailKeys.ladder(record, rungIndex);
    const customerEmail: CustomerEmailKind | undefined = (LADDER_EMAILS as Partial<Record<LadderAction, CustomerEmailKind>>)[rung.action];
    // The formal notice is a letter too: its PDF goes with the email, and it is posted by registered letter.
    const notice = rung.action === 'formal_notice' ? await prepareFormalNotice(deps, config, record, key) : undefined;
    // The team is always reachable: a call task is always emailed.
    let emailed: boolean | 'unconfirmed' = true;
    // Reminders go in the customer's grouped email of the slot; the formal notice is a letter of its own.
    const grouped = groupedStepDue(record, config, deps.clock.now());
    if (grouped) ({ emailed } = await sendGroupedEmail(deps, config, record, grouped));
    else if (customerEmail) ({ emailed } = await sendCustomerEmail(deps, config, record, customerEmail, key, notice ? [notice.email] : []));
    else await sendTeamEmail(deps, config, record, 'call_task', key);
    // Also when no email could reach the customer: the letter is then the notice's only way (not for an invoice that
    // closed meanwhile).
    if (notice) await requestRegisteredLetter(deps, config, record.invoiceId, key, notice.letter);
    const { cycle } = record.escalation;
    return {
      update: (current, now) => {
        // Only the attempt that finds this rung of this cycle still undone advances it and says so on the timeline.
        if (isClosed(current) || current.escalation.done !== rungIndex || current.escalation.cycle !== cycle) return { record: current };
        const entry = timelineEntry(rung.action === 'phone_call' ? 'call_task' : 'escalation', now, {
          step: rungIndex + 1,
          action: rung.action,
          email: key,
          emailed,
          ...(emailed === false ? { reason: 'no contact of the customer can receive email' } : {}),
          ...(emailed === 'unconfirmed' ? { reason: 'the sender stopped before SES answered: the email may not have left (the team was told)' } : {}),
        });
        // The rung's time is spent: the next one is planned in the same write (runEmailStep), and a retry of this step
        // finds nothing due.
        return {
          record: {
            ...current,
            escalation: { ...current.escalation, done: rungIndex + 1, lastAt: now.toISOString() },
            nextActionAt: undefined,
            // The first formal notice known to have left starts a consumer's legal interest (Code civil 1344-1); one
            // that may not have left ('unconfirmed') is not one the creditor could prove.
            ...(rung.action === 'formal_notice' && emailed === true && !current.formalNoticeAt ? { formalNoticeAt: now.toISOString() } : {}),
          },
          timeline: [entry],
        };
      },
      next: 'overdue',
    };
  },
  /** In a payment notice's own execution ("Notify team of payment"): what came, what it met, what is due back. */
  async payment_notice(deps, config, record, state) {
    const detail = state.event?.detail ?? {};
    const money = (value: string | undefined) => (value === undefined ? undefined : { value: Number(value), currency: detail.currency });
    await sendTeamEmail(
      deps,
      config,
      record,
      'payment_received',
      `payment@${detail.reference}`,
      {
        payment: {
          reference: detail.reference,
          amount: money(detail.amount)!,
          paidAt: detail.paidAt,
          ...(detail.receivedAfter ? { receivedAfter: detail.receivedAfter } : {}),
          ...(detail.overpaid ? { overpaid: money(detail.overpaid) } : {}),
        },
      },
      detail.receivedAfter === 'after_hand_off' && config.handOffEmail ? [config.handOffEmail] : [],
    );
    return { next: 'wait' };
  },
  async needs_attention(deps, config, record, state, execution = record.executionName) {
    const error = state.error ?? {};
    // Named after the execution that failed: the invoice's own, or a payment notice's.
    const notified = await sendTeamEmail(deps, config, record, 'needs_attention', `needs_attention@${execution}@${state.step}`, {
      facts: { execution, error: String(error.Error ?? 'unknown') },
      message: String(error.Cause ?? '').slice(0, 2000),
    });
    // Said once, by the attempt that told the team.
    if (notified.length) deps.telemetry?.count('NeedsAttention');
    return { timeline: notified.length ? [timelineEntry('needs_attention', deps.clock.now(), { error: error.Error })] : [], next: 'wait' };
  },
} satisfies Record<string, Step>;

export type EmailStep = keyof typeof STEPS;

/** The steps after which the ladder goes on: they plan its next rung themselves (see runEmailStep). */
const PLANS_NEXT_RUNG = new Set<string>(['escalation', 'promise_broken']);

/** The steps that act on the dunning itself (and so belong to the invoice's current revision only). */
const CUSTOMER_STEPS = new Set<string>(['pre_reminder', 'promise_acknowledgement', 'promise_broken', 'dispute_notification', 'dispute_follow_up', 'dispute_outcome', 'question_notification', 'bank_details_alert', 'escalation']);

export function isEmailStep(name: unknown): name is EmailStep {
  return typeof name === 'string' && Object.hasOwn(STEPS, name);
}

/** Runs one email step for the invoice, in the execution named `execution`, and hands the next execution state back. */
export async function runEmailStep(
  deps: Dependencies,
  config: NotificationSettings,
  input: ExecutionState,
  step: EmailStep,
  execution?: string,
): Promise<ExecutionState> {
  // The answer a wait was sent on with ("Acknowledge promise" after the customer's promise), or the task's own input.
  const state = routedState(input);
  const record = await deps.store.getInvoice(state.invoiceId);
  if (!record) throw new Error(`No invoice ${state.invoiceId}`);
  // An execution that handed the invoice to a newer revision sends nothing more to the customer: it ends. (The team's
  // notices — a payment, a needs-attention — still say what they say.)
  if (superseded(record, state) && CUSTOMER_STEPS.has(step)) return { ...state, next: 'continued' };
  // A wait that timed out just as a waker took an event for it: the step it led to does nothing, and "Check what
  // happened", asked with the same step (nextState keeps it), gives the event's answer.
  if (answerOwed(record, state) && CUSTOMER_STEPS.has(step)) return nextState(state, record, 'check', deps.clock.now());
  const { timeline = [], update, next } = await (STEPS[step] as Step)(deps, config, record, state, execution);
  deps.telemetry?.info('step', { invoiceId: state.invoiceId, step, next, status: record.status });
  // A rung carried out, or a promise broken, leads to the next rung of the ladder: planned here, in the same write,
  // rather than in a step of its own ("Next escalation step"), which saves a state transition and a Lambda invocation
  // per rung. "Carry out escalation step" then sends itself on: to its wait, or straight to the hand-off.
  const plansNextRung = next === 'overdue' && PLANS_NEXT_RUNG.has(step);
  // Nothing to write (an acknowledgement sent, a step that found something new): the record stays as it is. (A wait
  // for an invoice that closed meanwhile becomes a check: nextState.)
  if (!update && timeline.length === 0 && !plansNextRung) return nextState(state, record, next, deps.clock.now());
  let planned: Next = next;
  const { record: written } = await mutateInvoice(deps, state.invoiceId, (current, now) => {
    const change = update ? update(current, now) : { record: current };
    const carried = { record: change.record, timeline: [...timeline, ...(change.timeline ?? [])] };
    if (!plansNextRung) return carried;
    const plan = planEscalation(carried.record, config, now);
    planned = plan.next;
    return { record: plan.change.record, timeline: [...carried.timeline, ...(plan.change.timeline ?? [])] };
  });
  return nextState(state, written, planned, deps.clock.now());
}
