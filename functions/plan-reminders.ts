/** "Plan the reminders": pre-reminder time, due time and phase from the policy; again after a due-date change. */
import { getDependencies } from '../shared/commons/dependencies';
import { billingSettings } from '../shared/commons/settings';
import { workflowStep, type WorkflowTaskInput } from '../shared/commons/workflow-step';
import { planReminders } from '../shared/workflow';

export async function handler({ state }: WorkflowTaskInput) {
  const settings = billingSettings();
  return workflowStep(getDependencies(), state, (record, now) => planReminders(record, settings, now));
}
