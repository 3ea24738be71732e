/**
 * "Hand off to legal" (shared/services/hand-off.ts) against the real store: the hand-off is committed before anything
 * else, so a payment that got there first wins and one that comes later is recorded against it; the evidence file is
 * put together when read, so its stored part stays small whatever the invoice's history.
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { ExecutionState } from '../../../shared/domain/execution-state';
import type { InvoiceStore } from '../../../shared/ports';
import { recordPayment } from '../../../shared/services/billing';
import { handOffToLegal } from '../../../shared/services/hand-off';
import { readEvidence } from '../../../shared/services/evidence';
import { SETTINGS, useServiceWorld } from '../../support/service-world';

const world = useServiceWorld('F-HO', '2027-05-18T07:00:00.000Z');
const config = { ...SETTINGS, handOffEmail: 'dossiers@recouvrement.example' };
const onTheLadder = { status: 'overdue' as const, phase: 'overdue' as const, escalation: { done: 4 }, nextActionAt: '2027-05-18T07:00:00.000Z' };
const state = (invoiceId: string): ExecutionState => ({ invoiceId, revision: 1, step: 12, phase: 'overdue', next: 'hand_off' });
const fullPayment = (reference: string) => ({ amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-05-17', reference });

describe('handOffToLegal', () => {
  it('hands off once: the record first, then the evidence manifest and one email to the team and the agency', async () => {
    const { invoiceId } = await world.stored(onTheLadder);

    const next = await handOffToLegal(world.deps, config, state(invoiceId));
    await handOffToLegal(world.deps, config, state(invoiceId));

    expect(next.next).toBe('handed_off');
    expect(await world.read(invoiceId)).toMatchObject({ status: 'handed_off', handedOffAt: '2027-05-18T07:00:00.000Z' });
    expect(world.mailer.sent.map((e) => e.to)).toEqual([[config.teamEmail, config.handOffEmail]]);
    const evidence = await readEvidence(world.deps, config, invoiceId);
    expect(evidence).toMatchObject({ generatedAt: '2027-05-18T07:00:00.000Z', atHandOff: { status: 'handed_off' }, invoice: { status: 'handed_off' } });
    expect(evidence?.timeline.filter((t) => t.type === 'handed_off')).toHaveLength(1);
  });

  it('lets a payment that lands while the hand-off is being written win: the execution ends Paid, nothing is handed off', async () => {
    const { invoiceId } = await world.stored(onTheLadder);
    // The payment arrives between the hand-off's read and its conditional write.
    const racing: InvoiceStore = Object.create(world.store);
    let raced = false;
    racing.putInvoice = async (record) => {
      if (!raced) {
        raced = true;
        await recordPayment(world.deps, config, invoiceId, fullPayment('VIR-RACE'));
      }
      return world.store.putInvoice(record);
    };

    const next = await handOffToLegal({ ...world.deps, store: racing }, config, state(invoiceId));

    expect(next.next).toBe('paid');
    const record = await world.read(invoiceId);
    expect(record).toMatchObject({ status: 'paid', outstanding: { value: 0, currency: 'EUR' } });
    expect(record.handedOffAt).toBeUndefined();
    expect(await readEvidence(world.deps, config, invoiceId)).toBeUndefined();
    expect(world.mailer.sent).toEqual([]);
  });

  it('sends no hand-off email when a payment lands right after the hand-off: the payment notice says it all', async () => {
    const { invoiceId } = await world.stored(onTheLadder);
    // The payment lands once the hand-off is written, before its email.
    const paying: InvoiceStore = Object.create(world.store);
    let reads = 0;
    paying.getInvoice = async (id) => {
      if (++reads === 2) await recordPayment(world.deps, config, invoiceId, fullPayment('VIR-AFTER'));
      return world.store.getInvoice(id);
    };

    const next = await handOffToLegal({ ...world.deps, store: paying }, config, state(invoiceId));

    expect(next.next).toBe('handed_off');
    expect(await world.read(invoiceId)).toMatchObject({ status: 'paid', handedOffAt: '2027-05-18T07:00:00.000Z' });
    // No hand-off email: the payment's own notice (an execution of its own) tells the team and the agency.
    expect(world.mailer.sent).toEqual([]);
    expect(world.workflow.of('start').map((call) => call.executionName)).toEqual([expect.stringMatching(/-payment-/)]);
    const evidence = await readEvidence(world.deps, config, invoiceId);
    expect(evidence?.invoice.status).toBe('paid');
    expect(evidence?.payments.map((p) => p.reference)).toEqual(['VIR-AFTER']);
  });

  it('leaves no hand-off without its evidence: a retry after a failed email and a payment still finds it fixed', async () => {
    const { invoiceId } = await world.stored(onTheLadder);
    world.mailer.refuse = 1;
    await expect(handOffToLegal(world.deps, config, state(invoiceId))).rejects.toThrow('Maximum sending rate');
    await recordPayment(world.deps, config, invoiceId, fullPayment('VIR-BETWEEN'));

    const next = await handOffToLegal(world.deps, config, state(invoiceId));

    expect(next.next).toBe('paid');
    const evidence = await readEvidence(world.deps, config, invoiceId);
    expect(evidence).toMatchObject({ generatedAt: '2027-05-18T07:00:00.000Z', atHandOff: { status: 'handed_off', outstanding: { value: 123_456 } } });
    // Fixed at the hand-off: 48 days late on the whole principal; today the principal is paid and nothing more accrues.
    expect(evidence?.claimAtHandOff?.principal.value).toBe(123_456);
    expect(evidence?.claimAtHandOff?.penalties.periods.map((p) => p.days)).toEqual([48]);
    expect(evidence?.claim.principal.value).toBe(0);
    expect(world.mailer.sent).toEqual([]);
    expect(world.workflow.of('start').map((call) => call.executionName)).toEqual([expect.stringMatching(/-payment-/)]);
  });

  it('keeps the record small however long the timeline grows', async () => {
    const { invoiceId } = await world.stored(onTheLadder);
    const many = Array.from({ length: 1500 }, (_, i) => ({ type: 'question' as const, at: `2027-05-0${1 + (i % 9)}T10:00:00.000Z`, message: 'x'.repeat(400), n: i }));
    for (let i = 0; i < many.length; i += 100) await world.store.appendTimeline(invoiceId, many.slice(i, i + 100));

    await handOffToLegal(world.deps, config, state(invoiceId));

    expect(JSON.stringify(await world.read(invoiceId)).length).toBeLessThan(20_000);
    const evidence = await readEvidence(world.deps, config, invoiceId);
    expect(evidence?.customerAnswers).toHaveLength(1500);
  });
});

describe('readEvidence', () => {
  it('reads the evidence item an earlier version wrote for an invoice it handed off', async () => {
    const { invoiceId } = await world.stored({ status: 'handed_off', phase: 'closed', handedOffAt: '2027-05-18T07:00:00.000Z' });
    const legacy = { generatedAt: '2027-05-18T07:00:00.000Z', invoice: { invoiceId }, timeline: [] };
    const doc = DynamoDBDocumentClient.from(world.dynamo.client);
    await doc.send(new PutCommand({ TableName: world.dynamo.tableName, Item: { pk: `INVOICE#${invoiceId}`, sk: 'EVIDENCE', evidence: legacy } }));
    expect(await readEvidence(world.deps, config, invoiceId)).toEqual(legacy);
  });
});
