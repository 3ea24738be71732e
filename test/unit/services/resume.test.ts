/**
 * How a parked wait resumes (shared/services/resume.ts, shared/services/park.ts), against the DynamoDB emulator: the
 * waker takes the customer's answer in the execution's place and sends the wait straight to its step, exactly once,
 * whether the wait is woken twice, times out meanwhile, or Step Functions throttles the send.
 */
import { describe, expect, it } from 'vitest';
import { initialState, type ExecutionState } from '../../../shared/domain/execution-state';
import { answerOwed, checkFor, planEscalation } from '../../../shared/domain/workflow';
import { workflowStep } from '../../../shared/lambda/workflow-step';
import { recordCustomerAnswer } from '../../../shared/services/billing';
import { recordEvent } from '../../../shared/services/record-updates';
import { runEmailStep } from '../../../shared/services/email-steps';
import { parkExecution } from '../../../shared/services/park';
import { sendStepOn } from '../../../shared/services/resume';
import { deliverSignal } from '../../../shared/services/workflow-signals';
import { registration } from '../../support/fixtures';
import { RecordingSignals } from '../../support/recording-ports';
import { SETTINGS, useServiceWorld } from '../../support/service-world';

const world = useServiceWorld('RESUME', '2027-03-22T09:00:00.000Z');
const TOKEN = 'AQCEAAAAKgAAAAMAAAAA+reply==';
const CONTACT = registration.customer.contacts[0]!.email;
/** The end of the due date (31 March 2027), Paris time: "Await customer reply" waits until then. */
const REPLY_DEADLINE = '2027-03-31T22:00:00.000Z';
const throttling = (error: unknown) => (error as Error).name === 'ThrottlingException';
const throttle = () => {
  throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
};
const promise = { action: 'promise', promisedDate: '2027-04-09', paymentMethod: 'transfer' } as const;

/** "Await customer reply", as the pre-reminder's step left the execution: its fourth check to come. */
function awaitingReply(invoiceId: string): ExecutionState {
  return { ...initialState(invoiceId, 1), step: 3, next: 'wait', phase: 'awaiting_reply', wait: { until: REPLY_DEADLINE, seconds: 900_000 } };
}

/** An invoice whose execution is parked in "Await customer reply". */
async function parkedAwaitingReply(): Promise<{ invoiceId: string; state: ExecutionState }> {
  const { invoiceId } = await world.stored({ phase: 'awaiting_reply', status: 'awaiting_reply', preReminderSentFor: '2027-03-31', nextActionAt: REPLY_DEADLINE });
  const state = awaitingReply(invoiceId);
  expect(await parkExecution(world.deps, SETTINGS, { state, taskToken: TOKEN, phase: 'awaiting_reply' }, throttling)).toBe('parked');
  return { invoiceId, state };
}

const acknowledgement = (invoiceId: string) =>
  expect.objectContaining({ invoiceId, step: 4, next: 'promise', phase: 'promised', event: expect.objectContaining({ type: 'promise' }) });

