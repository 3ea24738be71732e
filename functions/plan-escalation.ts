/** "Next escalation step": the next rung of the overdue ladder and when it happens, or the hand-off. */
import { getDependencies } from '../shared/commons/dependencies';
import { billingSettings } from '../shared/commons/settings';
import { workflowStep, type WorkflowTaskInput } from '../shared/commons/workflow-step';
import { planEscalation } from '../shared/workflow';

export async function handler({ state }: WorkflowTaskInput) {
  const settings = billingSettings();
  return workflowStep(getDependencies(), state, (record, now) => planEscalation(record, settings, now));
}
