/**
 * The interruptible wait: parks the task token on the record, wakes itself or sends the wait on when something is
 * already there, or hands the invoice to a new revision before Step Functions' limits (shared/services/park.ts).
 */
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { awsWorkflow, isThrottling, sqsSignals } from '../shared/lambda/adapters';
import type { WorkflowTaskInput } from '../shared/lambda/workflow-step';
import { parkExecution } from '../shared/services/park';
import { withTelemetry } from '../shared/lambda/telemetry';

export const handler = withTelemetry('park-invoice', async ({ state, taskToken, executionStartedAt, waitPhase }: WorkflowTaskInput): Promise<void> => {
  if (!taskToken) throw new Error('park-invoice needs a task token (.waitForTaskToken)');
  await parkExecution(getDependencies({ workflow: awsWorkflow, signals: sqsSignals }), getConfig(), { state, taskToken, executionStartedAt, phase: waitPhase }, isThrottling);
});
