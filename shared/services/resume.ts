/**
 * How a parked wait resumes. A paid or cancelled invoice's wait ends straight into *Paid* or *Cancelled*. When an event
 * waits on the record, the waker takes it in the execution's place, exactly as "Check what happened" would (the same
 * `checkFor`, kept as the record's `lastCheck`), and sends the wait straight on to the step the event leads to
 * (`Workflow.route`): "Check what happened" and "Decide the next step" are two state transitions fewer for every answer
 * a customer gives. Anything else wakes the wait to check for itself.
 *
 * Exactly once: the check belongs to the step of the state the execution parked with, so two wakers take it once
 * (the second finds it taken and sends the same answer, which Step Functions accepts only once). A waker takes it only
 * while the wait surely has not timed out (`surelyWaiting`), so no step of the execution runs meanwhile; should the
 * send then come after the timeout (throttled), the step the timeout led to finds the answer owed (`answerOwed`) and
 * asks "Check what happened", which gives it, and a park of that state sends it on.
 */
import type { ExecutionState } from '../domain/execution-state';
import type { Change, InvoiceRecord, Phase } from '../domain/invoice';
import { checkFor, endingOf, isWaitOf, mustWake, ROUTED_STEPS, superseded, surelyWaiting, type WorkflowSettings } from '../domain/workflow';
import type { Dependencies } from '../ports';
import { mutateInvoice } from './record-updates';

type Deps = Pick<Dependencies, 'store' | 'clock' | 'workflow' | 'signals'> & Partial<Pick<Dependencies, 'telemetry'>>;

/**
 * How long after taking an event the waker's own safety wake-up comes through the start buffer: should the waker stop
 * before its send leaves (a Lambda timeout), the buffer sends it then; if the send did leave, the second one finds the
 * token gone.
 */
const SAFETY_WAKE_SECONDS = 60;

/**
 * The check of a parked execution taken by a waker, when its answer goes straight on (`ROUTED_STEPS`): the change to
 * write, which marks the answer as owed to the wait parked on `taskToken`, and the answer. Nothing when the answer is
 * one the execution finds out for itself (a wait again, a deadline, a closed invoice).
 */
export function checkTakenFor(
  record: InvoiceRecord,
  state: ExecutionState,
  taskToken: string,
  settings: WorkflowSettings,
  now: Date,
): { change: Change; answer: ExecutionState } | undefined {
  if (endingOf(record) || record.pendingEvents.length === 0 || !surelyWaiting(state, now)) return undefined;
  const { answer, change } = checkFor(record, state, settings, now);
  if (!change || !ROUTED_STEPS.has(answer.next)) return undefined;
  return { answer, change: { ...change, record: { ...change.record, lastCheck: { step: state.step, result: answer, routeTo: taskToken } } } };
}

/**
 * The record's parked wait as the park leaves it: its token, and the wait and the state it parked with (for a wait of
 * the current definition, which names its phase: an execution started on an older definition is only ever woken).
 */
export function parkedOn(record: InvoiceRecord, taskToken: string, phase: Phase | undefined, state: ExecutionState): InvoiceRecord {
  const { routeTo: _sentOn, ...lastCheck } = record.lastCheck ?? { step: -1, result: undefined };
  return { ...record, parkedToken: taskToken, parkedWait: phase ? { phase, state } : undefined, ...(record.lastCheck ? { lastCheck } : {}) };
}

/**
 * The token a buffered wake-up must resume, if any: the parked wait when something waits for it (or when it was given
 * a state not its own), or the wait a check was taken for and not yet sent on (throttled).
 */
export function tokenToResume(record: InvoiceRecord, now: Date): string | undefined {
  if (record.parkedToken && (mustWake(record, now) || (record.parkedWait && !isWaitOf(record.parkedWait.state, record.parkedWait.phase)))) return record.parkedToken;
  return record.lastCheck?.routeTo;
}

/**
 * Resumes the wait parked on `taskToken` (see the module's comment). `false` when the token is no longer waiting: the
 * wait ended meanwhile, and what it ended into finds the record as it is.
 */
