/**
 * The interruptible wait ("Wait until ...", "Await ...", `.waitForTaskToken`): the park stores the task token on the
 * record so that an event can wake the execution. It wakes itself at once instead when an event is already pending, the
 * invoice closed or the wake-up time came: no event written before the park is missed.
 *
 * It is also where an execution ends its life before Step Functions' limits do: when the wake-up would come too late
 * in the execution's life (a dispute open for months, a promise far off) or it has parked too often, the invoice
 * continues as a new revision (`-r2`, ...) that plans from the record, and this execution wakes itself to end
 * ("Continued as a new revision"). Its start goes through the start buffer, noted first like every start; an event
 * that arrives meanwhile waits on the record for the new revision's first park.
 */
import { continuation } from '../domain/billing';
import { continuationDue, executionName, type ExecutionState } from '../domain/execution-state';
import { mustWake } from '../domain/workflow';
import type { Dependencies } from '../ports';
import { mutateInvoice } from './record-updates';
import { notePendingStart, sendSignals, startSignal } from './workflow-signals';

export type ParkOutcome = 'parked' | 'woken' | 'continued' | 'superseded';

type Deps = Pick<Dependencies, 'store' | 'clock' | 'workflow' | 'signals'> & Partial<Pick<Dependencies, 'telemetry'>>;

/**
 * Parks `taskToken` for the execution in `state`, started at `executionStartedAt`. A throttled self-wake parks the
 * token after all and hands the wake-up to the start buffer, rather than failing the step; any other failure throws
 * (the state machine retries the park, which finds what the first attempt did).
 */
export async function parkExecution(deps: Deps, state: ExecutionState, taskToken: string, executionStartedAt: string | undefined, isThrottling: (error: unknown) => boolean): Promise<ParkOutcome> {
  let outcome: ParkOutcome = 'parked';
  const park = async (always: boolean): Promise<ParkOutcome> => {
    await mutateInvoice(deps, state.invoiceId, (record, now) => {
      if (record.revision !== state.revision) {
        outcome = 'superseded';
        return undefined;
      }
      if (mustWake(record, now)) outcome = 'woken';
      else if (executionStartedAt && continuationDue({ startedAt: executionStartedAt, parks: record.parks ?? 0 }, state.wait?.until ?? now.toISOString(), now)) outcome = 'continued';
      else outcome = 'parked';
      if ((outcome !== 'parked' && !always) || record.parkedToken === taskToken) return undefined;
      return { record: { ...record, parkedToken: taskToken, parks: (record.parks ?? 0) + 1 } };
    });
    return outcome;
  };
  outcome = await park(false);
  if (outcome === 'continued') await continueAsNewRevision(deps, state);
  if (outcome === 'parked') return outcome;
  try {
    await deps.workflow.wake(taskToken, { woken: outcome === 'woken' ? 'already_pending' : 'continued' });
  } catch (error) {
    // A continued (or superseded) execution has no token on the record for a buffered wake-up to find: the state
    // machine's retry of this park wakes it.
    if (!isThrottling(error) || outcome !== 'woken') throw error;
    await park(true);
    await deps.signals.send([{ type: 'wake', invoiceId: state.invoiceId }]);
  }
  return outcome;
}

async function continueAsNewRevision(deps: Deps, state: ExecutionState): Promise<void> {
  await notePendingStart(deps, { invoiceId: state.invoiceId, executionName: executionName(state.invoiceId, state.revision + 1) });
  const result = await mutateInvoice(deps, state.invoiceId, (record, now) => continuation(record, state.revision, now));
  if (result.changed) {
    deps.telemetry?.info('execution continued as a new revision', { invoiceId: state.invoiceId, executionName: result.record.executionName });
    await sendSignals(deps, [startSignal(result.record)]);
  }
}
