/**
 * The execution's decisions (shared/domain/workflow.ts) as pure functions of a record and a fixed time, with the default
 * calendar (Europe/Paris, France, 09:00) and the default policy.
 *
 * The fixture invoice is due Wednesday 31 March 2027. Paris is UTC+1 until Sunday 28 March 2027 and UTC+2 after, so
 * 09:00 Paris is 08:00Z before the change and 07:00Z after it. Easter Monday, 29 March 2027, is a public holiday.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../../../shared/domain/calendar';
import type { InvoiceRecord, WorkflowEvent, WorkflowEventType } from '../../../shared/domain/invoice';
import { DEFAULT_POLICY } from '../../../shared/domain/policy';
import {
  breakPromise,
  checkWhatHappened,
  deadlineStillHolds,
  emailKeys,
  followUpDispute,
  handOff,
  hasOpenPromise,
  planEscalation,
  planReminders,
  type WorkflowSettings,
} from '../../../shared/domain/workflow';
import { invoiceRecord } from '../../support/fixtures';

const settings: WorkflowSettings = { calendar: DEFAULT_CALENDAR, policy: DEFAULT_POLICY };
const at = (iso: string) => new Date(iso);

/** The moment the due date (31 March) has passed: midnight at the start of 1 April, Paris time. */
const REPLY_DEADLINE = '2027-03-31T22:00:00.000Z';

function pending(seq: number, type: WorkflowEventType, detail?: Record<string, string>): WorkflowEvent {
  return { seq, type, at: '2027-03-20T10:00:00.000Z', ...(detail ? { detail } : {}) };
}

const promise = (date: string): NonNullable<InvoiceRecord['promise']> => ({
  date,
  method: 'transfer',
  afterDueDate: date > '2027-03-31',
  at: '2027-03-22T10:00:00.000Z',
  source: 'customer',
});

const openDispute: NonNullable<InvoiceRecord['dispute']> = {
  reason: 'missing_purchase_order',
  message: 'Nous attendons le bon de commande.',
  at: '2027-03-22T10:00:00.000Z',
  status: 'open',
};

