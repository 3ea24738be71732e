/** "Plan the reminders": pre-reminder time, due time and phase from the policy; again after a due-date change. */
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { workflowStep, type WorkflowTaskInput } from '../shared/lambda/workflow-step';
import { planReminders } from '../shared/domain/workflow';
import { withTelemetry } from '../shared/lambda/telemetry';

export const handler = withTelemetry('plan-reminders', async ({ state }: WorkflowTaskInput) => {
  const settings = getConfig();
  return workflowStep(getDependencies(), state, (record, now) => planReminders(record, settings, now));
});
