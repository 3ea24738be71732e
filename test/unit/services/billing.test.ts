/**
 * The billing operations (shared/services/billing.ts, with the pure changes of shared/domain/billing.ts) against a real DynamoDB emulator through the real store adapter, so
 * conditional writes, races and replays behave as they do in production. The Workflow port is a recording fake:
 * what is under test is what the operations write and whom they wake, not Step Functions.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbInvoiceStore } from '../../../shared/adapters/dynamodb-store';
import {
  attachDocument,
  cancelInvoice,
  recordCallOutcome,
  recordCustomerAnswer,
  recordPayment,
  registerInvoice,
  resolveDispute,
  restartExecution,
  updateInvoice,
  type BillingSettings,
} from '../../../shared/services/billing';
import { DEFAULT_CALENDAR } from '../../../shared/domain/calendar';
import { ConflictError, DomainError, ValidationError } from '../../../shared/domain/errors';
import { initialState, paymentNoticeExecution } from '../../../shared/domain/execution-state';
import type { InvoiceRecord } from '../../../shared/domain/invoice';
import { DEFAULT_POLICY } from '../../../shared/domain/policy';
import type { Dependencies } from '../../../shared/ports';
import { mutateInvoice } from '../../../shared/services/record-updates';
import type { RegisterInvoiceBody } from '../../../shared/domain/schemas';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { registration } from '../../support/fixtures';
import { FixedClock, InlineSignals, MemoryDocuments, RecordingSignals, RecordingWorkflow, refusingMailer } from '../../support/recording-ports';
import { deliverSignal } from '../../../shared/services/workflow-signals';

const REGISTERED_AT = '2027-02-01T10:15:00.000Z';
const settings: BillingSettings = { calendar: DEFAULT_CALENDAR, policy: DEFAULT_POLICY, executionHorizonDays: 240 };
const CONTACT = registration.customer.contacts[0].email;

let dynamo: LocalDynamo;
let store: DynamoDbInvoiceStore;
let workflow: RecordingWorkflow;
let signals: InlineSignals;
let clock: FixedClock;
let deps: Dependencies;
let counter = 0;

/** Each test registers its own invoice ids, so tests share one emulator without seeing each other's items. */
const freshId = () => `F-2027-B${String(++counter).padStart(4, '0')}`;
const body = (overrides: Partial<RegisterInvoiceBody> = {}): RegisterInvoiceBody => ({
  ...structuredClone(registration),
  invoiceId: freshId(),
  ...overrides,
});

beforeAll(async () => {
  dynamo = await startDynalite();
  store = new DynamoDbInvoiceStore(dynamo.client, dynamo.tableName);
});

afterAll(async () => {
  await dynamo?.stop();
});

beforeEach(() => {
  workflow = new RecordingWorkflow();
  signals = new InlineSignals(() => deps);
  clock = new FixedClock(REGISTERED_AT);
  documents = new MemoryDocuments();
  deps = { store, workflow, signals, clock, mailer: refusingMailer, documents };
});


let documents: MemoryDocuments;

/** Registers a fresh invoice (due 2027-03-31) and forgets the registration's workflow calls. */
async function registered(overrides: Partial<RegisterInvoiceBody> = {}): Promise<string> {
  const { record } = await registerInvoice(deps, settings, body(overrides));
  workflow.reset();
  return record.invoiceId;
}

/** Puts the record in a given situation, as the execution would have. */
async function arrange(invoiceId: string, update: (record: InvoiceRecord) => Partial<InvoiceRecord>): Promise<void> {
  await mutateInvoice(deps, invoiceId, (record) => ({ record: { ...record, ...update(record) } }));
}

const parked = (invoiceId: string, taskToken = 'AQCEAAAAKgAAAAMAAAAA+task/token==') => arrange(invoiceId, () => ({ parkedToken: taskToken }));

async function stored(invoiceId: string): Promise<InvoiceRecord> {
  const record = await store.getInvoice(invoiceId);
  if (!record) throw new Error(`no record ${invoiceId}`);
  return record;
}

const timelineTypes = async (invoiceId: string) => (await store.listTimeline(invoiceId)).map((entry) => entry.type);

/**
 * Runs an operation that must be refused with a 4xx, and checks that it changed nothing: the same record (same
 * version), the same timeline, no call to the execution.
 */
async function expectRefusedUnchanged(invoiceId: string, operation: () => Promise<unknown>, status: number, code?: string) {
  const before = await stored(invoiceId);
  const timelineBefore = await store.listTimeline(invoiceId);
  const callsBefore = workflow.calls.length;
  const error = await operation().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).status).toBe(status);
  if (code) expect((error as DomainError).code).toBe(code);
  expect(await stored(invoiceId)).toEqual(before);
  expect(await store.listTimeline(invoiceId)).toEqual(timelineBefore);
  expect(workflow.calls.length).toBe(callsBefore);
  return error as DomainError;
}