describe('planReminders', () => {
  it('waits until the pre-reminder time when it is still ahead, with the invoice scheduled', () => {
    const { change, next } = planReminders(invoiceRecord(), settings, at('2027-03-01T10:00:00.000Z'));
    expect(next).toBe('wait');
    expect(change.record).toMatchObject({
      phase: 'before_pre_reminder',
      status: 'scheduled',
      // Ten days before is Sunday 21 March: moved back to Friday 19 March, 09:00 Paris (UTC+1).
      nextActionAt: '2027-03-19T08:00:00.000Z',
    });
  });

  it('sends the pre-reminder at the next send slot when its time has passed but the due date is ahead', () => {
    // Monday 22 March, 11:00 Paris: today's 09:00 slot is gone, so Tuesday 09:00.
    const { change, next } = planReminders(invoiceRecord(), settings, at('2027-03-22T10:00:00.000Z'));
    expect(next).toBe('wait');
    expect(change.record).toMatchObject({ phase: 'before_pre_reminder', status: 'scheduled', nextActionAt: '2027-03-23T08:00:00.000Z' });
  });

  it('moves a late pre-reminder found on a weekend to Monday morning', () => {
    const { change } = planReminders(invoiceRecord(), settings, at('2027-03-20T15:00:00.000Z'));
    expect(change.record.nextActionAt).toBe('2027-03-22T08:00:00.000Z');
  });

  it('goes straight to overdue when the due date has passed', () => {
    const now = at('2027-04-02T09:00:00.000Z');
    const { change, next } = planReminders(invoiceRecord(), settings, now);
    expect(next).toBe('overdue');
    expect(change.record).toMatchObject({ phase: 'overdue', status: 'overdue', nextActionAt: now.toISOString() });
  });

  it('goes to overdue when the next send slot for a late pre-reminder would come after the due date', () => {
    // Due day, 12:00 Paris: the next slot is tomorrow 09:00, when the invoice is already late.
    const { change, next } = planReminders(invoiceRecord(), settings, at('2027-03-31T10:00:00.000Z'));
    expect(next).toBe('overdue');
    expect(change.record.status).toBe('overdue');
  });

  it('awaits the reply until local midnight after the due date once the pre-reminder went out for this due date', () => {
    const record = invoiceRecord({ preReminderSentFor: '2027-03-31', status: 'awaiting_reply', phase: 'awaiting_reply' });
    const { change, next } = planReminders(record, settings, at('2027-03-24T10:00:00.000Z'));
    expect(next).toBe('wait');
    expect(change.record).toMatchObject({ phase: 'awaiting_reply', status: 'awaiting_reply', nextActionAt: REPLY_DEADLINE });
  });

  it('plans a new pre-reminder after a due-date change when the one sent was for the old due date', () => {
    const record = invoiceRecord({ preReminderSentFor: '2027-03-31', dueDate: '2027-04-30', status: 'awaiting_reply' });
    const { change, next } = planReminders(record, settings, at('2027-03-24T10:00:00.000Z'));
    expect(next).toBe('wait');
    // Ten days before Friday 30 April is Tuesday 20 April, 09:00 Paris (UTC+2).
    expect(change.record).toMatchObject({ phase: 'before_pre_reminder', status: 'scheduled', nextActionAt: '2027-04-20T07:00:00.000Z' });
  });

  it('restarts the ladder from its first rung when the due date moves into the future', () => {
    const record = invoiceRecord({ status: 'overdue', phase: 'overdue', dueDate: '2027-05-31', escalation: { done: 2, lastAt: '2027-04-08T07:00:00.000Z' } });
    const { change, next } = planReminders(record, settings, at('2027-04-10T10:00:00.000Z'));
    expect(next).toBe('wait');
    expect(change.record).toMatchObject({ phase: 'before_pre_reminder', status: 'scheduled', escalation: { done: 0, cycle: 1 } });
    expect(change.record.escalation.lastAt).toBeUndefined();
  });

  it('gives a restarted ladder new email keys, so its reminders are not taken for the first cycle\'s', () => {
    const first = invoiceRecord({ status: 'overdue', phase: 'overdue', escalation: { done: 1, lastAt: '2027-04-01T07:00:00.000Z' } });
    const restarted = planReminders({ ...first, dueDate: '2027-05-31' }, settings, at('2027-04-10T10:00:00.000Z')).change.record;
    expect(emailKeys.ladder(first, 0)).toBe('ladder@0');
    expect(emailKeys.ladder(restarted, 0)).toBe('ladder@c1@0');
    const again = planReminders({ ...restarted, escalation: { ...restarted.escalation, done: 2, lastAt: '2027-06-10T07:00:00.000Z' }, dueDate: '2027-08-31' }, settings, at('2027-06-12T10:00:00.000Z'));
    expect(emailKeys.ladder(again.change.record, 0)).toBe('ladder@c2@0');
  });

  it('keeps the ladder\'s cycle when a replan finds nothing done on it', () => {
    const record = invoiceRecord({ escalation: { done: 0, cycle: 3 } });
    expect(planReminders(record, settings, at('2027-03-01T10:00:00.000Z')).change.record.escalation).toEqual({ done: 0, cycle: 3 });
  });

  it('keys the pre-reminder by the due date and by how many times it changed', () => {
    expect(emailKeys.preReminder(invoiceRecord())).toBe('pre_reminder@2027-03-31');
    expect(emailKeys.preReminder(invoiceRecord({ dueDateChanges: 2 }))).toBe('pre_reminder@2027-03-31#2');
  });

  it('goes overdue at the very instant the due date has passed', () => {
    const record = invoiceRecord({ preReminderSentFor: '2027-03-31', status: 'awaiting_reply', phase: 'awaiting_reply' });
    expect(planReminders(record, settings, at('2027-03-31T22:00:00.000Z')).next).toBe('overdue');
    expect(planReminders(record, settings, at('2027-03-31T21:59:59.999Z')).change.record.status).toBe('awaiting_reply');
  });

  it('keeps an open dispute across a replan, even after the due date, with a follow-up a week later', () => {
    const record = invoiceRecord({ status: 'disputed', phase: 'disputed', dispute: openDispute, dueDate: '2027-03-25' });
    const { change, next } = planReminders(record, settings, at('2027-03-29T10:00:00.000Z'));
    expect(next).toBe('wait');
    expect(change.record).toMatchObject({ phase: 'disputed', status: 'disputed', dispute: openDispute });
    // Monday 29 March (Easter Monday) + 7 days = Monday 5 April, 09:00 Paris.
    expect(change.record.nextActionAt).toBe('2027-04-05T07:00:00.000Z');
  });

  it('keeps an active promise across a replan and waits for its deadline', () => {
    const record = invoiceRecord({ status: 'promised', phase: 'promised', promise: promise('2027-04-05'), dueDate: '2027-04-15' });
    const { change, next } = planReminders(record, settings, at('2027-03-24T10:00:00.000Z'));
    expect(next).toBe('wait');
    // Promised Monday 5 April + 3 grace days: checked the morning after, Friday 9 April 09:00 Paris.
    expect(change.record).toMatchObject({ phase: 'promised', status: 'promised', nextActionAt: '2027-04-09T07:00:00.000Z' });
    expect(change.record.promise).toEqual(record.promise);
  });

  it('ends a paid invoice at once and forgets its parked token', () => {
    const { change, next } = planReminders(invoiceRecord({ status: 'paid', parkedToken: 'token' }), settings, at('2027-03-01T10:00:00.000Z'));
    expect(next).toBe('paid');
    expect(change.record.phase).toBe('closed');
    expect(change.record.parkedToken).toBeUndefined();
  });

  it('ends a cancelled invoice at once', () => {
    const { change, next } = planReminders(invoiceRecord({ status: 'cancelled' }), settings, at('2027-03-01T10:00:00.000Z'));
    expect(next).toBe('cancelled');
    expect(change.record.phase).toBe('closed');
  });
});

