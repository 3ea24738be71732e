/**
 * The shape every workflow handler shares: read the record, let a pure domain function decide, write the change
 * conditionally, hand the next execution state back to the state machine.
 */
import { routedState, type ExecutionState, type Next } from '../domain/execution-state';
import type { InvoiceRecord, Phase } from '../domain/invoice';
import type { Dependencies } from '../ports';
import { mutateInvoice, type Change } from '../services/record-updates';
import { answerOwed, nextState, superseded } from '../domain/workflow';

export interface WorkflowTaskInput {
  state: ExecutionState;
  /** Which email the "send email" tasks send. */
  email?: string;
  /** The execution's own name, for the steps that must name it (an invoice may have a payment notice's besides). */
  execution?: string;
  /** Present on parked waits only. */
  taskToken?: string;
  /** `$$.Execution.StartTime`, on parked waits: how long this execution has lived. */
  executionStartedAt?: string;
  /** On parked waits: the phase the wait waits in; any other state is sent on (shared/services/park.ts). */
  waitPhase?: Phase;
}

export async function workflowStep(
  deps: Dependencies,
  state: ExecutionState,
  decide: (record: InvoiceRecord, now: Date) => { change: Change; next: Next },
): Promise<ExecutionState> {
  state = routedState(state);
  let next = 'wait' as Next;
  const { record } = await mutateInvoice(deps, state.invoiceId, (current, now) => {
    // A step of an execution that handed the invoice to a newer revision does nothing: it ends.
    if (superseded(current, state)) {
      next = 'continued';
      return undefined;
    }
    // An answer a waker took for this step's state is owed: "Check what happened" gives it (nextState keeps the step).
    if (answerOwed(current, state)) {
      next = 'check';
      return undefined;
    }
    const decision = decide(current, now);
    next = decision.next;
    return decision.change;
  });
  deps.telemetry?.info('decision', { invoiceId: state.invoiceId, next, phase: record.phase, status: record.status, nextActionAt: record.nextActionAt });
  return nextState(state, record, next, deps.clock.now());
}
