/** "Next escalation step": the next rung of the overdue ladder and when it happens, or the hand-off. */
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { workflowStep, type WorkflowTaskInput } from '../shared/lambda/workflow-step';
import { planEscalation } from '../shared/domain/workflow';
import { withTelemetry } from '../shared/lambda/telemetry';

export const handler = withTelemetry('plan-escalation', async ({ state }: WorkflowTaskInput) => {
  const settings = getConfig();
  return workflowStep(getDependencies(), state, (record, now) => planEscalation(record, settings, now));
});