describe('checkWhatHappened', () => {
  const now = at('2027-03-24T10:00:00.000Z');

  it('ends the execution on payment even when other events are pending, and drops them', () => {
    const record = invoiceRecord({
      status: 'paid',
      phase: 'awaiting_reply',
      pendingEvents: [pending(1, 'promise'), pending(2, 'question', { message: 'IBAN ?' }), pending(3, 'payment')],
      lastEventSeq: 3,
    });
    const { change, next } = checkWhatHappened(record, settings, now);
    expect(next).toBe('paid');
    expect(change.record).toMatchObject({ phase: 'closed', pendingEvents: [] });
  });

  it('ends the execution on cancellation', () => {
    const record = invoiceRecord({ status: 'cancelled', pendingEvents: [pending(1, 'cancelled')], lastEventSeq: 1 });
    expect(checkWhatHappened(record, settings, now).next).toBe('cancelled');
  });

  it('takes one event per check, the oldest first, and leaves the rest pending', () => {
    const question = pending(2, 'question', { message: 'Quel IBAN ?' });
    const record = invoiceRecord({
      status: 'promised',
      promise: promise('2027-04-05'),
      phase: 'awaiting_reply',
      pendingEvents: [pending(1, 'promise'), question],
      lastEventSeq: 2,
    });
    const result = checkWhatHappened(record, settings, now);
    expect(result.next).toBe('promise');
    expect(result.event?.seq).toBe(1);
    expect(result.change.record.pendingEvents).toEqual([question]);
  });

  it('replans after a due-date change', () => {
    const record = invoiceRecord({ pendingEvents: [pending(1, 'due_date_changed')], lastEventSeq: 1 });
    const { change, next } = checkWhatHappened(record, settings, now);
    expect(next).toBe('replan');
    expect(change.record.pendingEvents).toEqual([]);
  });

  it('tells the customer the outcome of a resolved dispute (the step then replans)', () => {
    const record = invoiceRecord({ status: 'awaiting_reply', pendingEvents: [pending(1, 'dispute_resolved')], lastEventSeq: 1 });
    expect(checkWhatHappened(record, settings, now).next).toBe('dispute_outcome');
  });

  it('enters the promised phase on a promise, with the deadline at the send slot after the promised date and grace days', () => {
    const record = invoiceRecord({
      status: 'promised',
      phase: 'awaiting_reply',
      promise: promise('2027-04-05'),
      pendingEvents: [pending(1, 'promise')],
      lastEventSeq: 1,
    });
    const { change, next } = checkWhatHappened(record, settings, now);
    expect(next).toBe('promise');
    expect(change.record.phase).toBe('promised');
    // 5 April + 3 grace days = 8 April, the last day the payment may arrive; checked Friday 9 April, 09:00 Paris.
    expect(change.record.nextActionAt).toBe('2027-04-09T07:00:00.000Z');
  });

  it('moves a promise deadline that falls on a weekend to the next business day', () => {
    // 7 April + 3 grace days = Saturday 10 April: checked Monday 12 April.
    const record = invoiceRecord({ status: 'promised', promise: promise('2027-04-07'), pendingEvents: [pending(1, 'promise')], lastEventSeq: 1 });
    expect(checkWhatHappened(record, settings, now).change.record.nextActionAt).toBe('2027-04-12T07:00:00.000Z');
  });

  it('enters the disputed phase on a dispute, with a follow-up after the dispute follow-up delay', () => {
    const record = invoiceRecord({
      status: 'disputed',
      phase: 'awaiting_reply',
      dispute: openDispute,
      pendingEvents: [pending(1, 'dispute')],
      lastEventSeq: 1,
    });
    const { change, next } = checkWhatHappened(record, settings, now);
    expect(next).toBe('dispute');
    expect(change.record.phase).toBe('disputed');
    // Wednesday 24 March + 7 days = Wednesday 31 March, 09:00 Paris.
    expect(change.record.nextActionAt).toBe('2027-03-31T07:00:00.000Z');
  });

  it('acknowledges a promise made while a dispute is open but keeps waiting on the dispute', () => {
    const record = invoiceRecord({ phase: 'disputed', status: 'disputed', dispute: openDispute, promise: promise('2027-04-09'), pendingEvents: [pending(5, 'promise')], nextActionAt: '2027-03-29T07:00:00.000Z' });
    const { change, next } = checkWhatHappened(record, settings, at('2027-03-24T10:00:00.000Z'));
    expect(next).toBe('promise');
    expect(change.record).toMatchObject({ phase: 'disputed', status: 'disputed', nextActionAt: '2027-03-29T07:00:00.000Z' });
  });

  it('passes a question on with its detail and leaves the phase and deadline as they were', () => {
    const detail = { message: 'Pouvez-vous renvoyer la facture ?', from: 'compta@boulangerie-martin.fr' };
    const record = invoiceRecord({
      status: 'awaiting_reply',
      phase: 'awaiting_reply',
      nextActionAt: REPLY_DEADLINE,
      pendingEvents: [pending(1, 'question', detail)],
      lastEventSeq: 1,
    });
    const { change, next, event } = checkWhatHappened(record, settings, now);
    expect(next).toBe('question');
    expect(event?.detail).toEqual(detail);
    expect(change.record).toMatchObject({ phase: 'awaiting_reply', status: 'awaiting_reply', nextActionAt: REPLY_DEADLINE, pendingEvents: [] });
  });

  it('plans again rather than wait when its phase has nothing planned', () => {
    const record = invoiceRecord({ phase: 'overdue', status: 'overdue', nextActionAt: undefined, escalation: { done: 5 } });
    expect(checkWhatHappened(record, settings, at('2027-05-18T07:00:00.000Z')).next).toBe('replan');
  });

  it('keeps waiting when nothing happened and the deadline has not come', () => {
    const record = invoiceRecord({ phase: 'awaiting_reply', status: 'awaiting_reply', nextActionAt: REPLY_DEADLINE });
    const { change, next } = checkWhatHappened(record, settings, now);
    expect(next).toBe('wait');
    expect(change.record).toEqual({ ...record, parkedToken: undefined });
  });

  it('sends the pre-reminder at the very instant its time comes, not a second later', () => {
    // Written without milliseconds (an older record), the instant is still the clock's 08:00:00.000Z.
    const record = invoiceRecord({ nextActionAt: '2027-03-19T08:00:00Z' });
    expect(checkWhatHappened(record, settings, at('2027-03-19T08:00:00.000Z')).next).toBe('send_pre_reminder');
    expect(checkWhatHappened(record, settings, at('2027-03-19T07:59:59.999Z')).next).toBe('wait');
  });

  it('goes to the step of each phase\'s deadline when it has come, exactly where a timed-out wait goes', () => {
    const cases: [Partial<InvoiceRecord>, string][] = [
      [{ phase: 'before_pre_reminder', nextActionAt: '2027-03-19T08:00:00.000Z' }, 'send_pre_reminder'],
      [{ phase: 'awaiting_reply', status: 'awaiting_reply', nextActionAt: REPLY_DEADLINE }, 'overdue'],
      [{ phase: 'promised', status: 'promised', promise: promise('2027-04-05'), nextActionAt: REPLY_DEADLINE }, 'promise_broken'],
      [{ phase: 'disputed', status: 'disputed', dispute: openDispute, nextActionAt: REPLY_DEADLINE }, 'dispute_follow_up'],
      [{ phase: 'overdue', status: 'overdue', nextActionAt: REPLY_DEADLINE }, 'escalate'],
    ];
    for (const [fields, step] of cases) {
      const record = invoiceRecord(fields);
      const { change, next } = checkWhatHappened(record, settings, at('2027-04-01T07:00:00.000Z'));
      expect(next, fields.phase).toBe(step);
      // The step makes the change, not the check: a timed-out wait reaches it without a check.
      expect(change.record, fields.phase).toEqual({ ...record, parkedToken: undefined });
    }
  });

  it('points each deadline at the step the state machine\'s timeout catches name', () => {
    const definition = JSON.parse(readFileSync('statemachines/invoice-dunning.asl.json', 'utf8'));
    const onTimeout = (state: string) =>
      definition.States[state].Catch.find((c: { ErrorEquals: string[] }) => c.ErrorEquals.includes('States.Timeout')).Next;
    const decide = definition.States['Decide the next step'].Choices as { Variable: string; StringEquals: string; Next: string }[];
    const stepOf = (next: string) => decide.find((c) => c.Variable === '$.next' && c.StringEquals === next)!.Next;
    const waits: [InvoiceRecord['phase'], string][] = [
      ['before_pre_reminder', 'Wait until the pre-reminder date'],
      ['awaiting_reply', 'Await customer reply'],
      ['promised', 'Wait for promised payment'],
      ['disputed', 'Wait for dispute resolution'],
      ['overdue', 'Wait for next escalation step'],
    ];
    for (const [phase, wait] of waits) {
      const record = invoiceRecord({ phase, promise: promise('2027-04-05'), dispute: openDispute, nextActionAt: REPLY_DEADLINE });
      expect(stepOf(checkWhatHappened(record, settings, at(REPLY_DEADLINE)).next), wait).toBe(onTimeout(wait));
    }
  });

  it('ends a handed-off invoice\'s execution in "Handed off to legal", whatever waits: nothing reopens it (a hand-off whose send-on was lost checks)', () => {
    const record = invoiceRecord({
      status: 'handed_off',
      phase: 'closed',
      handedOffAt: '2027-05-15T07:00:00.000Z',
      pendingEvents: [pending(1, 'dispute')],
      lastEventSeq: 1,
    });
    expect(checkWhatHappened(record, settings, at('2027-05-15T08:00:00.000Z')).next).toBe('handed_off');
    expect(planReminders(record, settings, at('2027-05-15T08:00:00.000Z'))).toMatchObject({ next: 'handed_off', change: { record: { status: 'handed_off' } } });
  });

  it('forgets the parked token, whatever it decides', () => {
    const records = [
      invoiceRecord({ parkedToken: 'token-1' }),
      invoiceRecord({ parkedToken: 'token-2', pendingEvents: [pending(1, 'due_date_changed')], lastEventSeq: 1 }),
      invoiceRecord({ parkedToken: 'token-3', status: 'paid' }),
      invoiceRecord({ parkedToken: 'token-4', phase: 'overdue', status: 'overdue', nextActionAt: '2027-04-01T07:00:00.000Z' }),
    ];
    for (const record of records) {
      expect(checkWhatHappened(record, settings, at('2027-04-02T07:00:00.000Z')).change.record.parkedToken).toBeUndefined();
    }
  });
});