describe('a customer answer reaching a parked wait', () => {
  it('is taken by the waker and sends the wait straight to "Acknowledge promise", with no check and no Choice in between', async () => {
    const { invoiceId } = await parkedAwaitingReply();

    await recordCustomerAnswer(world.deps, SETTINGS, invoiceId, CONTACT, promise);

    expect(world.workflow.calls).toEqual([{ op: 'route', taskToken: TOKEN, state: acknowledgement(invoiceId) }]);
    const record = await world.read(invoiceId);
    expect(record).toMatchObject({ phase: 'promised', status: 'promised', pendingEvents: [], lastCheck: { step: 3, routeTo: TOKEN } });
    expect(record.parkedToken).toBeUndefined();
  });

  it('is taken once when the wait is woken twice: the second waker sends the same answer and changes nothing', async () => {
    const { invoiceId } = await parkedAwaitingReply();
    await recordCustomerAnswer(world.deps, SETTINGS, invoiceId, CONTACT, promise);
    const taken = await world.read(invoiceId);

    // A buffered wake-up of the same wait, delivered late: Step Functions accepts one of the two sends.
    expect(await deliverSignal(world.deps, SETTINGS, { type: 'wake', invoiceId })).toBe('woken');

    expect(world.workflow.of('route').map((call) => call.state)).toEqual([acknowledgement(invoiceId), acknowledgement(invoiceId)]);
    expect(await world.read(invoiceId)).toEqual(taken);
  });

  it('is not lost when the wait timed out meanwhile: its deadline step acts on nothing and "Check what happened" gives the answer', async () => {
    const { invoiceId, state } = await parkedAwaitingReply();
    const gone = Object.create(world.workflow);
    gone.route = async () => false;
    await recordCustomerAnswer({ ...world.deps, workflow: gone }, SETTINGS, invoiceId, CONTACT, promise);
    const taken = await world.read(invoiceId);
    expect(answerOwed(taken, state)).toBe(true);

    // The reply deadline's step ("Next escalation step") finds the answer owed: no ladder, a check with the same step.
    world.clock.set(REPLY_DEADLINE);
    const afterDeadline = await workflowStep(world.deps, state, (record, now) => planEscalation(record, SETTINGS, now));
    expect(afterDeadline).toMatchObject({ next: 'check', step: 3 });
    expect(await world.read(invoiceId)).toEqual(taken);
    const check = checkFor(taken, afterDeadline, SETTINGS, world.clock.now());
    expect(check).toEqual({ answer: acknowledgement(invoiceId) });
  });

  it('is not lost when an email step is where the timed-out wait led: the step sends nothing and asks for the check', async () => {
    // Parked on the ladder, its first rung due at the reply deadline.
    const { invoiceId } = await world.stored({ phase: 'overdue', status: 'overdue', preReminderSentFor: '2027-03-31', nextActionAt: REPLY_DEADLINE });
    const onTheLadder: ExecutionState = { ...awaitingReply(invoiceId), phase: 'overdue' };
    await parkExecution(world.deps, SETTINGS, { state: onTheLadder, taskToken: TOKEN, phase: 'overdue' }, throttling);
    const gone = Object.create(world.workflow);
    gone.route = async () => false;
    await recordCustomerAnswer({ ...world.deps, workflow: gone }, SETTINGS, invoiceId, CONTACT, { action: 'dispute', reason: 'wrong_amount' });

    world.clock.set(REPLY_DEADLINE);
    const afterDeadline = await runEmailStep(world.deps, SETTINGS, onTheLadder, 'escalation');

    expect(afterDeadline).toMatchObject({ next: 'check', step: 3 });
    expect(world.mailer.sent).toEqual([]);
    expect(checkFor(await world.read(invoiceId), afterDeadline, SETTINGS, world.clock.now()).answer).toMatchObject({ next: 'dispute', phase: 'disputed', step: 4 });
  });

  it('is sent on through the start buffer when Step Functions throttles the send, with the answer taken the first time', async () => {
    const { invoiceId } = await parkedAwaitingReply();
    const throttled = Object.create(world.workflow);
    throttled.route = throttle;
    const buffer = new RecordingSignals();

    const answered = await recordCustomerAnswer({ ...world.deps, workflow: throttled, signals: buffer }, SETTINGS, invoiceId, CONTACT, promise);

    expect(answered.changed).toBe(true);
    expect(world.workflow.calls).toEqual([]);
    // The throttled send at once, besides the safety wake-up a minute later that every take leaves.
    const wake = { type: 'wake', invoiceId, since: world.clock.now().toISOString() };
    expect(buffer.sent).toEqual([{ signal: wake, delaySeconds: 60 }, { signal: wake }]);
    expect(await deliverSignal(world.deps, SETTINGS, buffer.of('wake')[1]!)).toBe('woken');
    expect(world.workflow.calls).toEqual([{ op: 'route', taskToken: TOKEN, state: acknowledgement(invoiceId) }]);
  });

  it('is still sent on when its waker stops between taking it and sending it: by the buffer a minute later, or by a retried call', async () => {
    const { invoiceId } = await parkedAwaitingReply();
    // The API's Lambda is stopped (its timeout) while its send hangs: it never returns, nothing is caught.
    const hanging = Object.create(world.workflow);
    hanging.route = () => new Promise(() => undefined);
    void recordCustomerAnswer({ ...world.deps, workflow: hanging }, SETTINGS, invoiceId, CONTACT, promise);
    await expect.poll(async () => (await world.read(invoiceId)).lastCheck?.routeTo).toBe(TOKEN);
    expect(world.signals.delayed).toEqual([{ type: 'wake', invoiceId, since: world.clock.now().toISOString() }]);

    // The client retries its request: the answer is on the record already, and the wait is sent on.
    await recordCustomerAnswer(world.deps, SETTINGS, invoiceId, CONTACT, promise);
    expect(world.workflow.calls).toEqual([{ op: 'route', taskToken: TOKEN, state: acknowledgement(invoiceId) }]);
    // Without a retry, the safety wake-up does the same a minute later.
    expect(await deliverSignal(world.deps, SETTINGS, world.signals.delayed[0]!)).toBe('woken');
    expect(world.workflow.of('route').map((call) => call.state)).toEqual([acknowledgement(invoiceId), acknowledgement(invoiceId)]);
  });

  it('wakes the wait without taking anything when the answer leads to no step of its own (it waits on)', async () => {
    const { invoiceId } = await parkedAwaitingReply();

    // A registered letter's news before the ladder: nothing to do but wait.
    await recordEvent(world.deps, SETTINGS, invoiceId, (record) => ({ record, event: { type: 'registered_letter' } }));

    expect(world.workflow.calls).toEqual([{ op: 'wake', taskToken: TOKEN, output: { woken: 'registered_letter' } }]);
    const record = await world.read(invoiceId);
    expect(record.pendingEvents.map((event) => event.type)).toEqual(['registered_letter']);
    expect(record.lastCheck).toBeUndefined();
  });
});

