/**
 * The interruptible wait: stores the task token on the record so that an event can wake the execution. If an event
 * is already pending, the invoice is closed or the wake-up time has come, it wakes itself at once instead: no event
 * written before the park is missed.
 */
import { getDependencies } from '../shared/lambda/dependencies';
import { awsWorkflow } from '../shared/lambda/adapters';
import type { WorkflowTaskInput } from '../shared/lambda/workflow-step';
import { isClosed, reached } from '../shared/domain/workflow';
import { mutateInvoice } from '../shared/services/record-updates';
import { withTelemetry } from '../shared/lambda/telemetry';

export const handler = withTelemetry('park-invoice', async ({ state, taskToken }: WorkflowTaskInput): Promise<void> => {
  if (!taskToken) throw new Error('park-invoice needs a task token (.waitForTaskToken)');
  const deps = getDependencies({ workflow: awsWorkflow });
  let wakeNow = false;
  await mutateInvoice(deps, state.invoiceId, (record, now) => {
    const due = record.nextActionAt !== undefined && reached(record.nextActionAt, now);
    wakeNow = record.pendingEvents.length > 0 || isClosed(record) || due;
    if (wakeNow || record.parkedToken === taskToken) return undefined;
    return { record: { ...record, parkedToken: taskToken } };
  });
  if (wakeNow) await deps.workflow.wake(taskToken, { woken: 'already_pending' });
});