describe('planEscalation', () => {
  const overdue = (overrides: Partial<InvoiceRecord> = {}) => invoiceRecord({ phase: 'overdue', status: 'overdue', ...overrides });

  it('plans the rungs in order at their offsets from the due date, on business days at 09:00 Paris', () => {
    const rungs = [
      { done: 0, lastAt: undefined, now: '2027-03-31T22:00:00.000Z', expected: '2027-04-01T07:00:00.000Z' }, // due + 1, Thursday
      { done: 1, lastAt: '2027-04-01T07:00:00.000Z', now: '2027-04-01T07:00:05.000Z', expected: '2027-04-08T07:00:00.000Z' }, // + 8
      { done: 2, lastAt: '2027-04-08T07:00:00.000Z', now: '2027-04-08T07:00:05.000Z', expected: '2027-04-15T07:00:00.000Z' }, // + 15
      { done: 3, lastAt: '2027-04-15T07:00:00.000Z', now: '2027-04-15T07:00:05.000Z', expected: '2027-04-30T07:00:00.000Z' }, // + 30
    ];
    for (const rung of rungs) {
      const record = overdue({ escalation: { done: rung.done, ...(rung.lastAt ? { lastAt: rung.lastAt } : {}) } });
      const { change, next } = planEscalation(record, settings, at(rung.now));
      expect(next, `rung ${rung.done + 1}`).toBe('wait');
      expect(change.record, `rung ${rung.done + 1}`).toMatchObject({ phase: 'overdue', status: 'overdue', nextActionAt: rung.expected });
    }
  });

  it('hands off no sooner than 15 days after a formal notice served late, whatever the ladder says', () => {
    // After a broken promise the notice (rung 4) went out on Thursday 20 May 2027, past the hand-off's own +45
    // (15 May): the hand-off waits for the notice's 8 days from receipt and the delivery margin, to Friday 4 June.
    const record = overdue({ escalation: { done: 4, lastAt: '2027-05-20T07:00:00.000Z' } });
    const { change, next } = planEscalation(record, settings, at('2027-05-20T07:00:05.000Z'));
    expect(next).toBe('wait');
    expect(change.record.nextActionAt).toBe('2027-06-04T07:00:00.000Z');
    // On the default ladder the notice (+30) and the hand-off (+45) are 15 days apart already: nothing moves (+45 is
    // Saturday 15 May, and Monday 17 May is Whit Monday: Tuesday 18 May).
    const onTime = overdue({ escalation: { done: 4, lastAt: '2027-04-30T07:00:00.000Z' } });
    expect(planEscalation(onTime, settings, at('2027-04-30T07:00:05.000Z')).change.record.nextActionAt).toBe('2027-05-18T07:00:00.000Z');
  });

  it('waits for the notice\'s deadline too when a ladder ends on the formal notice', () => {
    const shortLadder = { ...settings, policy: { ...settings.policy, ladder: [{ offsetDays: 1, action: 'reminder_email' as const }, { offsetDays: 10, action: 'formal_notice' as const }] } };
    const record = overdue({ escalation: { done: 2, lastAt: '2027-04-12T07:00:00.000Z' } });
    const { change, next } = planEscalation(record, shortLadder, at('2027-04-12T07:00:05.000Z'));
    expect(next).toBe('wait');
    expect(change.record.nextActionAt).toBe('2027-04-27T07:00:00.000Z'); // 12 + 15 = 27 April, a Tuesday
    expect(planEscalation({ ...record, nextActionAt: undefined }, shortLadder, at('2027-04-27T07:00:00.000Z')).next).toBe('hand_off');
  });

  it('moves a rung that falls on a public holiday to the next business day', () => {
    // Due Sunday 28 March: the first rung would be Easter Monday 29 March, so Tuesday 30 March.
    const { change } = planEscalation(overdue({ dueDate: '2027-03-28' }), settings, at('2027-03-28T22:00:00.000Z'));
    expect(change.record.nextActionAt).toBe('2027-03-30T07:00:00.000Z');
  });

  it('never plans a rung in the past: a late step goes at the next send slot', () => {
    const record = overdue({ escalation: { done: 1, lastAt: '2027-04-01T07:00:00.000Z' } });
    const { change } = planEscalation(record, settings, at('2027-04-12T10:00:00.000Z'));
    expect(change.record.nextActionAt).toBe('2027-04-13T07:00:00.000Z');
  });

  it('keeps the minimum gap after a broken promise before the first rung', () => {
    // The promise-broken email left Tuesday 20 April; the first rung (due + 1) is long past: 20 + 5 days = Sunday 25,
    // so Monday 26 April.
    const record = overdue({ escalation: { done: 0, lastAt: '2027-04-20T07:00:00.000Z' } });
    const { change, next } = planEscalation(record, settings, at('2027-04-20T07:00:05.000Z'));
    expect(next).toBe('wait');
    expect(change.record.nextActionAt).toBe('2027-04-26T07:00:00.000Z');
  });

  it('hands off at the hand-off rung\'s own offset (+ 45), not right after the formal notice', () => {
    const record = overdue({ escalation: { done: 4, lastAt: '2027-04-30T07:00:00.000Z' }, nextActionAt: '2027-04-30T07:00:00.000Z' });
    // Due 31 March + 45 = Saturday 15 May; Monday 17 May is Whit Monday: Tuesday 18 May, 09:00 Paris.
    const waiting = planEscalation(record, settings, at('2027-04-30T07:00:05.000Z'));
    expect(waiting.next).toBe('wait');
    expect(waiting.change.record.nextActionAt).toBe('2027-05-18T07:00:00.000Z');
    const { change, next } = planEscalation(record, settings, at('2027-05-18T07:00:00.000Z'));
    expect(next).toBe('hand_off');
    expect(change.record.nextActionAt).toBeUndefined();
  });

  it('hands off when the ladder has no rung left', () => {
    const record = overdue({ policy: { ladder: [{ offsetDays: 1, action: 'reminder_email' }] }, escalation: { done: 1, lastAt: '2027-04-01T07:00:00.000Z' } });
    expect(planEscalation(record, settings, at('2027-04-01T07:00:05.000Z')).next).toBe('hand_off');
  });

  it('follows an invoice ladder whose rung says hand_off early', () => {
    const ladder = [
      { offsetDays: 2, action: 'reminder_email' as const },
      { offsetDays: 10, action: 'hand_off' as const },
      { offsetDays: 20, action: 'formal_notice' as const },
    ];
    const first = planEscalation(overdue({ policy: { ladder } }), settings, at('2027-03-31T22:00:00.000Z'));
    expect(first.change.record.nextActionAt).toBe('2027-04-02T07:00:00.000Z');
    const early = overdue({ policy: { ladder }, escalation: { done: 1, lastAt: '2027-04-02T07:00:00.000Z' } });
    const second = planEscalation(early, settings, at('2027-04-02T07:00:05.000Z'));
    // Due + 10 = Saturday 10 April: Monday 12 April.
    expect(second.next).toBe('wait');
    expect(second.change.record.nextActionAt).toBe('2027-04-12T07:00:00.000Z');
    expect(planEscalation(early, settings, at('2027-04-12T07:00:00.000Z')).next).toBe('hand_off');
  });

  it('ends a paid invoice instead of escalating', () => {
    const { change, next } = planEscalation(overdue({ status: 'paid' }), settings, at('2027-04-02T07:00:00.000Z'));
    expect(next).toBe('paid');
    expect(change.record.phase).toBe('closed');
  });
});