describe('a customer answer reaching a wait whose deadline may have come', () => {
  /** Parked on the ladder until its next rung, at RUNG_AT. */
  const RUNG_AT = '2027-03-29T07:00:00.000Z';
  async function parkedOnLadder(): Promise<{ invoiceId: string; state: ExecutionState }> {
    const { invoiceId } = await world.stored({ phase: 'overdue', status: 'overdue', preReminderSentFor: '2027-03-31', nextActionAt: RUNG_AT });
    const state: ExecutionState = { ...initialState(invoiceId, 1), step: 5, next: 'wait', phase: 'overdue', wait: { until: RUNG_AT, seconds: 600_000 } };
    expect(await parkExecution(world.deps, SETTINGS, { state, taskToken: TOKEN, phase: 'overdue' }, throttling)).toBe('parked');
    return { invoiceId, state };
  }
  const gone = () => {
    const workflow = Object.create(world.workflow);
    workflow.route = workflow.wake = async () => false;
    return workflow;
  };

  it('is only woken, never taken, once the wake-up time is near: the step the timeout led to may be running, and takes it', async () => {
    const { invoiceId, state } = await parkedOnLadder();
    // The rung's time has come: "Carry out escalation step" runs, and the promise lands while its email leaves.
    world.clock.set('2027-03-29T07:00:30.000Z');
    const send = world.mailer.send.bind(world.mailer);
    let answered = false;
    world.mailer.send = async (email) => {
      if (!answered) {
        answered = true;
        await recordCustomerAnswer({ ...world.deps, workflow: gone() }, SETTINGS, invoiceId, CONTACT, promise);
      }
      return send(email);
    };

    const afterRung = await runEmailStep(world.deps, SETTINGS, state, 'escalation');

    const record = await world.read(invoiceId);
    expect(record.pendingEvents.map((event) => event.type)).toEqual(['promise']);
    expect(record.lastCheck).toBeUndefined();
    // "Check what happened", whichever step it is asked with, takes the promise: it is acknowledged.
    expect(afterRung.next).toBe('check');
    expect(checkFor(record, afterRung, SETTINGS, world.clock.now()).answer).toMatchObject({ next: 'promise', phase: 'promised' });
  });

  it('is taken up to a minute before the wake-up time, and not after', async () => {
    const { invoiceId } = await parkedOnLadder();
    world.clock.set('2027-03-29T06:59:00.000Z');
    await recordCustomerAnswer({ ...world.deps, workflow: gone() }, SETTINGS, invoiceId, CONTACT, { action: 'question', message: 'Quel IBAN ?' });
    expect(world.workflow.calls).toEqual([]);
    expect((await world.read(invoiceId)).pendingEvents.map((event) => event.type)).toEqual(['question']);

    const other = await parkedOnLadder();
    world.clock.set('2027-03-29T06:58:59.999Z');
    await recordCustomerAnswer(world.deps, SETTINGS, other.invoiceId, CONTACT, { action: 'question', message: 'Quel IBAN ?' });
    expect(world.workflow.of('route').map((call) => call.state.next)).toEqual(['question']);
  });

  it('owed to a park of the same state (its first attempt took it, then failed to send it): sent on, not parked over', async () => {
    const { invoiceId, state } = await parkedAwaitingReplyWithAnswerTaken();
    world.workflow.reset();

    // The state machine retries the park with a new token: it finds the answer owed to this state.
    expect(await parkExecution(world.deps, SETTINGS, { state, taskToken: `${TOKEN}retry`, phase: 'awaiting_reply' }, throttling)).toBe('woken');

    expect(world.workflow.calls).toEqual([{ op: 'route', taskToken: `${TOKEN}retry`, state: acknowledgement(invoiceId) }]);
    expect(await world.read(invoiceId)).toMatchObject({ lastCheck: { step: 3, routeTo: `${TOKEN}retry` } });
  });

  async function parkedAwaitingReplyWithAnswerTaken() {
    const parked = await parkedAwaitingReply();
    const failing = Object.create(world.workflow);
    failing.route = async () => {
      throw new Error('Step Functions is down');
    };
    await recordCustomerAnswer({ ...world.deps, workflow: failing, signals: new RecordingSignals() }, SETTINGS, parked.invoiceId, CONTACT, promise);
    expect(await world.read(parked.invoiceId)).toMatchObject({ lastCheck: { step: 3, routeTo: TOKEN } });
    return parked;
  }
});

