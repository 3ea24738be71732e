/**
 * Conditional updates of an invoice (shared/services/record-updates.ts) against the real store: a change's timeline
 * entries exist as soon as the change does, racing writers never get a 5xx, and a failed wake-up only delays an event.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, VersionConflict } from '../../../shared/domain/errors';
import { timelineEntry } from '../../../shared/domain/invoice';
import type { InvoiceStore } from '../../../shared/ports';
import { mutateInvoice, readTimeline, recordEvent } from '../../../shared/services/record-updates';
import { SETTINGS, useServiceWorld } from '../../support/service-world';
import { RecordingSignals } from '../../support/recording-ports';
import { deliverSignal } from '../../../shared/services/workflow-signals';

const world = useServiceWorld('F-RU');
const note = (text: string) => (record: Parameters<Parameters<typeof mutateInvoice>[2]>[0], now: Date) => ({
  record: { ...record, warnings: [...record.warnings, text] },
  timeline: [timelineEntry('call_outcome', now, { note: text })],
});

describe('mutateInvoice', () => {
  it('keeps a change\'s timeline entries when writing them to the timeline fails, and writes them with the next change', async () => {
    const { invoiceId } = await world.stored();
    const flaky: InvoiceStore = Object.create(world.store);
    flaky.appendTimeline = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };

    const { record } = await mutateInvoice({ ...world.deps, store: flaky }, invoiceId, note('first call'));

    expect(await world.store.listTimeline(invoiceId)).toEqual([]);
    expect((await readTimeline(world.store, record)).map((t) => t.note)).toEqual(['first call']);
    world.clock.set('2027-03-19T09:00:00.000Z');
    const second = await mutateInvoice(world.deps, invoiceId, note('second call'));
    expect((await world.store.listTimeline(invoiceId)).map((t) => t.note)).toEqual(['first call', 'second call']);
    expect((await readTimeline(world.store, second.record)).map((t) => t.note)).toEqual(['first call', 'second call']);
  });

  it('keeps the entries of a change whose timeline write failed twice, as long as it takes', async () => {
    const { invoiceId } = await world.stored();
    const down: InvoiceStore = Object.create(world.store);
    down.appendTimeline = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    await mutateInvoice({ ...world.deps, store: down }, invoiceId, note('first'));
    world.clock.set('2027-03-19T09:00:00.000Z');
    const second = await mutateInvoice({ ...world.deps, store: down }, invoiceId, note('second'));
    expect(second.record.timelineOutbox?.map((group) => group.map((t) => t.note))).toEqual([['first'], ['second']]);
    expect((await readTimeline(world.store, second.record)).map((t) => t.note)).toEqual(['first', 'second']);

    world.clock.set('2027-03-19T10:00:00.000Z');
    const third = await mutateInvoice(world.deps, invoiceId, note('third'));
    expect((await world.store.listTimeline(invoiceId)).map((t) => t.note)).toEqual(['first', 'second', 'third']);
    expect(third.record.timelineOutbox?.map((group) => group.map((t) => t.note))).toEqual([['third']]);
  });

  it('writes a change\'s entries once however often they are written again', async () => {
    const { invoiceId } = await world.stored();
    await mutateInvoice(world.deps, invoiceId, note('only once'));
    for (const text of ['a', 'b', 'c']) await mutateInvoice(world.deps, invoiceId, (record) => ({ record: { ...record, warnings: [...record.warnings, text] } }));
    expect((await world.store.listTimeline(invoiceId)).map((t) => t.note)).toEqual(['only once']);
  });

  it('writes nothing for a change that hands back the record as read, and writes one that carries only an event', async () => {
    const { invoiceId } = await world.stored();
    const unchanged = await mutateInvoice(world.deps, invoiceId, (record) => ({ record }));
    expect(unchanged.changed).toBe(false);
    expect((await world.read(invoiceId)).version).toBe(1);

    const withEvent = await mutateInvoice(world.deps, invoiceId, (record) => ({ record, event: { type: 'question' } }));
    expect(withEvent.changed).toBe(true);
    expect((await world.read(invoiceId)).pendingEvents.map((e) => e.type)).toEqual(['question']);
  });

  it('answers 409 concurrent_update, having changed nothing, to a writer that keeps losing the race', async () => {
    const { invoiceId } = await world.stored();
    const contended: InvoiceStore = Object.create(world.store);
    let attempts = 0;
    contended.putInvoice = async () => {
      attempts++;
      throw new VersionConflict(`invoice ${invoiceId}`);
    };
    const error = await mutateInvoice({ ...world.deps, store: contended }, invoiceId, note('never')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 409, code: 'concurrent_update' });
    expect(attempts).toBe(30);
    expect((await world.read(invoiceId)).version).toBe(1);
  });
});

describe('recordEvent', () => {
  /** An event that leaves the invoice open (a question): the parked execution is woken to take it. */
  const questionEvent = (record: Parameters<Parameters<typeof mutateInvoice>[2]>[0]) =>
    record.pendingEvents.length > 0 ? undefined : { record, event: { type: 'question' as const } };
  /** An event that closes the invoice: the parked execution goes straight to *Paid*. */
  const paymentEvent = (record: Parameters<Parameters<typeof mutateInvoice>[2]>[0]) =>
    record.status === 'paid' ? undefined : { record: { ...record, status: 'paid' as const }, event: { type: 'payment' as const } };

  it('ends the parked execution straight into Paid when the event closes the invoice, and through the start buffer when that is throttled', async () => {
    const { invoiceId } = await world.stored({ parkedToken: 'AQCEAAAAKgAAAAMAAAAA+token==' });
    const throttled = Object.create(world.workflow);
    throttled.end = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    const buffer = new RecordingSignals();

    await recordEvent({ ...world.deps, workflow: throttled, signals: buffer }, SETTINGS, invoiceId, paymentEvent);
    expect(world.workflow.calls).toEqual([]);
    expect(await deliverSignal(world.deps, SETTINGS, buffer.of('wake')[0]!)).toBe('woken');
    expect(world.workflow.calls).toEqual([{ op: 'end', taskToken: 'AQCEAAAAKgAAAAMAAAAA+token==', ending: 'paid' }]);
  });

  it('keeps the event on the record when the wake-up is throttled and hands the wake-up to the start buffer, whose consumer wakes the execution', async () => {
    const { invoiceId } = await world.stored({ parkedToken: 'AQCEAAAAKgAAAAMAAAAA+token==' });
    const throttled = Object.create(world.workflow);
    throttled.wake = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    const buffer = new RecordingSignals();
    const deps = { ...world.deps, workflow: throttled, signals: buffer };

    const first = await recordEvent(deps, SETTINGS, invoiceId, questionEvent);
    expect(first.changed).toBe(true);
    expect(first.record.pendingEvents.map((e) => e.type)).toEqual(['question']);
    expect(buffer.of('wake')).toEqual([{ type: 'wake', invoiceId, since: world.clock.now().toISOString() }]);
    expect(world.workflow.of('wake')).toEqual([]);

    // The consumer, once Step Functions accepts again: the token comes from the record, never from the message.
    expect(await deliverSignal(world.deps, SETTINGS, buffer.of('wake')[0]!)).toBe('woken');
    expect(world.workflow.of('wake')).toEqual([{ op: 'wake', taskToken: 'AQCEAAAAKgAAAAMAAAAA+token==', output: { woken: 'pending' } }]);
  });

  it('keeps the event on the record when even the start buffer refuses, and wakes the execution on the caller\'s retry', async () => {
    const { invoiceId } = await world.stored({ parkedToken: 'AQCEAAAAKgAAAAMAAAAA+token==' });
    let refusals = 1;
    const throttled = Object.create(world.workflow);
    throttled.wake = async (token: string, output: object) => {
      if (refusals-- > 0) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return world.workflow.wake(token, output);
    };
    const buffer = new RecordingSignals();
    buffer.refuse = 1;
    const deps = { ...world.deps, workflow: throttled, signals: buffer };

    const first = await recordEvent(deps, SETTINGS, invoiceId, questionEvent);
    expect(first.record.pendingEvents.map((e) => e.type)).toEqual(['question']);
    expect(world.workflow.of('wake')).toEqual([]);

    const retry = await recordEvent(deps, SETTINGS, invoiceId, questionEvent);
    expect(retry.changed).toBe(false);
    expect(world.workflow.of('wake')).toEqual([{ op: 'wake', taskToken: 'AQCEAAAAKgAAAAMAAAAA+token==', output: { woken: 'pending' } }]);
  });
});