describe('the deadline steps', () => {
  it('start the ladder when the due date passes without an answer, saying so on the timeline', () => {
    const record = invoiceRecord({ phase: 'awaiting_reply', status: 'awaiting_reply', nextActionAt: REPLY_DEADLINE });
    const { change, next } = planEscalation(record, settings, at(REPLY_DEADLINE));
    expect(next).toBe('wait');
    expect(change.record).toMatchObject({ phase: 'overdue', status: 'overdue', nextActionAt: '2027-04-01T07:00:00.000Z' });
    expect(change.timeline).toEqual([{ type: 'escalation', at: REPLY_DEADLINE, step: 'due_date_passed' }]);
  });

  it('break a promise when its deadline comes without payment, and the ladder counts its gap from then', () => {
    const record = invoiceRecord({ phase: 'promised', status: 'promised', promise: promise('2027-04-05'), nextActionAt: '2027-04-09T07:00:00.000Z' });
    const change = breakPromise(record, settings, at('2027-04-09T07:00:00.000Z'));
    expect(change.record).toMatchObject({ phase: 'overdue', status: 'overdue', escalation: { done: 0, lastAt: '2027-04-09T07:00:00.000Z' } });
    expect(change.timeline).toEqual([{ type: 'promise_broken', at: '2027-04-09T07:00:00.000Z', promisedDate: '2027-04-05' }]);
    expect(change.record.promise?.brokenAt).toBe('2027-04-09T07:00:00.000Z');
    expect(hasOpenPromise(change.record)).toBe(false);
    expect(hasOpenPromise(record)).toBe(true);
  });

  it('do not take a broken promise for an open one on a replan', () => {
    const broken = { ...promise('2027-04-05'), brokenAt: '2027-04-09T07:00:00.000Z' };
    const record = invoiceRecord({ phase: 'overdue', status: 'promised', promise: broken, escalation: { done: 0, lastAt: '2027-04-09T07:00:00.000Z' } });
    expect(planReminders(record, settings, at('2027-04-10T10:00:00.000Z')).change.record.phase).toBe('overdue');
  });

  it('do not call an invoice overdue when a promise made for a date before the due date is broken', () => {
    const record = invoiceRecord({ phase: 'promised', status: 'promised', promise: promise('2027-03-22'), nextActionAt: '2027-03-26T08:00:00.000Z' });
    expect(breakPromise(record, settings, at('2027-03-26T08:00:00.000Z')).record).toMatchObject({ phase: 'overdue', status: 'awaiting_reply' });
  });

  it('leave a paid invoice alone when its promise deadline comes', () => {
    const record = invoiceRecord({ phase: 'closed', status: 'paid', promise: promise('2027-04-05') });
    expect(breakPromise(record, settings, at('2027-04-09T07:00:00.000Z'))).toEqual({ record });
  });

  it('follow up a lingering dispute and plan the next follow-up a delay later', () => {
    const record = invoiceRecord({ phase: 'disputed', status: 'disputed', dispute: openDispute, nextActionAt: '2027-03-31T07:00:00.000Z' });
    const change = followUpDispute(record, settings, at('2027-03-31T07:00:00.000Z'));
    expect(change.record).toMatchObject({ phase: 'disputed', status: 'disputed', nextActionAt: '2027-04-07T07:00:00.000Z' });
  });

  it('hand off once the hand-off rung\'s own time has come', () => {
    const record = invoiceRecord({ phase: 'overdue', status: 'overdue', escalation: { done: 4, lastAt: '2027-04-30T07:00:00.000Z' }, nextActionAt: '2027-05-18T07:00:00.000Z' });
    expect(planEscalation(record, settings, at('2027-05-17T07:00:00.000Z')).next).toBe('wait');
    expect(planEscalation(record, settings, at('2027-05-18T07:00:00.000Z')).next).toBe('hand_off');
  });
});