describe('a wait of an execution started on the previous definition (no phase named, no send-on caught)', () => {
  it('is parked and woken as then: nothing is sent on, nothing taken in its place', async () => {
    const { invoiceId } = await world.stored({ phase: 'awaiting_reply', status: 'awaiting_reply', preReminderSentFor: '2027-03-31', nextActionAt: REPLY_DEADLINE });
    const checkFirst: ExecutionState = { ...awaitingReply(invoiceId), next: 'check' };

    expect(await parkExecution(world.deps, SETTINGS, { state: checkFirst, taskToken: TOKEN }, throttling)).toBe('parked');
    expect((await world.read(invoiceId)).parkedWait).toBeUndefined();
    await recordCustomerAnswer(world.deps, SETTINGS, invoiceId, CONTACT, promise);

    expect(world.workflow.calls).toEqual([{ op: 'wake', taskToken: TOKEN, output: { woken: 'promise' } }]);
    expect((await world.read(invoiceId)).pendingEvents.map((event) => event.type)).toEqual(['promise']);
  });
});

describe('a wait given a state that is not its own', () => {
  const planned = (invoiceId: string): ExecutionState => initialState(invoiceId, 1);

  it('sends it on at once, without reading or writing the record: to its step when it has one, else to "Decide the next step"', async () => {
    const { invoiceId } = await world.stored();
    const before = await world.read(invoiceId);
    const handOff: ExecutionState = { ...planned(invoiceId), phase: 'overdue', next: 'hand_off', step: 9 };

    expect(await parkExecution(world.deps, SETTINGS, { state: planned(invoiceId), taskToken: TOKEN, phase: 'before_pre_reminder' }, throttling)).toBe('sent_on');
    expect(await parkExecution(world.deps, SETTINGS, { state: handOff, taskToken: `${TOKEN}2`, phase: 'overdue' }, throttling)).toBe('sent_on');
    // The right phase is not enough: the state must be a wait.
    expect(await parkExecution(world.deps, SETTINGS, { state: { ...handOff, next: 'check' }, taskToken: `${TOKEN}3`, phase: 'overdue' }, throttling)).toBe('sent_on');

    expect(world.workflow.calls).toEqual([
      { op: 'route', taskToken: TOKEN, state: planned(invoiceId) },
      { op: 'route', taskToken: `${TOKEN}2`, state: handOff },
      { op: 'route', taskToken: `${TOKEN}3`, state: { ...handOff, next: 'check' } },
    ]);
    expect(await world.read(invoiceId)).toEqual(before);
  });

  it('leaves its token for the start buffer when the send-on is throttled, and the consumer sends it on', async () => {
    const { invoiceId } = await world.stored();
    const throttled = Object.create(world.workflow);
    throttled.route = throttle;
    const signals = new RecordingSignals();

    expect(await parkExecution({ ...world.deps, workflow: throttled, signals }, SETTINGS, { state: planned(invoiceId), taskToken: TOKEN, phase: 'before_pre_reminder' }, throttling)).toBe('sent_on');

    expect(await world.read(invoiceId)).toMatchObject({ parkedToken: TOKEN, parkedWait: { phase: 'before_pre_reminder', state: planned(invoiceId) } });
    expect(await deliverSignal(world.deps, SETTINGS, signals.of('wake')[0]!)).toBe('woken');
    expect(world.workflow.calls).toEqual([{ op: 'route', taskToken: TOKEN, state: planned(invoiceId) }]);
  });

  it('fails the park as throttled (retried at length) rather than take the invoice\'s token when a payment notice\'s send-on is throttled', async () => {
    const { invoiceId } = await world.stored({ status: 'paid', phase: 'closed', parkedToken: 'AQCEAAAAKgAAAAMAAAAA+invoice==' });
    const throttled = Object.create(world.workflow);
    throttled.route = throttle;
    const notice: ExecutionState = { ...planned(invoiceId), next: 'payment_notice', phase: 'closed' };

    await expect(parkExecution({ ...world.deps, workflow: throttled, signals: new RecordingSignals() }, SETTINGS, { state: notice, taskToken: TOKEN, phase: 'before_pre_reminder' }, throttling)).rejects.toMatchObject({ name: 'Dunning.Throttled' });

    expect((await world.read(invoiceId)).parkedToken).toBe('AQCEAAAAKgAAAAMAAAAA+invoice==');
  });
});

