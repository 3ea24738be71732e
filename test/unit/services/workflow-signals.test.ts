/**
 * The start buffer's service (shared/services/workflow-signals.ts) against the real store on the emulator: what the
 * consumer does with each signal (start, schedule, wake, or let go of a start nobody wants any more), that a refused
 * start keeps its note, and that the reconciliation signals again exactly the notes it takes as lost — so that, however
 * the buffer and Step Functions refuse, every registered invoice ends up started and no note is left behind.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { startState } from '../../../shared/domain/billing';
import { initialState } from '../../../shared/domain/execution-state';
import type { InvoiceRecord } from '../../../shared/domain/invoice';
import type { RegisterInvoiceBody } from '../../../shared/domain/schemas';
import type { Dependencies, MetricName, PendingStart, Telemetry, Workflow, WorkflowSignal } from '../../../shared/ports';
import { registerInvoice } from '../../../shared/services/billing';
import { deliverSignal, RECONCILE_AFTER_MS, reconcileStarts, startSignal } from '../../../shared/services/workflow-signals';
import { registration } from '../../support/fixtures';
import { RecordingSignals, RecordingWorkflow } from '../../support/recording-ports';
import { SETTINGS, useServiceWorld } from '../../support/service-world';

const REGISTERED_AT = '2027-02-01T10:15:00.000Z';
const world = useServiceWorld('F-WS', REGISTERED_AT);
const TOKEN = 'AQCEAAAAKgAAAAMAAAAA+token==';
const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

let counter = 0;
const freshId = () => `F-WS-${String(++counter).padStart(4, '0')}`;

/** A record as the registration (or an execution) left it, under its own id and execution name. */
async function stored(overrides: Partial<InvoiceRecord> = {}): Promise<InvoiceRecord> {
  const invoiceId = overrides.invoiceId ?? freshId();
  const revision = overrides.revision ?? 1;
  return world.stored({ invoiceId, executionName: `${invoiceId}-r${revision}`, revision, ...overrides });
}

/** A stored record with its start noted, as a registration leaves it before the buffer's consumer runs. */
async function storedAndNoted(overrides: Partial<InvoiceRecord> = {}): Promise<InvoiceRecord> {
  const record = await stored(overrides);
  await world.store.putPendingStart({ invoiceId: record.invoiceId, executionName: record.executionName, requestedAt: world.clock.now().toISOString() });
  return record;
}

/** Every note the table holds (the whole table: tests clear it before they start). */
const allNotes = () => world.store.listPendingStarts(FAR_FUTURE, 10_000);
const notesOf = async (invoiceId: string) => (await allNotes()).filter((note) => note.invoiceId === invoiceId).map((note) => note.executionName);

const throttling = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

/** A Workflow whose start Step Functions refuses with throttling; anything else reaches the recording one. */
function throttledStarts(): Workflow {
  const throttled: Workflow = Object.create(world.workflow);
  throttled.start = async () => {
    throw throttling();
  };
  return throttled;
}

/** Telemetry that keeps what it is told. */
class TelemetrySpy implements Telemetry {
  readonly counts: MetricName[] = [];
  readonly infos: { message: string; facts?: Record<string, unknown> }[] = [];
  readonly errors: { message: string; facts?: Record<string, unknown> }[] = [];
  info(message: string, facts?: Record<string, unknown>): void {
    this.infos.push({ message, ...(facts ? { facts } : {}) });
  }
  error(message: string, facts?: Record<string, unknown>): void {
    this.errors.push({ message, ...(facts ? { facts } : {}) });
  }
  count(metric: MetricName): void {
    this.counts.push(metric);
  }
  measure(): void {}
}

const minutes = (n: number) => n * 60_000;
const at = (base: string, offsetMs: number) => new Date(Date.parse(base) + offsetMs).toISOString();

beforeEach(async () => {
  // One emulator for the file: each test starts with no note left by another.
  for (const note of await allNotes()) await world.store.deletePendingStart(note);
});

