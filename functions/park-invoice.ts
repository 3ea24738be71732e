/**
 * The interruptible wait: stores the task token on the record so that an event can wake the execution. If an event
 * is already pending, the invoice is closed or the wake-up time has come, it wakes itself at once instead: no event
 * written before the park is missed. A self-wake that Step Functions throttles parks the token after all and hands
 * the wake-up to the start buffer, rather than failing the step (and, after its retries, the invoice).
 */
import { getDependencies } from '../shared/lambda/dependencies';
import { awsWorkflow, isThrottling, sqsSignals } from '../shared/lambda/adapters';
import type { WorkflowTaskInput } from '../shared/lambda/workflow-step';
import { mustWake } from '../shared/domain/workflow';
import { mutateInvoice } from '../shared/services/record-updates';
import { withTelemetry } from '../shared/lambda/telemetry';

export const handler = withTelemetry('park-invoice', async ({ state, taskToken }: WorkflowTaskInput): Promise<void> => {
  if (!taskToken) throw new Error('park-invoice needs a task token (.waitForTaskToken)');
  const deps = getDependencies({ workflow: awsWorkflow, signals: sqsSignals });
  const park = (always: boolean) =>
    mutateInvoice(deps, state.invoiceId, (record, now) => {
      wakeNow = mustWake(record, now);
      if ((wakeNow && !always) || record.parkedToken === taskToken) return undefined;
      return { record: { ...record, parkedToken: taskToken } };
    });
  let wakeNow = false;
  await park(false);
  if (!wakeNow) return;
  try {
    await deps.workflow.wake(taskToken, { woken: 'already_pending' });
  } catch (error) {
    if (!isThrottling(error)) throw error;
    await park(true);
    await deps.signals.send([{ type: 'wake', invoiceId: state.invoiceId }]);
  }
});