describe('a park that finds an answer already waiting', () => {
  it('takes it in its own write and sends the wait straight on', async () => {
    const { invoiceId } = await world.stored({ phase: 'awaiting_reply', status: 'awaiting_reply', preReminderSentFor: '2027-03-31', nextActionAt: REPLY_DEADLINE });
    await recordCustomerAnswer(world.deps, SETTINGS, invoiceId, CONTACT, promise);
    expect(world.workflow.calls).toEqual([]);

    expect(await parkExecution(world.deps, SETTINGS, { state: awaitingReply(invoiceId), taskToken: TOKEN, phase: 'awaiting_reply' }, throttling)).toBe('woken');

    expect(world.workflow.calls).toEqual([{ op: 'route', taskToken: TOKEN, state: acknowledgement(invoiceId) }]);
    expect(await world.read(invoiceId)).toMatchObject({ phase: 'promised', pendingEvents: [], lastCheck: { step: 3, routeTo: TOKEN } });
  });
});

describe('a callback step ("Carry out escalation step", "Hand off to legal") sending its execution on', () => {
  const rungDone = (invoiceId: string, next: ExecutionState['next']): ExecutionState => ({ ...initialState(invoiceId, 1), step: 5, phase: 'overdue', next, wait: { until: REPLY_DEADLINE, seconds: 60 } });

  it('hands its next wait the state as the task\'s output, goes straight to the hand-off or the ending, and writes nothing', async () => {
    const { invoiceId } = await world.stored({ phase: 'overdue', status: 'overdue' });
    const before = await world.read(invoiceId);

    await sendStepOn(world.deps, `${TOKEN}1`, rungDone(invoiceId, 'wait'), throttling);
    await sendStepOn(world.deps, `${TOKEN}2`, rungDone(invoiceId, 'hand_off'), throttling);
    await sendStepOn(world.deps, `${TOKEN}3`, rungDone(invoiceId, 'paid'), throttling);

    expect(world.workflow.calls).toEqual([
      { op: 'wake', taskToken: `${TOKEN}1`, output: rungDone(invoiceId, 'wait') },
      { op: 'route', taskToken: `${TOKEN}2`, state: rungDone(invoiceId, 'hand_off') },
      { op: 'end', taskToken: `${TOKEN}3`, ending: 'paid' },
    ]);
    expect(await world.read(invoiceId)).toEqual(before);
  });

  it('leaves the send on the record when Step Functions throttles it; the buffered wake-up makes it once and forgets it', async () => {
    const { invoiceId } = await world.stored({ phase: 'overdue', status: 'overdue' });
    const throttled = Object.create(world.workflow);
    throttled.route = throttle;
    const signals = new RecordingSignals();
    const handOff = rungDone(invoiceId, 'hand_off');

    await sendStepOn({ ...world.deps, workflow: throttled, signals }, TOKEN, handOff, throttling);

    expect(await world.read(invoiceId)).toMatchObject({ sendingOn: { token: TOKEN, state: handOff } });
    expect(await deliverSignal(world.deps, SETTINGS, signals.of('wake')[0]!)).toBe('woken');
    expect(world.workflow.calls).toEqual([{ op: 'route', taskToken: TOKEN, state: handOff }]);
    expect((await world.read(invoiceId)).sendingOn).toBeUndefined();
    // A duplicate of the wake-up finds nothing left to send.
    expect(await deliverSignal(world.deps, SETTINGS, signals.of('wake')[0]!)).toBe('nothing');
    expect(world.workflow.calls).toHaveLength(1);
  });

  it('fails as throttled instead (retried at length) when a newer revision has the invoice: it must not leave its send on that revision\'s record', async () => {
    const { invoiceId } = await world.stored({ phase: 'overdue', status: 'overdue', revision: 2 });
    const throttled = Object.create(world.workflow);
    throttled.wake = throttle;

    await expect(sendStepOn({ ...world.deps, workflow: throttled, signals: new RecordingSignals() }, TOKEN, rungDone(invoiceId, 'wait'), throttling)).rejects.toMatchObject({ name: 'Dunning.Throttled' });
    expect((await world.read(invoiceId)).sendingOn).toBeUndefined();
  });
});
