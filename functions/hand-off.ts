/**
 * "Hand off to legal": writes the evidence file (the registration, the amounts, every reminder, answer and payment
 * from the timeline, the penalties due) and notifies the team. Runs once: a retry finds the invoice handed off.
 */
import { getConfig, getDependencies } from '../shared/lambda/dependencies';
import { sesMailer } from '../shared/lambda/adapters';
import type { WorkflowTaskInput } from '../shared/lambda/workflow-step';
import type { ExecutionState } from '../shared/domain/execution-state';
import { NotFoundError } from '../shared/domain/errors';
import { invoiceView, timelineEntry } from '../shared/domain/invoice';
import { penaltiesFor } from '../shared/domain/penalties';
import { sendTeamEmail } from '../shared/services/notifications';
import { mutateInvoice } from '../shared/services/record-updates';
import { nextState } from '../shared/domain/workflow';

export async function handler({ state }: WorkflowTaskInput): Promise<ExecutionState> {
  const deps = getDependencies({ mailer: sesMailer });
  const config = getConfig();
  const record = await deps.store.getInvoice(state.invoiceId);
  if (!record) throw new NotFoundError(`No invoice ${state.invoiceId}`);
  if (record.status === 'paid' || record.status === 'cancelled') return nextState(state, record, record.status, deps.clock.now());
  const now = deps.clock.now();
  const timeline = await deps.store.listTimeline(record.invoiceId);
  await deps.store.putEvidence(record.invoiceId, {
    generatedAt: now.toISOString(),
    creditor: config.creditor,
    invoice: invoiceView(record),
    registration: record.registration,
    penalties: penaltiesFor(record, config, now),
    remindersSent: timeline.filter((t) => t.type === 'email_sent'),
    customerAnswers: timeline.filter((t) => ['promise', 'promise_broken', 'dispute', 'question', 'call_outcome'].includes(t.type)),
    payments: timeline.filter((t) => t.type === 'payment'),
    timeline,
  });
  const notified = await sendTeamEmail(deps, config, record, 'hand_off', 'hand_off');
  const { record: written } = await mutateInvoice(deps, record.invoiceId, (current, at) => ({
    record: { ...current, status: 'handed_off', phase: 'closed', nextActionAt: undefined, parkedToken: undefined },
    timeline: current.status === 'handed_off' ? notified : [...notified, timelineEntry('handed_off', at, { evidence: `/invoices/${record.invoiceId}/evidence` })],
  }));
  return nextState(state, written, 'hand_off', deps.clock.now());
}
