/**
 * "Hand off to legal": commits the hand-off, with what the evidence file states as of that moment, in one write (unless
 * a payment or a cancellation got there first) and tells the team. Safe to retry: a retry finds the hand-off done and
 * repeats only what is idempotent. A callback task: it sends its execution on itself, straight into its ending.
 */
import { awsWorkflow, isThrottling, s3Documents, sesMailer, sqsSignals } from '../shared/lambda/adapters';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import type { WorkflowTaskInput } from '../shared/lambda/workflow-step';
import type { ExecutionState } from '../shared/domain/execution-state';
import { handOffToLegal } from '../shared/services/hand-off';
import { sendStepOn } from '../shared/services/resume';
import { withTelemetry } from '../shared/lambda/telemetry';

export const handler = withTelemetry('hand-off', async ({ state, taskToken }: WorkflowTaskInput): Promise<ExecutionState> => {
  const deps = getDependencies({ mailer: sesMailer, documents: s3Documents, workflow: awsWorkflow, signals: sqsSignals });
  const next = await handOffToLegal(deps, getConfig(), state);
  if (taskToken) await sendStepOn(deps, taskToken, next, isThrottling);
  return next;
});