describe('a step a deadline led to', () => {
  it('acts only when nothing waits on the record and the phase is still the one the wait was for', () => {
    const overdue = invoiceRecord({ phase: 'overdue', status: 'overdue' });
    expect(deadlineStillHolds(overdue, 'overdue')).toBe(true);
    expect(deadlineStillHolds({ ...overdue, pendingEvents: [pending(1, 'promise')] }, 'overdue')).toBe(false);
    expect(deadlineStillHolds({ ...overdue, phase: 'closed', status: 'paid' }, 'overdue')).toBe(false);
  });

  it('does not plan the ladder over an answer that came as the reply deadline passed: it checks first', () => {
    const record = invoiceRecord({ phase: 'awaiting_reply', status: 'promised', pendingEvents: [pending(2, 'promise')], promise: promise('2027-04-09') });
    expect(planEscalation(record, settings, at(REPLY_DEADLINE))).toEqual({ change: { record }, next: 'check' });
  });

  it('does not break a promise made again a moment before the old one\'s deadline', () => {
    // The new promise waits on the record as the old deadline comes: nothing is broken, the check takes it first...
    const renewed = { ...promise('2027-04-20'), at: '2027-04-09T06:59:00.000Z' };
    const record = invoiceRecord({ phase: 'promised', status: 'promised', promise: renewed, pendingEvents: [pending(4, 'promise')], nextActionAt: '2027-04-09T07:00:00.000Z' });
    expect(breakPromise(record, settings, at('2027-04-09T07:00:00.000Z'))).toEqual({ record });
    // ...which moves the deadline to the new promise's: a retried step at the old deadline breaks nothing either.
    const taken = checkWhatHappened(record, settings, at('2027-04-09T07:00:01.000Z')).change.record;
    expect(taken.nextActionAt).toBe('2027-04-26T07:00:00.000Z');
    expect(breakPromise(taken, settings, at('2027-04-09T07:00:02.000Z'))).toEqual({ record: taken });
  });
});

