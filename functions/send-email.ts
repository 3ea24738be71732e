/**
 * Every email the state machine sends, chosen by the task's `email` parameter: the pre-reminder, acknowledgements,
 * overdue ladder steps and team notifications. Each leaves at most once per cause (shared/services/email-steps.ts).
 */
import { s3Documents, sesMailer } from '../shared/lambda/adapters';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import type { WorkflowTaskInput } from '../shared/lambda/workflow-step';
import type { ExecutionState } from '../shared/domain/execution-state';
import { isEmailStep, runEmailStep } from '../shared/services/email-steps';
import { withTelemetry } from '../shared/lambda/telemetry';

export const handler = withTelemetry('send-email', async ({ state, email, execution }: WorkflowTaskInput): Promise<ExecutionState> => {
  if (!isEmailStep(email)) throw new Error(`Unknown email step: ${email}`);
  return runEmailStep(getDependencies({ mailer: sesMailer, documents: s3Documents }), getConfig(), state, email, execution);
});