/** The same object with its keys in reverse order, at every level. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)])) as T;
  }
  return value;
}

describe('registerInvoice', () => {
  it('creates the record, plans the pre-reminder and starts the execution once under its name', async () => {
    const request = body();
    const { created, record } = await registerInvoice(deps, settings, request);

    expect(created).toBe(true);
    expect(record).toMatchObject({
      invoiceId: request.invoiceId,
      status: 'scheduled',
      phase: 'before_pre_reminder',
      // Ten days before Wednesday 31 March is a Sunday: Friday 19 March, 09:00 Paris.
      preReminderAt: '2027-03-19T08:00:00.000Z',
      executionName: `${request.invoiceId}-r1`,
      outstanding: request.amount,
      version: 1,
    });
    expect(await stored(request.invoiceId)).toEqual(record);
    // Started already planned: straight to its first wait, until the pre-reminder time.
    const seconds = (Date.parse('2027-03-19T08:00:00.000Z') - Date.parse(REGISTERED_AT)) / 1000;
    expect(workflow.calls).toEqual([
      {
        op: 'start',
        executionName: `${request.invoiceId}-r1`,
        input: { ...initialState(request.invoiceId, 1), next: 'wait', wait: { until: '2027-03-19T08:00:00.000Z', seconds } },
      },
    ]);
    expect(await timelineTypes(request.invoiceId)).toEqual(['registered', 'execution_started']);
  });

  it('answers the same body again, keys in another order, with the same record and restarts harmlessly', async () => {
    const request = body();
    const first = await registerInvoice(deps, settings, request);
    const again = await registerInvoice(deps, settings, reversedKeys(request));

    expect(again.created).toBe(false);
    expect(again.record).toEqual(first.record);
    expect(await stored(request.invoiceId)).toEqual(first.record);
    // The second start is the safety net for a first attempt that died before starting; the name makes it harmless.
    expect(workflow.of('start').map((call) => call.executionName)).toEqual([first.record.executionName, first.record.executionName]);
    expect(await timelineTypes(request.invoiceId)).toEqual(['registered', 'execution_started']);
  });

  it('refuses another body under the same id with 409 and changes nothing', async () => {
    const request = body();
    await registerInvoice(deps, settings, request);
    workflow.reset();
    const error = await expectRefusedUnchanged(
      request.invoiceId,
      () => registerInvoice(deps, settings, { ...request, amount: { value: 99_900, currency: 'EUR' } }),
      409,
      'invoice_exists',
    );
    expect(error).toBeInstanceOf(ConflictError);
  });

  it('keeps exactly one record when ten identical registrations race, and answers them all alike', async () => {
    const request = body();
    const results = await Promise.all(Array.from({ length: 10 }, () => registerInvoice(deps, settings, structuredClone(request))));

    expect(results.filter((r) => r.created)).toHaveLength(1);
    const record = await stored(request.invoiceId);
    expect(record.version).toBe(1);
    for (const result of results) expect(result.record).toEqual(record);
    expect((await timelineTypes(request.invoiceId)).filter((type) => type === 'registered')).toHaveLength(1);
    expect(new Set(workflow.of('start').map((call) => call.executionName))).toEqual(new Set([record.executionName]));
  });

  it('warns on the record when the payment term exceeds 60 days', async () => {
    const { record } = await registerInvoice(deps, settings, body({ issueDate: '2027-01-01', dueDate: '2027-04-01' }));
    expect(record.warnings).toEqual([expect.stringContaining('90 days')]);
    expect((await stored(record.invoiceId)).warnings).toEqual(record.warnings);
  });

  it('schedules the start instead of starting when the pre-reminder lies beyond the execution horizon', async () => {
    const request = body({ issueDate: '2027-12-15', dueDate: '2028-01-31' });
    const { record } = await registerInvoice(deps, settings, request);

    expect(record.preReminderAt).toBe('2028-01-21T08:00:00.000Z');
    // A week before the pre-reminder, so the wait inside the execution stays short.
    const startAt = Date.parse('2028-01-14T00:00:00Z');
    expect(Date.parse(record.scheduledStartAt!)).toBe(startAt);
    expect(workflow.of('scheduleStart')).toEqual([
      { op: 'scheduleStart', executionName: record.executionName, at: record.scheduledStartAt, input: initialState(request.invoiceId, 1) },
    ]);
    expect(workflow.of('start')).toEqual([]);
    expect(await timelineTypes(request.invoiceId)).toEqual(['registered', 'start_scheduled']);
  });

  it('moves a scheduled start earlier with the due date, so the new pre-reminder is not missed', async () => {
    const request = body({ issueDate: '2027-12-15', dueDate: '2028-03-31' });
    await registerInvoice(deps, settings, request);
    workflow.reset();

    const { record } = await updateInvoice(deps, settings, request.invoiceId, { dueDate: '2027-12-31' });

    // 2027-12-21 is still beyond the 240-day horizon from 2027-02-01: the start moves to a week before it.
    expect(record.preReminderAt).toBe('2027-12-21T08:00:00.000Z');
    expect(record.scheduledStartAt).toBe('2027-12-14T00:00:00.000Z');
    expect(workflow.calls).toEqual([
      { op: 'rescheduleStart', executionName: record.executionName, at: record.scheduledStartAt, input: initialState(request.invoiceId, 1) },
    ]);
  });

  it('starts at once when a moved due date brings the pre-reminder within the horizon', async () => {
    const request = body({ issueDate: '2027-02-01', dueDate: '2028-03-31' });
    await registerInvoice(deps, settings, request);
    workflow.reset();

    const { record } = await updateInvoice(deps, settings, request.invoiceId, { dueDate: '2027-05-31' });

    expect(record.scheduledStartAt).toBeUndefined();
    expect(workflow.calls).toEqual([{ op: 'start', executionName: record.executionName, input: initialState(request.invoiceId, 1) }]);
  });

  it('starts and schedules nothing more when the schedule to move has fired already: the running execution takes the new date', async () => {
    const request = body({ issueDate: '2027-12-15', dueDate: '2028-03-31' });
    await registerInvoice(deps, settings, request);
    workflow.reset();
    workflow.scheduleFired = true;
    workflow.executionStatus = 'RUNNING';

    await updateInvoice(deps, settings, request.invoiceId, { dueDate: '2028-02-29' });

    expect(workflow.of('rescheduleStart')).toHaveLength(1);
    expect(workflow.of('start')).toEqual([]);
    expect(workflow.of('scheduleStart')).toEqual([]);
  });

  it('schedules the start at the new date when the due date changes before the buffer made the first schedule', async () => {
    const request = body({ issueDate: '2027-12-15', dueDate: '2028-03-31' });
    const buffered = new RecordingSignals();
    // The registration's start signal waits in the buffer: no schedule exists yet.
    const { record: first } = await registerInvoice({ ...deps, signals: buffered }, settings, request);
    const { record } = await updateInvoice(deps, settings, request.invoiceId, { dueDate: '2028-02-29' });
    expect(record.scheduledStartAt).not.toBe(first.scheduledStartAt);

    // Now the buffered signal arrives too: one schedule, at the new date, and no start.
    await deliverSignal(deps, settings, buffered.of('start')[0]!);
    expect(workflow.of('scheduleStart')).toEqual([{ op: 'scheduleStart', executionName: record.executionName, at: record.scheduledStartAt, input: initialState(request.invoiceId, 1) }]);
    expect(workflow.of('start')).toEqual([]);
  });
});

describe('recordPayment', () => {
  it('reduces the outstanding amount on a partial payment without waking the execution', async () => {
    const id = await registered();
    await parked(id);
    const { record } = await recordPayment(deps, settings, id, { amount: { value: 23_456, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-001' });

    expect(record).toMatchObject({ status: 'scheduled', partiallyPaid: true, outstanding: { value: 100_000, currency: 'EUR' }, pendingEvents: [] });
    expect(await stored(id)).toEqual(record);
    expect(workflow.of('wake')).toEqual([]);
    expect(await timelineTypes(id)).toContain('payment');
  });

  it('closes the invoice on a full payment, queues the event and ends the parked execution straight into Paid', async () => {
    const id = await registered();
    await parked(id, 'AQCEAAAAKgAAAAMAAAAA+full/payment==');
    clock.set('2027-03-25T14:00:00.000Z');
    const { record } = await recordPayment(deps, settings, id, { amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-03-25', reference: 'VIR-002' });

    expect(record).toMatchObject({ status: 'paid', phase: 'closed', partiallyPaid: false, outstanding: { value: 0, currency: 'EUR' } });
    expect(record.nextActionAt).toBeUndefined();
    expect(record.pendingEvents).toEqual([{ seq: 1, type: 'payment', at: '2027-03-25T14:00:00.000Z' }]);
    expect(workflow.calls).toEqual([{ op: 'end', taskToken: 'AQCEAAAAKgAAAAMAAAAA+full/payment==', ending: 'paid' }]);
  });

  it('leaves the payment event on the record for the next park when the execution is not parked', async () => {
    const id = await registered();
    const { record } = await recordPayment(deps, settings, id, { amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-003' });
    expect(record.pendingEvents.map((event) => event.type)).toEqual(['payment']);
    expect(workflow.calls).toEqual([]);
  });

  it('counts the same payment reference once', async () => {
    const id = await registered();
    const payment = { amount: { value: 23_456, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-004' };
    const first = await recordPayment(deps, settings, id, payment);
    const again = await recordPayment(deps, settings, id, payment);

    expect(again.changed).toBe(false);
    expect(await stored(id)).toEqual(first.record);
    expect(first.record.outstanding.value).toBe(100_000);
    expect((await timelineTypes(id)).filter((type) => type === 'payment')).toHaveLength(1);
  });

  it('accepts a retried full payment on the invoice it already paid without a second event', async () => {
    const id = await registered();
    const payment = { amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-005' };
    const first = await recordPayment(deps, settings, id, payment);
    const again = await recordPayment(deps, settings, id, payment);
    expect({ record: again.record, changed: again.changed }).toEqual({ record: first.record, changed: false });
  });

  it('refuses a payment in another currency with a validation error and changes nothing', async () => {
    const id = await registered();
    const error = await expectRefusedUnchanged(
      id,
      () => recordPayment(deps, settings, id, { amount: { value: 123_456, currency: 'USD' }, paidAt: '2027-02-01', reference: 'WIRE-9' }),
      400,
      'validation_failed',
    );
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('records a payment on a cancelled invoice as money to give back, and starts the team\'s notice, the same one on a retry', async () => {
    const id = await registered();
    await cancelInvoice(deps, settings, id, 'credit note AV-2027-007');
    workflow.reset();
    const payment = { amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-006' };

    const { record } = await recordPayment(deps, settings, id, payment);
    await recordPayment(deps, settings, id, payment);

    expect(record).toMatchObject({ status: 'cancelled', outstanding: { value: 0, currency: 'EUR' }, creditBalance: { value: 123_456, currency: 'EUR' }, paymentReferences: ['VIR-006'] });
    expect(record.pendingEvents.map((e) => e.type)).toEqual(['cancelled']);
    const notice = paymentNoticeExecution(record, { reference: 'VIR-006', amount: '123456', currency: 'EUR', paidAt: '2027-02-01', receivedAfter: 'after_cancellation', overpaid: '123456' });
    expect(notice.name).toMatch(new RegExp(`^${id}-payment-[0-9a-f]{10}$`));
    expect(workflow.calls).toEqual([
      { op: 'start', executionName: notice.name, input: notice.input },
      { op: 'start', executionName: notice.name, input: notice.input },
    ]);
    const entries = await store.listTimeline(id);
    expect(entries.filter((e) => e.type === 'payment')).toEqual([
      expect.objectContaining({ reference: 'VIR-006', receivedAfter: 'after_cancellation', overpaid: { value: 123_456, currency: 'EUR' } }),
    ]);
  });

  it('records a payment after the hand-off: the invoice is paid, the hand-off stays, the notice says what it met', async () => {
    const id = await registered();
    await arrange(id, () => ({ status: 'handed_off', phase: 'closed', handedOffAt: '2027-05-17T07:00:00.000Z', nextActionAt: undefined }));
    clock.set('2027-05-20T10:00:00.000Z');
    workflow.reset();

    const { record } = await recordPayment(deps, settings, id, { amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-05-19', reference: 'VIR-LATE-1' });

    expect(record).toMatchObject({ status: 'paid', phase: 'closed', handedOffAt: '2027-05-17T07:00:00.000Z', outstanding: { value: 0, currency: 'EUR' } });
    expect(record.creditBalance).toBeUndefined();
    expect(record.pendingEvents).toEqual([]);
    expect(workflow.of('start').map((call) => (call.input as { event: unknown }).event)).toEqual([
      { type: 'payment', seq: 0, detail: { reference: 'VIR-LATE-1', amount: '123456', currency: 'EUR', paidAt: '2027-05-19', receivedAfter: 'after_hand_off' } },
    ]);
  });

  it('records an overpayment on an open invoice: paid, the excess as a credit balance, the team\'s notice started', async () => {
    const id = await registered();
    await parked(id);
    const { record } = await recordPayment(deps, settings, id, { amount: { value: 999_999, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-BIG' });

    expect(record).toMatchObject({ status: 'paid', outstanding: { value: 0, currency: 'EUR' }, creditBalance: { value: 876_543, currency: 'EUR' } });
    expect(workflow.of('end')).toHaveLength(1);
    expect(workflow.of('start').map((call) => (call.input as { event: { detail: Record<string, string> } }).event.detail.overpaid)).toEqual(['876543']);
  });

  it('starts no notice for an ordinary payment', async () => {
    const id = await registered();
    await recordPayment(deps, settings, id, { amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-PLAIN' });
    expect(workflow.of('start')).toEqual([]);
  });

  it('records the payment even when its notice cannot be handed to the start buffer, answers an error, and sends it on the retry', async () => {
    const id = await registered();
    await cancelInvoice(deps, settings, id, 'mistake');
    workflow.reset();
    const buffer = new RecordingSignals();
    buffer.refuse = 1;
    const payment = { amount: { value: 5_000, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-NOTICE' };

    await expect(recordPayment({ ...deps, signals: buffer }, settings, id, payment)).rejects.toThrow('Service unavailable');
    expect((await stored(id)).creditBalance).toEqual({ value: 5_000, currency: 'EUR' });
    await recordPayment({ ...deps, signals: buffer }, settings, id, payment);
    expect(buffer.of('payment_notice')).toEqual([{ type: 'payment_notice', invoiceId: id, reference: 'VIR-NOTICE', since: expect.any(String) }]);
    expect((await stored(id)).creditBalance).toEqual({ value: 5_000, currency: 'EUR' });
  });

  it('refuses a payment dated in the future, to the day in Paris or beyond five minutes of clock skew, and changes nothing', async () => {
    const id = await registered();
    clock.set('2027-03-10T22:30:00.000Z'); // 23:30 in Paris: 2027-03-11 is tomorrow there for another half hour
    const refused = async (paidAt: string) => {
      const error = await expectRefusedUnchanged(id, () => recordPayment(deps, settings, id, { amount: { value: 1, currency: 'EUR' }, paidAt, reference: `R-${paidAt}` }), 400);
      expect(error.details).toEqual([{ path: 'paidAt', message: 'a payment cannot be dated in the future' }]);
    };
    await refused('2027-03-11');
    await refused('2027-03-10T22:36:00.000Z');
    await refused('2099-12-31');
    await recordPayment(deps, settings, id, { amount: { value: 1, currency: 'EUR' }, paidAt: '2027-03-10', reference: 'R-today' });
    await recordPayment(deps, settings, id, { amount: { value: 1, currency: 'EUR' }, paidAt: '2027-03-10T22:34:00Z', reference: 'R-skew' });
    expect((await stored(id)).paymentReferences).toEqual(['R-today', 'R-skew']);
  });

  it('counts each of twenty concurrent payments exactly once, none refused for the contention', async () => {
    const id = await registered();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => recordPayment(deps, settings, id, { amount: { value: 1_000, currency: 'EUR' }, paidAt: '2027-02-01', reference: `VIR-C${i}` })),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const record = await stored(id);
    expect(record.outstanding.value).toBe(123_456 - 20_000);
    expect(record.paymentReferences).toHaveLength(20);
    const payments = (await store.listTimeline(id)).filter((e) => e.type === 'payment');
    expect(new Set(payments.map((e) => e.reference)).size).toBe(20);
    expect(payments).toHaveLength(20);
  });

  it('answers 404 for an unknown invoice', async () => {
    const error = await recordPayment(deps, settings, 'F-UNKNOWN', { amount: { value: 1, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'X' }).catch((e: unknown) => e);
    expect((error as DomainError).status).toBe(404);
  });
});

describe('cancelInvoice', () => {
  it('cancels the invoice, queues the event and ends the parked execution straight into Cancelled', async () => {
    const id = await registered();
    await parked(id, 'token-cancel');
    const { record } = await cancelInvoice(deps, settings, id, 'credit note AV-2027-008');

    expect(record).toMatchObject({ status: 'cancelled', phase: 'closed' });
    expect(record.pendingEvents.map((event) => event.type)).toEqual(['cancelled']);
    expect(workflow.calls).toEqual([{ op: 'end', taskToken: 'token-cancel', ending: 'cancelled' }]);
    expect(await store.listTimeline(id)).toContainEqual(expect.objectContaining({ type: 'cancelled', reason: 'credit note AV-2027-008' }));
  });

  it('treats a second cancellation as already done', async () => {
    const id = await registered();
    const first = await cancelInvoice(deps, settings, id, 'mistake');
    const again = await cancelInvoice(deps, settings, id, 'mistake');
    expect({ record: again.record, changed: again.changed }).toEqual({ record: first.record, changed: false });
  });

  it('refuses to cancel a paid invoice with 409 and changes nothing', async () => {
    const id = await registered();
    await recordPayment(deps, settings, id, { amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-007' });
    await expectRefusedUnchanged(id, () => cancelInvoice(deps, settings, id, 'too late'), 409, 'invoice_closed');
  });
});

describe('updateInvoice', () => {
  it('moves the due date: an event for the execution and the pre-reminder planned again', async () => {
    const id = await registered();
    await parked(id, 'token-patch');
    const { record, changed } = await updateInvoice(deps, settings, id, { dueDate: '2027-04-30' });

    expect(changed).toBe(true);
    // Ten days before Friday 30 April: Tuesday 20 April, 09:00 Paris (summer time).
    expect(record).toMatchObject({ dueDate: '2027-04-30', preReminderAt: '2027-04-20T07:00:00.000Z' });
    expect(record.pendingEvents.map((event) => event.type)).toEqual(['due_date_changed']);
    expect(workflow.of('wake')).toEqual([{ op: 'wake', taskToken: 'token-patch', output: { woken: 'due_date_changed' } }]);
    expect(await store.listTimeline(id)).toContainEqual(expect.objectContaining({ type: 'due_date_changed', from: '2027-03-31', to: '2027-04-30' }));
  });

  it('changes the contacts alone without disturbing the execution', async () => {
    const id = await registered();
    const contacts = [{ name: 'Paul Martin', email: 'paul@boulangerie-martin.fr' }];
    const { record } = await updateInvoice(deps, settings, id, { contacts });

    expect(record.customer.contacts).toEqual(contacts);
    expect(record.pendingEvents).toEqual([]);
    expect(record.dueDate).toBe('2027-03-31');
    expect(workflow.of('wake')).toEqual([]);
    expect(await timelineTypes(id)).toContain('contacts_changed');
  });

  it('does nothing when the due date given is the current one', async () => {
    const id = await registered();
    const before = await stored(id);
    const { changed } = await updateInvoice(deps, settings, id, { dueDate: '2027-03-31' });
    expect(changed).toBe(false);
    expect(await stored(id)).toEqual(before);
  });

  it('refuses a due date before the issue date and changes nothing', async () => {
    const id = await registered();
    await expectRefusedUnchanged(id, () => updateInvoice(deps, settings, id, { dueDate: '2027-01-15' }), 400, 'validation_failed');
  });

  it('refuses to change a cancelled invoice with 409 and changes nothing', async () => {
    const id = await registered();
    await cancelInvoice(deps, settings, id, 'mistake');
    workflow.reset();
    await expectRefusedUnchanged(id, () => updateInvoice(deps, settings, id, { dueDate: '2027-04-30' }), 409, 'invoice_closed');
  });
});

describe('resolveDispute', () => {
  /** An invoice whose pre-reminder went out and which the customer disputed. */
  async function disputed(overrides: Partial<RegisterInvoiceBody> = {}): Promise<string> {
    const id = await registered(overrides);
    await arrange(id, (record) => ({ preReminderSentFor: record.dueDate, status: 'awaiting_reply', phase: 'awaiting_reply' }));
    clock.set('2027-03-22T10:00:00.000Z');
    await recordCustomerAnswer(deps, settings, id, CONTACT, { action: 'dispute', reason: 'wrong_amount', message: 'Le montant ne correspond pas au devis.' });
    workflow.reset();
    return id;
  }

  it('puts a rejected dispute back on track before the due date: awaiting the reply, with an event', async () => {
    const id = await disputed();
    clock.set('2027-03-25T10:00:00.000Z');
    const { record } = await resolveDispute(deps, settings, id, { outcome: 'rejected', note: 'Montant conforme au devis signé.' });

    expect(record.status).toBe('awaiting_reply');
    expect(record.dispute).toMatchObject({ status: 'resolved', outcome: 'rejected' });
    expect(record.pendingEvents.map((event) => event.type)).toEqual(['dispute', 'dispute_resolved']);
    expect(await store.listTimeline(id)).toContainEqual(expect.objectContaining({ type: 'dispute_resolved', outcome: 'rejected' }));
  });

  it('puts a rejected dispute straight on the ladder once the due date has passed', async () => {
    const id = await disputed();
    clock.set('2027-04-02T10:00:00.000Z');
    const { record } = await resolveDispute(deps, settings, id, { outcome: 'rejected' });
    expect(record.status).toBe('overdue');
    expect(record.pendingEvents.at(-1)?.type).toBe('dispute_resolved');
  });

  it('replaces the amount on a corrected amount, keeping what was paid already', async () => {
    const id = await disputed();
    await recordPayment(deps, settings, id, { amount: { value: 23_456, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-010' });
    const { record } = await resolveDispute(deps, settings, id, { outcome: 'corrected_amount', correctedAmount: { value: 110_000, currency: 'EUR' } });

    expect(record).toMatchObject({ status: 'awaiting_reply', amount: { value: 110_000, currency: 'EUR' }, outstanding: { value: 86_544, currency: 'EUR' } });
    expect(record.pendingEvents.at(-1)?.type).toBe('dispute_resolved');
  });

  it('closes the invoice as paid when the corrected amount is what was paid already', async () => {
    const id = await disputed();
    await recordPayment(deps, settings, id, { amount: { value: 100_000, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-011' });
    const { record } = await resolveDispute(deps, settings, id, { outcome: 'corrected_amount', correctedAmount: { value: 100_000, currency: 'EUR' } });
    expect(record).toMatchObject({ status: 'paid', phase: 'closed', outstanding: { value: 0, currency: 'EUR' } });
    expect(record.pendingEvents.at(-1)?.type).toBe('payment');
  });

  it('cancels the invoice on a credit note', async () => {
    const id = await disputed();
    await parked(id, 'token-dispute');
    const { record } = await resolveDispute(deps, settings, id, { outcome: 'credit_note', note: 'Avoir AV-2027-011' });

    expect(record).toMatchObject({ status: 'cancelled', phase: 'closed', dispute: { status: 'resolved', outcome: 'credit_note' } });
    expect(record.pendingEvents.at(-1)?.type).toBe('cancelled');
    expect(workflow.of('end')).toEqual([{ op: 'end', taskToken: 'token-dispute', ending: 'cancelled' }]);
    expect(await timelineTypes(id)).toEqual(expect.arrayContaining(['dispute_resolved', 'cancelled']));
  });

  it('refuses a corrected amount in another currency and changes nothing', async () => {
    const id = await disputed();
    await expectRefusedUnchanged(
      id,
      () => resolveDispute(deps, settings, id, { outcome: 'corrected_amount', correctedAmount: { value: 100_000, currency: 'USD' } }),
      400,
      'validation_failed',
    );
  });

  it('refuses to resolve when no dispute is open, with 409, and changes nothing', async () => {
    const id = await registered();
    await expectRefusedUnchanged(id, () => resolveDispute(deps, settings, id, { outcome: 'rejected' }), 409, 'no_open_dispute');
  });

  it('refuses to resolve the same dispute twice', async () => {
    const id = await disputed();
    await resolveDispute(deps, settings, id, { outcome: 'rejected' });
    workflow.reset();
    await expectRefusedUnchanged(id, () => resolveDispute(deps, settings, id, { outcome: 'rejected' }), 409, 'no_open_dispute');
  });
});

describe('recordCallOutcome', () => {
  it('turns a promise made on the phone into a promise the execution waits for', async () => {
    const id = await registered();
    clock.set('2027-04-09T09:30:00.000Z');
    const { record } = await recordCallOutcome(deps, settings, id, { outcome: 'promised', promisedDate: '2027-04-15', paymentMethod: 'transfer', note: 'Mme Martin, virement jeudi' });

    expect(record.status).toBe('promised');
    expect(record.promise).toEqual({ date: '2027-04-15', method: 'transfer', afterDueDate: true, at: '2027-04-09T09:30:00.000Z', source: 'call' });
    expect(record.pendingEvents.map((event) => event.type)).toEqual(['promise']);
    expect(await timelineTypes(id)).toEqual(expect.arrayContaining(['call_outcome', 'promise']));
  });

  it('opens a dispute from a call, with the collector note as its message', async () => {
    const id = await registered();
    const { record } = await recordCallOutcome(deps, settings, id, { outcome: 'disputed', note: 'Livraison incomplète selon le client' });
    expect(record.status).toBe('disputed');
    expect(record.dispute).toMatchObject({ reason: 'call', message: 'Livraison incomplète selon le client', status: 'open' });
    expect(record.pendingEvents.map((event) => event.type)).toEqual(['dispute']);
  });

  it('only notes an unanswered call on the timeline', async () => {
    const id = await registered();
    await parked(id, 'token-call');
    const before = await stored(id);
    const { record } = await recordCallOutcome(deps, settings, id, { outcome: 'no_answer' });
    expect(record).toMatchObject({ status: before.status, pendingEvents: [] });
    expect(workflow.calls).toEqual([]);
    expect(await store.listTimeline(id)).toContainEqual(expect.objectContaining({ type: 'call_outcome', outcome: 'no_answer' }));
  });

  it('refuses a call outcome on a paid invoice with 409 and changes nothing', async () => {
    const id = await registered();
    await recordPayment(deps, settings, id, { amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-012' });
    await expectRefusedUnchanged(id, () => recordCallOutcome(deps, settings, id, { outcome: 'no_answer' }), 409, 'invoice_closed');
  });
});

describe('recordCustomerAnswer', () => {
  it('accepts a promise for a date after the due date and flags it', async () => {
    const id = await registered();
    await parked(id, 'token-answer');
    clock.set('2027-03-22T10:00:00.000Z');
    const { record } = await recordCustomerAnswer(deps, settings, id, CONTACT, { action: 'promise', promisedDate: '2027-04-10', paymentMethod: 'transfer' });

    expect(record.status).toBe('promised');
    expect(record.promise).toMatchObject({ date: '2027-04-10', method: 'transfer', afterDueDate: true, source: 'customer' });
    expect(record.pendingEvents.map((event) => event.type)).toEqual(['promise']);
    expect(workflow.of('wake')).toEqual([{ op: 'wake', taskToken: 'token-answer', output: { woken: 'promise' } }]);
    expect(await store.listTimeline(id)).toContainEqual(expect.objectContaining({ type: 'promise', promisedDate: '2027-04-10', afterDueDate: true }));
  });

  it('does not flag a promise for the due date itself', async () => {
    const id = await registered();
    const { record } = await recordCustomerAnswer(deps, settings, id, CONTACT, { action: 'promise', promisedDate: '2027-03-31', paymentMethod: 'direct_debit' });
    expect(record.promise?.afterDueDate).toBe(false);
  });

  it('records the same promise clicked twice only once', async () => {
    const id = await registered();
    const answer = { action: 'promise' as const, promisedDate: '2027-03-30', paymentMethod: 'transfer' as const };
    const first = await recordCustomerAnswer(deps, settings, id, CONTACT, answer);
    const again = await recordCustomerAnswer(deps, settings, id, CONTACT, answer);

    expect(again.changed).toBe(false);
    expect(await stored(id)).toEqual(first.record);
    expect(first.record.pendingEvents).toHaveLength(1);
  });

  it('records the same dispute clicked twice only once', async () => {
    const id = await registered();
    const answer = { action: 'dispute' as const, reason: 'goods_not_received' as const, message: 'Rien reçu' };
    await recordCustomerAnswer(deps, settings, id, CONTACT, answer);
    const again = await recordCustomerAnswer(deps, settings, id, CONTACT, answer);
    expect(again.changed).toBe(false);
    expect(again.record.pendingEvents.map((event) => event.type)).toEqual(['dispute']);
  });

  it('passes a question on to the execution with its text and who asked, without changing the status', async () => {
    const id = await registered();
    const { record } = await recordCustomerAnswer(deps, settings, id, CONTACT, {
      action: 'question',
      message: 'Pouvez-vous nous renvoyer le bon de livraison ?',
      contactName: 'Claire Martin',
    });

    expect(record.status).toBe('scheduled');
    expect(record.pendingEvents).toEqual([
      expect.objectContaining({
        type: 'question',
        detail: { message: 'Pouvez-vous nous renvoyer le bon de livraison ?', from: CONTACT, contactName: 'Claire Martin' },
      }),
    ]);
    expect(await store.listTimeline(id)).toContainEqual(expect.objectContaining({ type: 'question', from: CONTACT }));
  });

  it('refuses an answer on a paid invoice with 409 and changes nothing', async () => {
    const id = await registered();
    await recordPayment(deps, settings, id, { amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-02-01', reference: 'VIR-013' });
    await expectRefusedUnchanged(
      id,
      () => recordCustomerAnswer(deps, settings, id, CONTACT, { action: 'promise', promisedDate: '2027-04-10', paymentMethod: 'transfer' }),
      409,
      'invoice_closed',
    );
  });
});

describe('restartExecution', () => {
  it('starts a new revision that plans from the record once the execution has failed', async () => {
    const id = await registered();
    await arrange(id, () => ({ parkedToken: 'stale-token', lastCheck: { step: 3, result: {} } }));
    workflow.executionStatus = 'FAILED';

    const { record } = await restartExecution(deps, id);

    expect(record).toMatchObject({ revision: 2, executionName: `${id}-r2` });
    expect(record.parkedToken).toBeUndefined();
    expect(record.lastCheck).toBeUndefined();
    expect(workflow.calls).toEqual([{ op: 'start', executionName: `${id}-r2`, input: initialState(id, 2) }]);
    expect(await timelineTypes(id)).toContain('execution_restarted');
  });

  it('refuses while the execution runs, so an invoice never has two, and changes nothing', async () => {
    const id = await registered();
    workflow.executionStatus = 'RUNNING';
    await expectRefusedUnchanged(id, () => restartExecution(deps, id), 409, 'execution_running');
    expect(workflow.of('start')).toEqual([]);
  });

  it('refuses an execution that has not started yet', async () => {
    const id = await registered();
    workflow.executionStatus = undefined;
    await expectRefusedUnchanged(id, () => restartExecution(deps, id), 409, 'execution_not_started');
  });

  it('refuses a closed invoice', async () => {
    const id = await registered();
    await arrange(id, () => ({ status: 'paid', phase: 'closed' }));
    workflow.executionStatus = 'SUCCEEDED';
    await expectRefusedUnchanged(id, () => restartExecution(deps, id), 409, 'invoice_closed');
  });

  it('starts one new execution when two operators restart at the same moment', async () => {
    const id = await registered();
    workflow.executionStatus = 'FAILED';
    const results = await Promise.allSettled([restartExecution(deps, id), restartExecution(deps, id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(workflow.of('start')).toEqual([{ op: 'start', executionName: `${id}-r2`, input: initialState(id, 2) }]);
    expect((await stored(id)).revision).toBe(2);
  });
});

describe('attachDocument', () => {
  const pdf = Buffer.from('%PDF-1.7 contrat signé');
  const upload = { kind: 'contract' as const, filename: 'Contrat cadre.pdf', contentType: 'application/pdf' as const, content: pdf.toString('base64') };

  it('stores the file under its hash and names it on the invoice; the same file again changes nothing', async () => {
    const invoiceId = await registered();
    const first = await attachDocument(deps, invoiceId, upload);
    const [document] = first.record.documents!;
    expect(document).toMatchObject({ kind: 'contract', filename: 'Contrat cadre.pdf', size: pdf.byteLength, sha256: createHash('sha256').update(pdf).digest('hex') });
    expect(Buffer.from((await documents.get(document.key))!.body).equals(pdf)).toBe(true);
    expect(document.key).toBe(`invoices/${invoiceId}/documents/${document.sha256}/Contrat%20cadre.pdf`);
    expect((await attachDocument(deps, invoiceId, upload)).changed).toBe(false);
    expect((await stored(invoiceId)).documents).toHaveLength(1);
  });

  it('stores nothing for an unknown invoice', async () => {
    await expect(attachDocument(deps, 'F-NOWHERE', upload)).rejects.toThrow(DomainError);
    expect(documents.versions.size).toBe(0);
  });
});
