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
import { continuationDue, type ExecutionState } from '../domain/execution-state';
import type { InvoiceRecord } from '../domain/invoice';
import { mustWake, superseded } from '../domain/workflow';
import type { Dependencies } from '../ports';
import { mutateInvoice } from './record-updates';
import { resumeParked, startNextRevision } from './workflow-signals';

export type ParkOutcome = 'parked' | 'woken' | 'continued' | 'superseded';

type Deps = Pick<Dependencies, 'store' | 'clock' | 'workflow' | 'signals'> & Partial<Pick<Dependencies, 'telemetry'>>;

/**
 * Parks `taskToken` for the execution in `state`, started at `executionStartedAt`. A throttled self-wake does not fail
 * the step: the token is left on the record (parked, or retiring for an execution that is to end) and the wake-up
 * handed to the start buffer. Any other failure throws; the state machine retries the park, which finds what the
 * first attempt did.
 */
export async function parkExecution(deps: Deps, state: ExecutionState, taskToken: string, executionStartedAt: string | undefined, isThrottling: (error: unknown) => boolean): Promise<ParkOutcome> {
  let outcome: ParkOutcome = 'parked';
  // The record as the park read it: a paid or cancelled invoice's wait ends straight into the execution's ending.
  let seen: InvoiceRecord | undefined;
  await mutateInvoice(deps, state.invoiceId, (record, now) => {
    outcome = parkOutcome(record, state, executionStartedAt, now);
    seen = record;
    if (outcome !== 'parked' || record.parkedToken === taskToken) return undefined;
    return { record: { ...record, parkedToken: taskToken, parks: (record.parks ?? 0) + 1 } };
  });
  if (outcome === 'parked') return outcome;
  if (outcome === 'continued') await continueAsNewRevision(deps, state);
  const retiring = outcome !== 'woken';
  try {
    if (retiring) await deps.workflow.wake(taskToken, { woken: 'continued' });
    else await resumeParked(deps.workflow, seen!, taskToken, 'already_pending');
  } catch (error) {
    if (!isThrottling(error)) throw error;
    // Left where the buffered wake-up finds it: parked (this revision acts on what is there) or retiring (it ends).
    await mutateInvoice(deps, state.invoiceId, (record) =>
      retiring ? { record: { ...record, retiringToken: taskToken } } : record.parkedToken === taskToken ? undefined : { record: { ...record, parkedToken: taskToken } },
    );
    await deps.signals.send([{ type: 'wake', invoiceId: state.invoiceId, since: deps.clock.now().toISOString() }]);
  }
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
