/**
 * The interruptible wait ("Wait until ...", "Await ...", `.waitForTaskToken`): the park stores the task token on the
 * record so that an event can wake the execution. It wakes itself at once instead when an event is already pending, the
 * invoice closed or the wake-up time came: no event written before the park is missed. An event it finds, it takes as
 * any waker does (shared/services/resume.ts), and sends the wait straight on to the event's step.
 *
 * The steps before a wait, and the start, go straight to it: a state that is not the wait's own (a start to plan, a
 * step that found something to check, the hand-off once the ladder ends) is sent on at once, without being parked.
 *
 * It is also where an execution ends its life before Step Functions' limits do: when the wake-up would come too late
 * in the execution's life (a dispute open for months, a promise far off) or it has parked too often, the invoice
 * continues as a new revision (`-r2`, ...) that plans from the record, and this execution wakes itself to end
 * ("Continued as a new revision"). Its start goes through the start buffer, noted first like every start; an event
 * that arrives meanwhile waits on the record for the new revision's first park.
 */
import { continuation } from '../domain/billing';
import { continuationDue, type ExecutionState } from '../domain/execution-state';
import type { InvoiceRecord, Phase } from '../domain/invoice';
import { answerOwed, isWaitOf, mustWake, ROUTED_STEPS, superseded, type WorkflowSettings } from '../domain/workflow';
import type { Dependencies } from '../ports';
import { mutateInvoice } from './record-updates';
import { checkTakenFor, orBuffered, parkedOn, resumeParked, SendThrottled } from './resume';
import { startNextRevision } from './workflow-signals';

export type ParkOutcome = 'parked' | 'woken' | 'sent_on' | 'continued' | 'superseded';

type Deps = Pick<Dependencies, 'store' | 'clock' | 'workflow' | 'signals'> & Partial<Pick<Dependencies, 'telemetry'>>;

/** One parked wait: the execution's state, its token, when the execution started, and the phase the wait is for. */
export interface Wait {
  state: ExecutionState;
  taskToken: string;
  /** `$$.Execution.StartTime`: how long the execution has lived. */
  executionStartedAt?: string;
  /** The phase this wait waits in (the definition's `waitPhase`); any other state is sent on. */
  phase?: Phase;
}

/**
 * Parks the wait. A throttled self-wake or send-on does not fail the step: the token is left on the record (parked,
 * or retiring for an execution that is to end) and the wake-up handed to the start buffer. Any other failure throws;
 * the state machine retries the park, which finds what the first attempt did.
 */
export async function parkExecution(deps: Deps, settings: WorkflowSettings, wait: Wait, isThrottling: (error: unknown) => boolean): Promise<ParkOutcome> {
  const { state, taskToken, executionStartedAt, phase } = wait;
  // A wait of an older definition names no phase, and catches no send-on: its execution is parked and woken as then.
  const current = phase !== undefined;
  if (current && !isWaitOf(state, phase)) {
    // Sent on at once: nothing to read, the state says where it goes.
    await orBuffered(deps, state.invoiceId, () => deps.workflow.route(taskToken, state), isThrottling, (record, throttled) => {
      // Only the invoice's own execution may leave its token on the record: a payment notice's execution, or one a newer
      // revision superseded, would take the place of the token that counts. They fail the park, which is retried.
      if (state.next === 'payment_notice' || superseded(record, state)) throw new SendThrottled(throttled);
      return record.parkedToken === taskToken ? undefined : { record: parkedOn(record, taskToken, phase, state) };
    });
    return 'sent_on';
  }
  let outcome: ParkOutcome = 'parked';
  // The record as the park read it: a paid or cancelled invoice's wait ends straight into the execution's ending.
  let seen: InvoiceRecord | undefined;
  let answer: ExecutionState | undefined;
  await mutateInvoice(deps, state.invoiceId, (record, now) => {
    outcome = parkOutcome(record, state, executionStartedAt, now);
    seen = record;
    answer = undefined;
    // The check of this very state was taken already (by a waker whose send did not get through, or by an earlier
    // attempt of this park): its answer is this wait's to send on, not to park over.
    if (current && outcome !== 'superseded' && answerOwed(record, state)) {
      outcome = 'woken';
      const owed = record.lastCheck!;
      if (!ROUTED_STEPS.has((owed.result as ExecutionState).next)) return undefined;
      answer = owed.result as ExecutionState;
      return owed.routeTo === taskToken ? undefined : { record: { ...record, lastCheck: { ...owed, routeTo: taskToken } } };
    }
    if (outcome === 'woken' && current) {
      // An event is there already: taken here, in this write, and the wait sent straight on to its step.
      const taken = checkTakenFor(record, state, taskToken, settings, now);
      answer = taken?.answer;
      return taken?.change;
    }
    if (outcome !== 'parked' || record.parkedToken === taskToken) return undefined;
    return { record: { ...parkedOn(record, taskToken, phase, state), parks: (record.parks ?? 0) + 1 } };
  });
  if (outcome === 'parked') return outcome;
  if (outcome === 'continued') await continueAsNewRevision(deps, state);
  const retiring = outcome !== 'woken';
  await orBuffered(
    deps,
    state.invoiceId,
    () => (retiring ? deps.workflow.wake(taskToken, { woken: 'continued' }) : answer ? deps.workflow.route(taskToken, answer) : resumeParked(deps, settings, seen!, taskToken, 'already_pending')),
    isThrottling,
    // Left where the buffered wake-up finds it: retiring (it ends), owed its check's answer (`lastCheck.routeTo`), or
    // parked (this revision acts on what is there).
    (record) =>
      retiring
        ? { record: { ...record, retiringToken: taskToken } }
        : record.parkedToken === taskToken || record.lastCheck?.routeTo === taskToken
          ? undefined
          : { record: parkedOn(record, taskToken, phase, state) },
  );
  return outcome;
}

/** What a park does: wait, wake at once, hand the invoice to a new revision, or end (a newer revision has it). */
function parkOutcome(record: InvoiceRecord, state: ExecutionState, executionStartedAt: string | undefined, now: Date): ParkOutcome {
  if (superseded(record, state)) return 'superseded';
  if (mustWake(record, now)) return 'woken';
  const wakeAt = state.wait?.until ?? now.toISOString();
  if (executionStartedAt && continuationDue({ startedAt: executionStartedAt, parks: record.parks ?? 0 }, wakeAt, now)) return 'continued';
  return 'parked';
}

async function continueAsNewRevision(deps: Deps, state: ExecutionState): Promise<void> {
  const result = await startNextRevision(deps, state.invoiceId, state.revision, (record, now) => continuation(record, state.revision, now));
  if (result.changed) deps.telemetry?.info('execution continued as a new revision', { invoiceId: state.invoiceId, executionName: result.record.executionName });
}
