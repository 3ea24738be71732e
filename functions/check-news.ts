/**
 * "Check what happened": after a wait ends (woken or timed out), takes the next pending event exactly once, or acts
 * on the deadline. A retried check (same step) returns the answer already given instead of taking another event.
 */
import { getDependencies } from '../shared/commons/dependencies';
import { billingSettings } from '../shared/commons/settings';
import type { WorkflowTaskInput } from '../shared/commons/workflow-step';
import type { ExecutionState } from '../shared/execution-state';
import { mutateInvoice } from '../shared/record-updates';
import { checkWhatHappened, nextState } from '../shared/workflow';

export async function handler({ state }: WorkflowTaskInput): Promise<ExecutionState> {
  const deps = getDependencies();
  const settings = billingSettings();
  let answer: ExecutionState | undefined;
  await mutateInvoice(deps, state.invoiceId, (record, now) => {
    if (record.lastCheck?.step === state.step) {
      answer = record.lastCheck.result as ExecutionState;
      return undefined;
    }
    const { change, next, event } = checkWhatHappened(record, settings, now);
    const { event: _previous, ...rest } = nextState(state, change.record, next, now);
    answer = {
      ...rest,
      step: state.step + 1,
      ...(event ? { event: { type: event.type, seq: event.seq, ...(event.detail ? { detail: event.detail } : {}) } } : {}),
    };
    return { ...change, record: { ...change.record, lastCheck: { step: state.step, result: answer } } };
  });
  return answer!;
}