export async function resumeParked(deps: Deps, settings: WorkflowSettings, record: InvoiceRecord, taskToken: string, woken: string): Promise<boolean> {
  const ending = endingOf(record);
  if (ending) return deps.workflow.end(taskToken, ending);
  if (record.lastCheck?.routeTo === taskToken) return deps.workflow.route(taskToken, record.lastCheck.result as ExecutionState);
  const parked = record.parkedToken === taskToken ? record.parkedWait : undefined;
  // A state the wait is not the wait of, whose park could not send it on (throttled): sent on now.
  if (parked && !isWaitOf(parked.state, parked.phase)) return deps.workflow.route(taskToken, parked.state);
  const answer = parked && record.pendingEvents.length > 0 ? await takeCheck(deps, settings, record.invoiceId, taskToken, parked.state) : undefined;
  if (!answer) return deps.workflow.wake(taskToken, { woken });
  // The event is no longer pending: from here only `lastCheck.routeTo` says the wait is owed it.
  await deps.signals.send([{ type: 'wake', invoiceId: record.invoiceId, since: deps.clock.now().toISOString() }], { delaySeconds: SAFETY_WAKE_SECONDS }).catch((error: unknown) => {
    deps.telemetry?.error('the safety wake-up was refused; the send goes on', { invoiceId: record.invoiceId, error: String(error) });
  });
  return deps.workflow.route(taskToken, answer);
}

/** Takes the parked execution's check, if the wait is still parked on `taskToken` (or was given this check already). */
async function takeCheck(deps: Deps, settings: WorkflowSettings, invoiceId: string, taskToken: string, state: ExecutionState): Promise<ExecutionState | undefined> {
  let answer: ExecutionState | undefined;
  await mutateInvoice(deps, invoiceId, (current, now) => {
    answer = undefined;
    if (current.lastCheck?.routeTo === taskToken) {
      answer = current.lastCheck.result as ExecutionState;
      return undefined;
    }
    // The execution moved on (woken, timed out, ended): it takes its events itself.
    if (current.parkedToken !== taskToken) return undefined;
    const taken = checkTakenFor(current, state, taskToken, settings, now);
    answer = taken?.answer;
    return taken?.change;
  });
  return answer;
}

/**
 * A send on an execution's own token that Step Functions throttled and that cannot wait on the record (the record is
 * another execution's: a payment notice's, a superseded revision's). The task fails with this name, which every wait
 * and callback step retries at length (statemachines/invoice-dunning.asl.json), rather than end in "Needs attention".
 */
export class SendThrottled extends Error {
  override readonly name = 'Dunning.Throttled';

  constructor(cause: unknown) {
    super('Step Functions throttled the send on this task\'s own token; the task is retried', { cause });
  }
}

/**
 * Makes a call on an execution's own token (a park waking itself, a step sending itself on); when Step Functions
 * throttles it, leaves the token on the record (`leave`) and hands the wake-up to the start buffer, whose consumer makes
 * the call as soon as Step Functions accepts.
 */
export async function orBuffered(
  deps: Deps,
  invoiceId: string,
  call: () => Promise<unknown>,
  isThrottling: (error: unknown) => boolean,
  leave: (record: InvoiceRecord, throttled: unknown) => { record: InvoiceRecord } | undefined,
): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!isThrottling(error)) throw error;
    await mutateInvoice(deps, invoiceId, (record) => leave(record, error));
    await deps.signals.send([{ type: 'wake', invoiceId, since: deps.clock.now().toISOString() }]);
  }
}

/**
 * How a callback step ("Carry out escalation step", "Hand off to legal") ends: it sends its execution on by its own
 * token, so that no Choice follows it — into *Paid* or *Cancelled*, straight to the step its state names
 * (`ROUTED_STEPS`), or on to the task's Next with the state as its output. Throttled, the send waits on the record
 * (`sendingOn`) for the start buffer; an execution a newer revision superseded leaves nothing there and fails the step,
 * which is retried.
 */
export async function sendStepOn(deps: Deps, taskToken: string, state: ExecutionState, isThrottling: (error: unknown) => boolean): Promise<void> {
  await orBuffered(deps, state.invoiceId, () => sendOn(deps.workflow, taskToken, state), isThrottling, (record, throttled) => {
    if (superseded(record, state)) throw new SendThrottled(throttled);
    return { record: { ...record, sendingOn: { token: taskToken, state } } };
  });
}

/** Sends a callback step's execution on (see `sendStepOn`); `false` when the token is no longer waiting. */
export function sendOn(workflow: Dependencies['workflow'], taskToken: string, state: ExecutionState): Promise<boolean> {
  if (state.next === 'paid' || state.next === 'cancelled') return workflow.end(taskToken, state.next);
  return ROUTED_STEPS.has(state.next) ? workflow.route(taskToken, state) : workflow.wake(taskToken, state);
}
