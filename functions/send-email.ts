/**
 * Every email the state machine sends, chosen by the task's `email` parameter: the pre-reminder, acknowledgements,
 * overdue ladder steps and team notifications. Each leaves at most once per cause (shared/services/email-steps.ts).
 * Given a task token ("Carry out escalation step", a callback task), it sends its execution on itself.
 */
import { awsWorkflow, isThrottling, s3Documents, sesMailer, sqsSignals } from '../shared/lambda/adapters';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import type { WorkflowTaskInput } from '../shared/lambda/workflow-step';
import type { ExecutionState } from '../shared/domain/execution-state';
import { isEmailStep, runEmailStep } from '../shared/services/email-steps';
import { sendStepOn } from '../shared/services/resume';
import { withTelemetry } from '../shared/lambda/telemetry';

export const handler = withTelemetry('send-email', async ({ state, email, execution, taskToken }: WorkflowTaskInput): Promise<ExecutionState> => {
  if (!isEmailStep(email)) throw new Error(`Unknown email step: ${email}`);
  const deps = getDependencies({ mailer: sesMailer, documents: s3Documents, workflow: awsWorkflow, signals: sqsSignals });
  const next = await runEmailStep(deps, getConfig(), state, email, execution);
  if (taskToken) await sendStepOn(deps, taskToken, next, isThrottling);
  return next;
});
