/**
 * The park, against the DynamoDB emulator: it parks the token, wakes itself when something waits on the record, and
 * hands the invoice to a new revision before Step Functions' limits, losing no event on the way.
 */
import { describe, expect, it } from 'vitest';
import { initialState, type ExecutionState } from '../../../shared/domain/execution-state';
import { payment } from '../../../shared/domain/billing';
import { parkExecution } from '../../../shared/services/park';
import { deliverSignal } from '../../../shared/services/workflow-signals';
import { recordEvent } from '../../../shared/services/record-updates';
import { RecordingSignals } from '../../support/recording-ports';
import { SETTINGS, useServiceWorld } from '../../support/service-world';

const world = useServiceWorld('PARK', '2027-03-01T09:00:00.000Z');
const TOKEN = 'AQCEAAAAKgAAAAMAAAAA+token==';
const throttling = (error: unknown) => (error as Error).name === 'ThrottlingException';

/** A dispute's wait: parked until its follow-up. */
function waiting(invoiceId: string, until: string, revision = 1): ExecutionState {
  return { ...initialState(invoiceId, revision), next: 'wait', phase: 'disputed', wait: { until, seconds: 1 } };
}

const daysAfter = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();
const fullPayment = { amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-03-01', reference: 'VIR-PARK' };

describe('parkExecution', () => {
  it('parks the token on the record and counts the park', async () => {
    const { invoiceId } = await world.stored({ phase: 'disputed', status: 'disputed', nextActionAt: '2027-03-08T08:00:00.000Z' });

    const outcome = await parkExecution(world.deps, SETTINGS, { state: waiting(invoiceId, '2027-03-08T08:00:00.000Z'), taskToken: TOKEN, executionStartedAt: '2027-02-01T10:15:00.000Z' }, throttling);

    expect(outcome).toBe('parked');
    expect(await world.read(invoiceId)).toMatchObject({ parkedToken: TOKEN, parks: 1 });
    expect(world.workflow.calls).toEqual([]);
  });

  it('continues as a new revision when the next wake-up would come more than 350 days after the execution started', async () => {
    const followUp = '2027-03-08T08:00:00.000Z';
    const { invoiceId, executionName } = await world.stored({ phase: 'disputed', status: 'disputed', nextActionAt: followUp, parks: 41 });
    const signals = new RecordingSignals();
    const startedAt = daysAfter(followUp, -351);

    const outcome = await parkExecution({ ...world.deps, signals }, SETTINGS, { state: waiting(invoiceId, followUp), taskToken: TOKEN, executionStartedAt: startedAt }, throttling);

    expect(outcome).toBe('continued');
    const record = await world.read(invoiceId);
    expect(record).toMatchObject({ revision: 2, executionName: `${invoiceId}-r2`, parks: 0, status: 'disputed', phase: 'disputed' });
    expect(record.parkedToken).toBeUndefined();
    // Noted before the record moved on, signalled after: the new revision's start cannot be lost.
    expect(await world.store.listPendingStarts('9999', 10)).toContainEqual(expect.objectContaining({ invoiceId, executionName: `${invoiceId}-r2` }));
    expect(signals.of('start')).toEqual([{ type: 'start', invoiceId, executionName: `${invoiceId}-r2`, since: world.clock.now().toISOString() }]);
    // This execution wakes itself, to end.
    expect(world.workflow.of('wake')).toEqual([{ op: 'wake', taskToken: TOKEN, output: { woken: 'continued' } }]);
    const timeline = await world.store.listTimeline(invoiceId);
    expect(timeline.filter((entry) => entry.type === 'execution_continued')).toEqual([
      expect.objectContaining({ executionName: `${invoiceId}-r2`, previous: { executionName } }),
    ]);
  });

  it('continues as a new revision after 500 parks, however young the execution', async () => {
    const { invoiceId } = await world.stored({ phase: 'disputed', status: 'disputed', nextActionAt: '2027-03-08T08:00:00.000Z', parks: 500 });

    const outcome = await parkExecution(world.deps, SETTINGS, { state: waiting(invoiceId, '2027-03-08T08:00:00.000Z'), taskToken: TOKEN, executionStartedAt: '2027-02-28T00:00:00.000Z' }, throttling);

    expect(outcome).toBe('continued');
    expect((await world.read(invoiceId)).revision).toBe(2);
  });

  it('ends itself straight into Paid for a payment already on the record rather than continue', async () => {
    const { invoiceId } = await world.stored({ phase: 'disputed', status: 'disputed', nextActionAt: '2027-03-08T08:00:00.000Z', parks: 500 });
    await recordEvent(world.deps, SETTINGS, invoiceId, (record, now) => payment(record, fullPayment, SETTINGS, now));

    const outcome = await parkExecution(world.deps, SETTINGS, { state: waiting(invoiceId, '2027-03-08T08:00:00.000Z'), taskToken: TOKEN, executionStartedAt: '2026-01-01T00:00:00.000Z' }, throttling);

    expect(outcome).toBe('woken');
    expect((await world.read(invoiceId)).revision).toBe(1);
    expect(world.workflow.calls).toEqual([{ op: 'end', taskToken: TOKEN, ending: 'paid' }]);
  });

  it('leaves an event that arrives after the continuation to the new revision, whose first park wakes at once', async () => {
    const followUp = '2027-03-08T08:00:00.000Z';
    const { invoiceId } = await world.stored({ phase: 'disputed', status: 'disputed', nextActionAt: followUp });
    await parkExecution(world.deps, SETTINGS, { state: waiting(invoiceId, followUp), taskToken: TOKEN, executionStartedAt: daysAfter(followUp, -360) }, throttling);
    world.workflow.reset();

    // The payment lands before the new revision has parked: nobody to wake, the event waits on the record.
    const { record } = await recordEvent(world.deps, SETTINGS, invoiceId, (current, now) => payment(current, fullPayment, SETTINGS, now));
    expect(record.pendingEvents.map((event) => event.type)).toEqual(['payment']);
    expect(world.workflow.calls).toEqual([]);

    const outcome = await parkExecution(world.deps, SETTINGS, { state: waiting(invoiceId, followUp, 2), taskToken: 'AQCEAAAAKgAAAAMAAAAA+second==', executionStartedAt: world.clock.now().toISOString() }, throttling);
    expect(outcome).toBe('woken');
    expect(world.workflow.calls).toEqual([{ op: 'end', taskToken: 'AQCEAAAAKgAAAAMAAAAA+second==', ending: 'paid' }]);
  });

  it('ends the continued execution through the start buffer when its farewell wake-up is throttled, rather than fail it', async () => {
    const followUp = '2027-03-08T08:00:00.000Z';
    const { invoiceId } = await world.stored({ phase: 'disputed', status: 'disputed', nextActionAt: followUp });
    const throttled = Object.create(world.workflow);
    throttled.wake = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    const signals = new RecordingSignals();

    expect(await parkExecution({ ...world.deps, workflow: throttled, signals }, SETTINGS, { state: waiting(invoiceId, followUp), taskToken: TOKEN, executionStartedAt: daysAfter(followUp, -360) }, throttling)).toBe('continued');

    // Retiring, not parked: the buffered wake-up ends it; the new revision parks its own token.
    expect(await world.read(invoiceId)).toMatchObject({ revision: 2, retiringToken: TOKEN });
    expect((await world.read(invoiceId)).parkedToken).toBeUndefined();
    expect(signals.of('wake')).toEqual([{ type: 'wake', invoiceId, since: world.clock.now().toISOString() }]);
    expect(await deliverSignal(world.deps, SETTINGS, signals.of('wake')[0]!)).toBe('woken');
    expect(world.workflow.of('wake')).toEqual([{ op: 'wake', taskToken: TOKEN, output: { woken: 'continued' } }]);
  });

  it('lets a retried park of a continued execution wake itself to end and change nothing', async () => {
    const followUp = '2027-03-08T08:00:00.000Z';
    const { invoiceId } = await world.stored({ phase: 'disputed', status: 'disputed', nextActionAt: followUp });
    await parkExecution(world.deps, SETTINGS, { state: waiting(invoiceId, followUp), taskToken: TOKEN, executionStartedAt: daysAfter(followUp, -360) }, throttling);
    const continued = await world.read(invoiceId);
    world.workflow.reset();

    // The state machine retries the park (a new token): it finds the invoice continued.
    const outcome = await parkExecution(world.deps, SETTINGS, { state: waiting(invoiceId, followUp), taskToken: 'AQCEAAAAKgAAAAMAAAAA+retry==', executionStartedAt: daysAfter(followUp, -360) }, throttling);

    expect(outcome).toBe('superseded');
    expect(world.workflow.of('wake')).toEqual([{ op: 'wake', taskToken: 'AQCEAAAAKgAAAAMAAAAA+retry==', output: { woken: 'continued' } }]);
    expect(await world.read(invoiceId)).toEqual(continued);
  });

  it('parks its token after all and hands the wake-up to the start buffer when its self-wake is throttled', async () => {
    const { invoiceId } = await world.stored({ phase: 'disputed', status: 'disputed', nextActionAt: '2027-03-08T08:00:00.000Z' });
    await recordEvent(world.deps, SETTINGS, invoiceId, (record, now) => payment(record, fullPayment, SETTINGS, now));
    const throttled = Object.create(world.workflow);
    throttled.wake = throttled.end = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    const signals = new RecordingSignals();

    const outcome = await parkExecution({ ...world.deps, workflow: throttled, signals }, SETTINGS, { state: waiting(invoiceId, '2027-03-08T08:00:00.000Z'), taskToken: TOKEN, executionStartedAt: '2027-02-01T00:00:00.000Z' }, throttling);

    expect(outcome).toBe('woken');
    expect((await world.read(invoiceId)).parkedToken).toBe(TOKEN);
    expect(signals.of('wake')).toEqual([{ type: 'wake', invoiceId, since: world.clock.now().toISOString() }]);
  });
});