describe('handOff', () => {
  const now = at('2027-05-18T07:00:00.000Z');
  const onTheLadder = invoiceRecord({ phase: 'overdue', status: 'overdue', escalation: { done: 4 }, parkedToken: 'token', nextActionAt: '2027-05-18T07:00:00.000Z' });

  it('commits the hand-off on the record, once, saying where the evidence is', () => {
    const { change, next } = handOff(onTheLadder, now);
    expect(next).toBe('handed_off');
    expect(change.record).toMatchObject({ status: 'handed_off', phase: 'closed', handedOffAt: '2027-05-18T07:00:00.000Z' });
    expect(change.record.nextActionAt).toBeUndefined();
    expect(change.record.parkedToken).toBeUndefined();
    expect(change.timeline).toEqual([{ type: 'handed_off', at: '2027-05-18T07:00:00.000Z', evidence: '/invoices/F-2027-0042/evidence' }]);
    const retried = handOff(change.record, at('2027-05-18T07:00:05.000Z'));
    expect(retried).toEqual({ change: { record: change.record }, next: 'handed_off' });
  });

  it('hears an answer that came while the hand-off was due before handing anything off', () => {
    const disputed = { ...onTheLadder, pendingEvents: [pending(3, 'dispute')], dispute: openDispute, status: 'disputed' as const };
    expect(handOff(disputed, now)).toEqual({ change: { record: disputed }, next: 'check' });
    const taken = { ...disputed, pendingEvents: [] };
    expect(handOff(taken, now).next).toBe('replan');
    // Planning again puts it back to waiting for the dispute's resolution, whatever phase it was left in.
    expect(planReminders(taken, settings, now).change.record).toMatchObject({ phase: 'disputed', status: 'disputed' });
  });

  it('hands off nothing when a payment or a cancellation got there first', () => {
    expect(handOff({ ...onTheLadder, status: 'paid', phase: 'closed' }, now).next).toBe('paid');
    expect(handOff({ ...onTheLadder, status: 'cancelled', phase: 'closed' }, now).next).toBe('cancelled');
    expect(handOff({ ...onTheLadder, status: 'paid', phase: 'closed' }, now).change.record.status).toBe('paid');
  });
});