describe('deliverSignal: a start', () => {
  it('starts a freshly registered invoice under its name where its record was planned, measured from the delivery, and forgets the note', async () => {
    const buffer = new RecordingSignals();
    const { record } = await registerInvoice({ ...world.deps, signals: buffer }, SETTINGS, { ...structuredClone(registration), invoiceId: freshId() });
    expect(buffer.of('start')).toEqual([{ type: 'start', invoiceId: record.invoiceId, executionName: record.executionName, since: REGISTERED_AT }]);
    expect(await notesOf(record.invoiceId)).toEqual([record.executionName]);

    world.clock.set(at(REGISTERED_AT, 30_000));
    expect(await deliverSignal(world.deps, SETTINGS, buffer.of('start')[0]!)).toBe('started');

    const planned = await world.read(record.invoiceId);
    expect(world.workflow.calls).toEqual([{ op: 'start', executionName: record.executionName, input: startState(planned, world.clock.now()) }]);
    // The first wait counts from the start, not from the registration: 30 seconds less.
    const input = world.workflow.of('start')[0]!.input as ReturnType<typeof startState>;
    expect(input.wait?.until).toBe(planned.nextActionAt);
    expect(input.wait?.seconds).toBe(Math.ceil((Date.parse(planned.nextActionAt!) - Date.parse(REGISTERED_AT)) / 1000) - 30);
    expect(await notesOf(record.invoiceId)).toEqual([]);
  });

  it('starts a record that changed since it was planned (an event waits on it) from the plan step, not from the registration\'s plan', async () => {
    const record = await storedAndNoted({ pendingEvents: [{ seq: 1, type: 'due_date_changed', at: REGISTERED_AT }] });
    expect(await deliverSignal(world.deps, SETTINGS, startSignal(record))).toBe('started');
    expect(world.workflow.calls).toEqual([{ op: 'start', executionName: record.executionName, input: initialState(record.invoiceId, 1) }]);
    expect(await notesOf(record.invoiceId)).toEqual([]);
  });

  it.each(['paid', 'cancelled', 'handed_off'] as const)('starts nothing for an invoice %s before its start, and forgets the note', async (status) => {
    const record = await storedAndNoted({ status });
    expect(await deliverSignal(world.deps, SETTINGS, startSignal(record))).toBe('nothing');
    expect(world.workflow.calls).toEqual([]);
    expect(await notesOf(record.invoiceId)).toEqual([]);
  });

  it('starts nothing for an invoice not written (yet), keeps the note while its registration may be on its way, and forgets it an hour on', async () => {
    const invoiceId = freshId();
    await world.store.putPendingStart({ invoiceId, executionName: `${invoiceId}-r1`, requestedAt: REGISTERED_AT });
    expect(await deliverSignal(world.deps, SETTINGS, { type: 'start', invoiceId, executionName: `${invoiceId}-r1` })).toBe('nothing');
    expect(await notesOf(invoiceId)).toEqual([`${invoiceId}-r1`]);
    world.clock.set(at(REGISTERED_AT, minutes(61)));
    expect(await deliverSignal(world.deps, SETTINGS, { type: 'start', invoiceId, executionName: `${invoiceId}-r1` })).toBe('nothing');
    expect(world.workflow.calls).toEqual([]);
    expect(await notesOf(invoiceId)).toEqual([]);
  });

  it('starts nothing for a revision the record has moved past, forgets that revision\'s note and keeps the current one\'s', async () => {
    const record = await storedAndNoted({ revision: 2 });
    const superseded = `${record.invoiceId}-r1`;
    await world.store.putPendingStart({ invoiceId: record.invoiceId, executionName: superseded, requestedAt: REGISTERED_AT });

    expect(await deliverSignal(world.deps, SETTINGS, { type: 'start', invoiceId: record.invoiceId, executionName: superseded })).toBe('nothing');

    expect(world.workflow.calls).toEqual([]);
    expect(await notesOf(record.invoiceId)).toEqual([record.executionName]);
  });

  it('schedules the deferred start of a record whose start lies in the future instead of starting it, and forgets the note', async () => {
    const record = await storedAndNoted({ scheduledStartAt: '2027-12-14T00:00:00.000Z' });
    world.workflow.executionStatus = undefined; // never started
    world.workflow.scheduleFired = true; // no schedule to move: none was made yet
    expect(await deliverSignal(world.deps, SETTINGS, startSignal(record))).toBe('scheduled');
    const input = initialState(record.invoiceId, 1);
    expect(world.workflow.calls).toEqual([
      { op: 'rescheduleStart', executionName: record.executionName, at: '2027-12-14T00:00:00.000Z', input },
      { op: 'scheduleStart', executionName: record.executionName, at: '2027-12-14T00:00:00.000Z', input },
    ]);
    expect(await notesOf(record.invoiceId)).toEqual([]);
  });

  it('moves a schedule made from an older read of the record to the date the record holds now', async () => {
    const record = await storedAndNoted({ scheduledStartAt: '2027-12-20T00:00:00.000Z' });
    await world.workflow.scheduleStart(record.executionName, '2027-12-14T00:00:00.000Z', initialState(record.invoiceId, 1));
    world.workflow.reset();
    world.workflow.executionStatus = undefined;
    expect(await deliverSignal(world.deps, SETTINGS, startSignal(record))).toBe('nothing');
    expect(world.workflow.calls).toEqual([{ op: 'rescheduleStart', executionName: record.executionName, at: '2027-12-20T00:00:00.000Z', input: initialState(record.invoiceId, 1) }]);
    expect(await notesOf(record.invoiceId)).toEqual([]);
  });

  it('neither starts nor schedules a deferred start whose schedule fired already (the execution runs), and forgets the note', async () => {
    const record = await storedAndNoted({ scheduledStartAt: '2027-12-14T00:00:00.000Z' });
    world.workflow.executionStatus = 'RUNNING';
    expect(await deliverSignal(world.deps, SETTINGS, startSignal(record))).toBe('nothing');
    expect(world.workflow.calls).toEqual([]);
    expect(await notesOf(record.invoiceId)).toEqual([]);
  });

  it('calls Step Functions for nothing when the start was confirmed already (no note: a duplicate signal)', async () => {
    const record = await stored();
    expect(await deliverSignal(world.deps, SETTINGS, startSignal(record))).toBe('nothing');
    expect(world.workflow.calls).toEqual([]);
  });

  it('keeps the note of a newer revision whose record is not written yet, and forgets it once an hour has passed', async () => {
    const record = await stored();
    const ahead = { invoiceId: record.invoiceId, executionName: record.executionName.replace(/-r1$/, '-r2') };
    await world.store.putPendingStart({ ...ahead, requestedAt: world.clock.now().toISOString() });
    expect(await deliverSignal(world.deps, SETTINGS, { type: 'start', ...ahead })).toBe('nothing');
    expect(await notesOf(record.invoiceId)).toEqual([ahead.executionName]);
    world.clock.set(at(world.clock.now().toISOString(), minutes(61)));
    expect(await deliverSignal(world.deps, SETTINGS, { type: 'start', ...ahead })).toBe('nothing');
    expect(await notesOf(record.invoiceId)).toEqual([]);
    expect(world.workflow.calls).toEqual([]);
  });

  it('never forgets a note written again after the consumer read it (a restart noting the same start anew)', async () => {
    const record = await storedAndNoted({ status: 'paid' });
    const reading = Object.create(world.store);
    reading.getInvoice = async (id: string) => {
      const current = await world.store.getInvoice(id);
      await world.store.putPendingStart({ invoiceId: record.invoiceId, executionName: record.executionName, requestedAt: '2099-01-01T00:00:00.000Z' });
      return current;
    };
    expect(await deliverSignal({ ...world.deps, store: reading }, SETTINGS, startSignal(record))).toBe('nothing');
    expect(await world.store.getPendingStart(record.invoiceId, record.executionName)).toMatchObject({ requestedAt: '2099-01-01T00:00:00.000Z' });
  });

  it('starts a deferred start whose time has come rather than scheduling it in the past', async () => {
    const record = await storedAndNoted({ scheduledStartAt: at(REGISTERED_AT, -1000) });
    expect(await deliverSignal(world.deps, SETTINGS, startSignal(record))).toBe('started');
    expect(world.workflow.of('start').map((call) => call.executionName)).toEqual([record.executionName]);
    expect(world.workflow.of('scheduleStart')).toEqual([]);
  });

  it('rethrows Step Functions\' throttling and keeps the note, so the start is made later', async () => {
    const record = await storedAndNoted();
    const error = await deliverSignal({ ...world.deps, workflow: throttledStarts() }, SETTINGS, startSignal(record)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ThrottlingException' });
    expect(await notesOf(record.invoiceId)).toEqual([record.executionName]);
    expect(await world.read(record.invoiceId)).toEqual(record);
  });

  it('builds a payment notice from the payment as the timeline holds it, whatever the invoice\'s status, and starts it once', async () => {
    const payment = { type: 'payment' as const, at: REGISTERED_AT, eventId: 'p1', reference: 'VIR-2027-991', amount: { value: 5000, currency: 'EUR' }, paidAt: '2027-02-01', receivedAfter: 'after_payment' };
    // Recorded as every payment is: its reference on the record, its entry on the timeline.
    const record = await stored({ status: 'paid', paymentReferences: ['VIR-2027-991'] });
    await world.store.appendTimeline(record.invoiceId, [payment]);
    const signal: WorkflowSignal = { type: 'payment_notice', invoiceId: record.invoiceId, reference: 'VIR-2027-991' };
    expect(await deliverSignal(world.deps, SETTINGS, signal)).toBe('started');
    expect(await deliverSignal(world.deps, SETTINGS, signal)).toBe('nothing');
    const [start] = world.workflow.of('start');
    expect(start!.executionName).toMatch(new RegExp(`^${record.invoiceId}-payment-[0-9a-f]{10}$`));
    expect(start!.input).toMatchObject({ next: 'payment_notice', event: { type: 'payment', detail: { reference: 'VIR-2027-991', amount: '5000', currency: 'EUR', receivedAfter: 'after_payment' } } });
    // A reference the timeline does not hold (a forged signal) starts nothing.
    expect(await deliverSignal(world.deps, SETTINGS, { ...signal, reference: 'FORGED' })).toBe('nothing');
  });
});

describe('deliverSignal: a wake-up', () => {
  const wake = (record: InvoiceRecord): WorkflowSignal => ({ type: 'wake', invoiceId: record.invoiceId });

  it('wakes the parked execution of a record an event waits on, with the token read from the record', async () => {
    const record = await stored({ parkedToken: TOKEN, pendingEvents: [{ seq: 1, type: 'payment', at: REGISTERED_AT }] });
    expect(await deliverSignal(world.deps, SETTINGS, wake(record))).toBe('woken');
    expect(world.workflow.calls).toEqual([{ op: 'wake', taskToken: TOKEN, output: { woken: 'pending' } }]);
  });

  it('ends the parked execution of an invoice that closed straight into its ending', async () => {
    const record = await stored({ parkedToken: TOKEN, status: 'cancelled' });
    expect(await deliverSignal(world.deps, SETTINGS, wake(record))).toBe('woken');
    expect(world.workflow.calls).toEqual([{ op: 'end', taskToken: TOKEN, ending: 'cancelled' }]);
  });

  it('wakes the parked execution of a record whose wake-up time has come', async () => {
    const record = await stored({ parkedToken: TOKEN, nextActionAt: at(REGISTERED_AT, -1000) });
    expect(await deliverSignal(world.deps, SETTINGS, wake(record))).toBe('woken');
    expect(world.workflow.of('wake').map((call) => call.taskToken)).toEqual([TOKEN]);
  });

  it('leaves a parked execution alone when nothing waits on its record and its time has not come', async () => {
    const record = await stored({ parkedToken: TOKEN, nextActionAt: '2027-03-19T08:00:00.000Z' });
    expect(await deliverSignal(world.deps, SETTINGS, wake(record))).toBe('nothing');
    expect(world.workflow.calls).toEqual([]);
  });

  it('does nothing when no execution is parked, even with an event waiting (the park finds it before it parks)', async () => {
    const record = await stored({ pendingEvents: [{ seq: 1, type: 'payment', at: REGISTERED_AT }] });
    expect(await deliverSignal(world.deps, SETTINGS, wake(record))).toBe('nothing');
    expect(await deliverSignal(world.deps, SETTINGS, { type: 'wake', invoiceId: freshId() })).toBe('nothing');
    expect(world.workflow.calls).toEqual([]);
  });

  it('says nothing was woken when the token is gone (the wait ended meanwhile)', async () => {
    const record = await stored({ parkedToken: TOKEN, pendingEvents: [{ seq: 1, type: 'payment', at: REGISTERED_AT }] });
    const gone: Workflow = Object.create(world.workflow);
    gone.wake = async () => false;
    expect(await deliverSignal({ ...world.deps, workflow: gone }, SETTINGS, wake(record))).toBe('nothing');
  });
});

describe('reconcileStarts', () => {
  it('signals again exactly the notes older than an hour, marks them signalled, and leaves recent ones to the buffer', async () => {
    const now = '2027-02-01T12:00:00.000Z';
    world.clock.set(now);
    const ages = { stale1: minutes(61), stale2: minutes(60 * 24), recent1: minutes(59), recent2: 0 };
    const notes: Record<string, PendingStart> = {};
    for (const [label, age] of Object.entries(ages)) {
      const invoiceId = freshId();
      notes[label] = { invoiceId, executionName: `${invoiceId}-r1`, requestedAt: at(now, -age) };
      await world.store.putPendingStart(notes[label]);
    }
    const buffer = new RecordingSignals();
    const telemetry = new TelemetrySpy();

    expect(RECONCILE_AFTER_MS).toBe(minutes(60));
    expect(await reconcileStarts({ ...world.deps, signals: buffer, telemetry })).toBe(2);

    // The oldest first, flagged: the consumer counts them (StartsReconciled) if it does start something.
    expect(buffer.of('start')).toEqual(
      [notes.stale2!, notes.stale1!].map(({ invoiceId, executionName, requestedAt }) => ({ type: 'start', invoiceId, executionName, reconciled: true, since: requestedAt })),
    );
    expect(telemetry.infos).toEqual([{ message: 'starts signalled again', facts: { count: 2, oldest: notes.stale2!.requestedAt } }]);
    // Signalled again, not forgotten: the notes go once the consumer has started the executions. Marked signalled
    // now, so that the next runs leave them alone for another hour rather than multiply their signals.
    expect((await allNotes()).length).toBe(4);
    expect(await reconcileStarts({ ...world.deps, signals: buffer, telemetry })).toBe(0);
    world.clock.set(at(now, minutes(61)));
    expect(await reconcileStarts({ ...world.deps, signals: buffer, telemetry })).toBe(4);
  });

  it('is counted (StartsReconciled) by the consumer only when a reconciled signal does start an execution', async () => {
    const telemetry = new TelemetrySpy();
    const started = await storedAndNoted();
    await world.store.putPendingStart({ invoiceId: started.invoiceId, executionName: started.executionName, requestedAt: REGISTERED_AT });
    expect(await deliverSignal({ ...world.deps, telemetry }, SETTINGS, { ...startSignal(started), reconciled: true })).toBe('started');
    // A leftover note of an execution that exists: signalled again, started nothing, counted nothing.
    await world.store.putPendingStart({ invoiceId: started.invoiceId, executionName: started.executionName, requestedAt: REGISTERED_AT });
    expect(await deliverSignal({ ...world.deps, telemetry }, SETTINGS, { ...startSignal(started), reconciled: true })).toBe('nothing');
    expect(telemetry.counts).toEqual(['StartsReconciled']);
  });

  it('signals nothing and counts nothing while every note is younger than an hour', async () => {
    world.clock.set('2027-02-01T12:00:00.000Z');
    for (const age of [0, minutes(10), minutes(59)]) {
      const invoiceId = freshId();
      await world.store.putPendingStart({ invoiceId, executionName: `${invoiceId}-r1`, requestedAt: at('2027-02-01T12:00:00.000Z', -age) });
    }
    const buffer = new RecordingSignals();
    const telemetry = new TelemetrySpy();
    expect(await reconcileStarts({ ...world.deps, signals: buffer, telemetry })).toBe(0);
    expect(buffer.sent).toEqual([]);
    expect(telemetry.counts).toEqual([]);
  });

  it('fails when the buffer refuses, keeping every note for the next run', async () => {
    const invoiceId = freshId();
    await world.store.putPendingStart({ invoiceId, executionName: `${invoiceId}-r1`, requestedAt: at(REGISTERED_AT, -minutes(120)) });
    const buffer = new RecordingSignals();
    buffer.refuse = 1;
    await expect(reconcileStarts({ ...world.deps, signals: buffer })).rejects.toMatchObject({ name: 'ServiceUnavailable' });
    expect(await notesOf(invoiceId)).toEqual([`${invoiceId}-r1`]);
    expect(await reconcileStarts({ ...world.deps, signals: buffer })).toBe(1);
  });
});

describe('the start buffer, whatever refuses and when (property)', () => {
  type Step =
    | { kind: 'register'; deferred: boolean; bufferRefuses: boolean }
    | { kind: 'retryRegistration'; pick: number; bufferRefuses: boolean }
    | { kind: 'deliver'; count: number; throttles: boolean[] }
    | { kind: 'deadLetter' }
    | { kind: 'reconcile'; advanceMinutes: number; bufferRefuses: boolean };

  const step: fc.Arbitrary<Step> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('register' as const), deferred: fc.boolean(), bufferRefuses: fc.boolean() }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('retryRegistration' as const), pick: fc.nat(), bufferRefuses: fc.boolean() }), weight: 1 },
    {
      arbitrary: fc.record({ kind: fc.constant('deliver' as const), count: fc.integer({ min: 1, max: 4 }), throttles: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }) }),
      weight: 4,
    },
    { arbitrary: fc.record({ kind: fc.constant('deadLetter' as const) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('reconcile' as const), advanceMinutes: fc.integer({ min: 0, max: 90 }), bufferRefuses: fc.boolean() }), weight: 2 },
  );

  it('starts (or schedules) every registered invoice at least once and leaves no note once the buffer has drained', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        for (const note of await allNotes()) await world.store.deletePendingStart(note);
        world.clock.set(REGISTERED_AT);
        const recording = new RecordingWorkflow();
        // Nothing runs and no schedule exists until the consumer makes them.
        recording.executionStatus = undefined;
        recording.scheduleFired = true;
        let throttleNext = false;
        // Step Functions, refusing the next start when told to.
        const workflow: Workflow = Object.create(recording);
        workflow.start = async (name, input) => {
          if (throttleNext) throw throttling();
          return recording.start(name, input);
        };
        // The queue: what the buffer holds, in order.
        const queue: WorkflowSignal[] = [];
        const buffer = new RecordingSignals();
        const signals = {
          refuseNext: false,
          async send(batch: WorkflowSignal[]) {
            if (this.refuseNext) buffer.refuse = 1;
            this.refuseNext = false;
            await buffer.send(batch);
            queue.push(...batch);
          },
        };
        const deps: Dependencies = { ...world.deps, workflow, signals };
        const registered: { body: RegisterInvoiceBody; record: InvoiceRecord }[] = [];

        const deliverOne = async (signal: WorkflowSignal, throttled: boolean) => {
          throttleNext = throttled;
          try {
            await deliverSignal(deps, SETTINGS, signal);
          } catch (error) {
            expect(error).toMatchObject({ name: 'ThrottlingException' });
            // The consumer hands a throttled signal back to the buffer (signal-workflow).
            queue.push({ ...signal, attempt: (signal.attempt ?? 0) + 1 });
          } finally {
            throttleNext = false;
          }
        };

        for (const s of steps) {
          if (s.kind === 'register') {
            const body = { ...structuredClone(registration), invoiceId: freshId(), ...(s.deferred ? { issueDate: '2028-02-01', dueDate: '2028-03-31' } : {}) };
            signals.refuseNext = s.bufferRefuses;
            const { record } = await registerInvoice(deps, SETTINGS, body);
            expect(Boolean(record.scheduledStartAt)).toBe(s.deferred);
            registered.push({ body, record });
          } else if (s.kind === 'retryRegistration') {
            if (registered.length === 0) continue;
            signals.refuseNext = s.bufferRefuses;
            const { created } = await registerInvoice(deps, SETTINGS, structuredClone(registered[s.pick % registered.length]!.body));
            expect(created).toBe(false);
          } else if (s.kind === 'deliver') {
            for (const throttled of s.throttles.slice(0, s.count)) {
              const signal = queue.shift();
              if (signal) await deliverOne(signal, throttled);
            }
          } else if (s.kind === 'deadLetter') {
            queue.shift(); // A message that used up its deliveries: only its note remembers it.
          } else {
            world.clock.set(at(world.clock.now().toISOString(), minutes(s.advanceMinutes)));
            signals.refuseNext = s.bufferRefuses;
            await reconcileStarts(deps).catch((error: unknown) => expect(error).toMatchObject({ name: 'ServiceUnavailable' }));
          }
          // A refusal meant for a step that sent nothing is not carried over to the next one.
          signals.refuseNext = false;
        }

        // The drain: more than an hour later, one reconciliation, then the buffer delivered with Step Functions willing.
        world.clock.set(at(world.clock.now().toISOString(), RECONCILE_AFTER_MS + minutes(1)));
        await reconcileStarts(deps);
        while (queue.length > 0) await deliverOne(queue.shift()!, false);

        for (const { record } of registered) {
          const made = recording.calls.filter((call) => (call.op === 'start' || call.op === 'scheduleStart') && call.executionName === record.executionName);
          expect(made.length, `${record.executionName} never started`).toBeGreaterThanOrEqual(1);
          expect(made.every((call) => call.op === (record.scheduledStartAt ? 'scheduleStart' : 'start')), record.executionName).toBe(true);
        }
        expect(await allNotes()).toEqual([]);
      }),
      { numRuns: 15, seed: Number(process.env.PROPERTY_SEED ?? 20270201) },
    );
  });
});
