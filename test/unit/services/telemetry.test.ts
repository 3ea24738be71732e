/**
 * What the services count for the dashboard and the alarms: each business fact once, however often its request or
 * step is retried (a retried payment, the same answer twice, a needs-attention notice sent again).
 */
import { describe, expect, it } from 'vitest';
import type { MetricName, Telemetry } from '../../../shared/ports';
import { recordCustomerAnswer, recordPayment } from '../../../shared/services/billing';
import { runEmailStep } from '../../../shared/services/email-steps';
import { SETTINGS, useServiceWorld } from '../../support/service-world';

const world = useServiceWorld('F-TEL');

function recording() {
  const counts: { metric: MetricName; dimensions?: Record<string, string> }[] = [];
  const lines: string[] = [];
  const telemetry: Telemetry = {
    info: (message) => void lines.push(message),
    error: (message) => void lines.push(message),
    count: (metric, dimensions) => void counts.push({ metric, dimensions }),
    measure: () => undefined,
  };
  return { telemetry, counts, lines };
}

describe('telemetry', () => {
  it('counts a payment once, also when the billing system sends it again', async () => {
    const { telemetry, counts } = recording();
    const record = await world.stored({ status: 'awaiting_reply', phase: 'awaiting_reply' });
    const payment = { amount: { value: 1_000, currency: 'EUR' }, paidAt: '2027-03-19', reference: 'VIR-T1' };
    await recordPayment({ ...world.deps, telemetry }, SETTINGS, record.invoiceId, payment);
    await recordPayment({ ...world.deps, telemetry }, SETTINGS, record.invoiceId, payment);
    expect(counts).toEqual([{ metric: 'Payments' }]);
  });

  it('counts an answer by its kind, once for the same answer clicked twice', async () => {
    const { telemetry, counts, lines } = recording();
    const record = await world.stored({ status: 'awaiting_reply', phase: 'awaiting_reply' });
    const answer = { action: 'dispute' as const, reason: 'defective' as const };
    await recordCustomerAnswer({ ...world.deps, telemetry }, SETTINGS, record.invoiceId, 'compta@boulangerie-martin.fr', answer);
    await recordCustomerAnswer({ ...world.deps, telemetry }, SETTINGS, record.invoiceId, 'compta@boulangerie-martin.fr', answer);
    expect(counts).toEqual([{ metric: 'Answers', dimensions: { kind: 'dispute' } }]);
    expect(lines).toEqual(['customer answer']);
  });

  it('counts a Needs attention ending once, and the team email it sent by kind', async () => {
    const { telemetry, counts } = recording();
    const record = await world.stored({ status: 'overdue', phase: 'overdue' });
    const state = { invoiceId: record.invoiceId, revision: 1, step: 4, phase: 'overdue' as const, next: 'needs_attention' as const, error: { Error: 'Lambda.Unknown', Cause: 'boom' } };
    await runEmailStep({ ...world.deps, telemetry }, SETTINGS, state as never, 'needs_attention');
    await runEmailStep({ ...world.deps, telemetry }, SETTINGS, state as never, 'needs_attention');
    expect(counts).toEqual([{ metric: 'EmailsSent', dimensions: { kind: 'needs_attention' } }, { metric: 'NeedsAttention' }]);
  });
});
