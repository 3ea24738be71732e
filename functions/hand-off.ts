/**
 * "Hand off to legal": commits the hand-off, with what the evidence file states as of that moment, in one write (unless
 * a payment or a cancellation got there first) and tells the team. Safe to retry: a retry finds the hand-off done and
 * repeats only what is idempotent.
 */
import { s3Documents, sesMailer } from '../shared/lambda/adapters';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import type { WorkflowTaskInput } from '../shared/lambda/workflow-step';
import type { ExecutionState } from '../shared/domain/execution-state';
import { handOffToLegal } from '../shared/services/hand-off';
import { withTelemetry } from '../shared/lambda/telemetry';

export const handler = withTelemetry('hand-off', async ({ state }: WorkflowTaskInput): Promise<ExecutionState> => {
  return handOffToLegal(getDependencies({ mailer: sesMailer, documents: s3Documents }), getConfig(), state);
});
