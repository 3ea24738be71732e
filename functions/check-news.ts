/**
 * "Check what happened": after a wait ends (woken or timed out), takes the next pending event exactly once, or acts
 * on the deadline. A retried check (same step) returns the answer already given instead of taking another event, and
 * so does a check a waker took in the execution's place (shared/services/resume.ts).
 */
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import type { WorkflowTaskInput } from '../shared/lambda/workflow-step';
import type { ExecutionState } from '../shared/domain/execution-state';
import { mutateInvoice } from '../shared/services/record-updates';
import { checkFor } from '../shared/domain/workflow';
import { withTelemetry } from '../shared/lambda/telemetry';

export const handler = withTelemetry('check-news', async ({ state }: WorkflowTaskInput): Promise<ExecutionState> => {
  const deps = getDependencies();
  const settings = getConfig();
  let answer: ExecutionState | undefined;
  await mutateInvoice(deps, state.invoiceId, (record, now) => {
    const check = checkFor(record, state, settings, now);
    answer = check.answer;
    return check.change;
  });
  return answer!;
});
