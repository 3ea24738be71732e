/**
 * Every email the state machine sends, chosen by the task's `email` parameter: the pre-reminder, acknowledgements,
 * overdue ladder steps and team notifications. Each leaves at most once (see shared/services/notifications.ts).
 */
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { sesMailer } from '../shared/lambda/adapters';
import { type WorkflowTaskInput } from '../shared/lambda/workflow-step';
import type { ExecutionState, Next } from '../shared/domain/execution-state';
import { timelineEntry, type InvoiceRecord, type TimelineEntry } from '../shared/domain/invoice';
import { NotFoundError } from '../shared/domain/errors';
import { sendCustomerEmail, sendTeamEmail } from '../shared/services/notifications';
import { mutateInvoice, type Change } from '../shared/services/record-updates';
import { breakPromise, followUpDispute, invoicePolicy, isClosed, nextState, replyDeadline } from '../shared/domain/workflow';

type Deps = ReturnType<typeof getDependencies>;
type Config = ReturnType<typeof getConfig>;

/** What one kind of step sends and how it leaves the record; `next` is where "Decide the next step" goes after. */
type Step = (deps: Deps, config: Config, record: InvoiceRecord, state: ExecutionState) => Promise<{
  timeline: TimelineEntry[];
  update?: (record: InvoiceRecord, now: Date) => Change;
  next: Next;
}>;

const STEPS: Record<string, Step> = {
  async pre_reminder(deps, config, record) {
    const timeline = await sendCustomerEmail(deps, config, record, 'pre_reminder', `pre_reminder@${record.dueDate}`);
    return {
      timeline,
      update: (current) => ({
        record: {
          ...current,
          preReminderSentFor: record.dueDate,
          phase: 'awaiting_reply',
          status: current.status === 'scheduled' ? 'awaiting_reply' : current.status,
          nextActionAt: replyDeadline(current, config.calendar),
        },
      }),
      next: 'wait',
    };
  },
  async promise_acknowledgement(deps, config, record) {
    return {
      timeline: await sendCustomerEmail(deps, config, record, 'promise_acknowledgement', `promise_ack@${record.promise?.at}`),
      next: 'wait',
    };
  },
  async promise_broken(deps, config, record) {
    return {
      timeline: await sendCustomerEmail(deps, config, record, 'promise_broken', `promise_broken@${record.promise?.at}`),
      update: (current, now) => breakPromise(current, config, now),
      next: 'overdue',
    };
  },
  async dispute_notification(deps, config, record) {
    const key = `dispute@${record.dispute?.at}`;
    const team = await sendTeamEmail(deps, config, record, 'dispute', key, { message: record.dispute?.message });
    const customer = await sendCustomerEmail(deps, config, record, 'dispute_acknowledgement', key);
    return { timeline: [...team, ...customer], next: 'wait' };
  },
  async dispute_follow_up(deps, config, record, state) {
    return {
      timeline: await sendTeamEmail(deps, config, record, 'dispute_follow_up', `dispute_follow_up@${record.nextActionAt}`, {
        message: record.dispute?.message,
      }),
      update: (current, now) => followUpDispute(current, config, now),
      next: 'wait',
    };
  },
  async question_notification(deps, config, record, state) {
    const detail = state.event?.detail ?? {};
    const { message, ...facts } = detail;
    return {
      timeline: await sendTeamEmail(deps, config, record, 'question', `question@${state.event?.seq ?? state.step}`, { message, facts }),
      next: 'wait',
    };
  },
  async escalation(deps, config, record) {
    const rungIndex = record.escalation.done;
    const rung = invoicePolicy(record, config).ladder[rungIndex];
    // The hand-off is no email: "Next escalation step" hands off once its time has come.
    if (!rung || rung.action === 'hand_off' || isClosed(record)) return { timeline: [], next: 'overdue' };
    const key = `ladder@${rungIndex}`;
    let timeline: TimelineEntry[] = [];
    if (rung.action === 'reminder_email') timeline = await sendCustomerEmail(deps, config, record, 'reminder', key);
    if (rung.action === 'penalty_reminder') timeline = await sendCustomerEmail(deps, config, record, 'penalty_reminder', key);
    if (rung.action === 'formal_notice') timeline = await sendCustomerEmail(deps, config, record, 'formal_notice', key);
    if (rung.action === 'phone_call') timeline = await sendTeamEmail(deps, config, record, 'call_task', key);
    timeline.push(timelineEntry(rung.action === 'phone_call' ? 'call_task' : 'escalation', deps.clock.now(), { step: rungIndex + 1, action: rung.action }));
    return {
      timeline,
      // Counted once even if this step is retried: only the attempt that finds the rung still undone advances it.
      update: (current, now) => ({
        record:
          current.escalation.done === rungIndex
            ? { ...current, escalation: { done: rungIndex + 1, lastAt: now.toISOString() } }
            : current,
      }),
      next: 'overdue',
    };
  },
  async needs_attention(deps, config, record, state) {
    const error = state.error ?? {};
    return {
      timeline: [
        ...(await sendTeamEmail(deps, config, record, 'needs_attention', `needs_attention@${record.executionName}@${state.step}`, {
          facts: { execution: record.executionName, error: String(error.Error ?? 'unknown') },
          message: String(error.Cause ?? '').slice(0, 2000),
        })),
        timelineEntry('needs_attention', deps.clock.now(), { error: error.Error }),
      ],
      next: 'wait',
    };
  },
};

export async function handler({ state, email }: WorkflowTaskInput): Promise<ExecutionState> {
  const step = email ? STEPS[email] : undefined;
  if (!step) throw new Error(`Unknown email step: ${email}`);
  const deps = getDependencies({ mailer: sesMailer });
  const config = getConfig();
  const record = await deps.store.getInvoice(state.invoiceId);
  if (!record) throw new NotFoundError(`No invoice ${state.invoiceId}`);
  const { timeline, update, next } = await step(deps, config, record, state);
  const { record: written } = await mutateInvoice(deps, state.invoiceId, (current, now) => {
    const change = update ? update(current, now) : { record: current };
    return { record: change.record, timeline: [...timeline, ...(change.timeline ?? [])] };
  });
  return nextState(state, written, next, deps.clock.now());
}
