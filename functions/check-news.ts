/**
 * "Check what happened": after a wait ends (woken or timed out), takes the next pending event exactly once, or acts
 * on the deadline. A retried check (same step) returns the answer already given instead of taking another event.
 */
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import type { WorkflowTaskInput } from '../shared/lambda/workflow-step';
import type { ExecutionState } from '../shared/domain/execution-state';
import { mutateInvoice } from '../shared/services/record-updates';
import { checkWhatHappened, nextState, superseded } from '../shared/domain/workflow';
import { withTelemetry } from '../shared/lambda/telemetry';

export const handler = withTelemetry('check-news', async ({ state }: WorkflowTaskInput): Promise<ExecutionState> => {
  const deps = getDependencies();
  const settings = getConfig();
  let answer: ExecutionState | undefined;
  await mutateInvoice(deps, state.invoiceId, (record, now) => {
    // The invoice continued as a new revision: this execution ends, leaving every event to it.
    if (superseded(record, state)) {
      answer = { ...state, next: 'continued' };
      return undefined;
    }
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
});
