/**
 * Scenarios before and around the pre-reminder, driven over HTTP on the virtual clock: planning on business days,
 * a payment before the pre-reminder, due-date changes, cancellation at several points.
 */
import { describe, expect, it } from 'vitest';
import { addDays, kindOf, parisDate, parisInstant, useRuntime, weekday } from './support/client';
import { englishInvoice, frenchInvoice, invoiceNumber } from './support/invoices';
import { scenarioHelpers } from './support/scenario';

const START = '2027-01-04T07:00:00.000Z'; // Monday 4 January 2027, 08:00 in Paris
const client = useRuntime(START);
const s = scenarioHelpers(client);
const MINUTE = 60_000;

describe('planning on business days', () => {
  it('moves "ten days before" to the previous business day at 09:00 Paris, sends nothing before it and exactly one pre-reminder at it', async () => {
    const c = client();
    // Due Thursday 8 April 2027: ten days before is Easter Monday (a public holiday in France), so Friday 26 March;
    // 09:00 in Paris is still winter time then (DST starts on 28 March).
    const easter = frenchInvoice(invoiceNumber('PLAN'), '2027-02-22', { dueDate: '2027-04-08' });
    // Due Wednesday 24 February: ten days before is Sunday 14 February, so Friday 12 February.
    const weekend = englishInvoice(invoiceNumber('PLAN'), '2027-01-04', { dueDate: '2027-02-24', amount: { value: 1_250_000, currency: 'EUR' } });
    // Due Monday 15 February: ten days before is Friday 5 February, a business day.
    const plain = frenchInvoice(invoiceNumber('PLAN'), '2027-01-04', { dueDate: '2027-02-15' });

    const planned = {
      [easter.invoiceId]: '2027-03-26T08:00:00.000Z',
      [weekend.invoiceId]: '2027-02-12T08:00:00.000Z',
      [plain.invoiceId]: '2027-02-05T08:00:00.000Z',
    };
    for (const body of [easter, weekend, plain]) {
      const registered = await s.register(body);
      expect(registered.status).toBe('scheduled');
      expect(registered.preReminderAt).toBe(planned[body.invoiceId]);
      expect(weekday(parisDate(registered.preReminderAt))).toBeLessThanOrEqual(5);
      const execution = await s.execution(body.invoiceId);
      expect(execution).toMatchObject({ status: 'RUNNING', name: registered.executionName, currentState: 'Wait until the pre-reminder date', parked: true });
    }

    for (const body of [plain, weekend, easter]) {
      const at = Date.parse(planned[body.invoiceId]);
      await c.clockTo(new Date(at - MINUTE));
      expect(await s.emails(body.invoiceId), `nothing before the pre-reminder of ${body.invoiceId}`).toEqual([]);
      expect(await s.status(body.invoiceId)).toBe('scheduled');

      await c.clockTo(new Date(at));
      const emails = await s.emails(body.invoiceId);
      expect(emails).toHaveLength(1);
      expect(kindOf(emails[0])).toBe('pre_reminder');
      expect(emails[0].to).toEqual([body.customer.contacts[0].email]);
      expect(emails[0].sentAt).toBe(planned[body.invoiceId]);
      expect(emails[0].subject).toContain(body.invoiceId);
      expect(emails[0].subject).toMatch(body.customer.language === 'fr' ? /tout est-il en ordre/ : /is everything in order/);

      const invoice = await c.invoice(body.invoiceId);
      expect(invoice.status).toBe('awaiting_reply');
      expect(invoice.timeline.filter((t) => t.type === 'email_sent')).toMatchObject([{ email: 'pre_reminder', at: planned[body.invoiceId] }]);
      expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'RUNNING', currentState: 'Await customer reply', parked: true });
    }

    // A day later, still exactly one pre-reminder each (the earlier ones have gone on to the overdue ladder since).
    await c.advance('P1D');
    for (const body of [easter, weekend, plain]) expect(await s.emails(body.invoiceId, 'pre_reminder')).toHaveLength(1);
  });
});

describe('a payment before the pre-reminder', () => {
  it('ends the execution in Paid at once, and no email is ever sent', async () => {
    const c = client();
    const today = await c.today();
    const body = englishInvoice(invoiceNumber('PAID'), today, { dueDate: addDays(today, 40) });
    const registered = await s.register(body);
    await c.advance('P3D');
    expect(await s.execution(body.invoiceId)).toMatchObject({ currentState: 'Wait until the pre-reminder date', parked: true });

    const paidAt = await c.now();
    const payment = await c.pay(body.invoiceId, body.amount, 'BACS-20270107-001', parisDate(paidAt));
    expect(payment.status, payment.text).toBe(200);
    expect(payment.json.status).toBe('paid');
    // No clock step: the parked wait was completed by the payment itself.
    await c.settle();
    expect((await c.now()).toISOString()).toBe(paidAt.toISOString());

    const invoice = await c.invoice(body.invoiceId);
    expect(invoice.status).toBe('paid');
    expect(invoice.outstanding.value).toBe(0);
    expect(invoice.timeline.map((t) => t.type)).toContain('payment');
    const execution = await s.execution(body.invoiceId);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', currentState: 'Paid', parked: false, name: registered.executionName });
    expect(execution.stoppedAt).toBe(paidAt.toISOString());

    await c.advance('P200D');
    expect(await s.emails(body.invoiceId)).toEqual([]);
    expect(await s.status(body.invoiceId)).toBe('paid');
  });
});

describe('due date changes', () => {
  it('moved later before the pre-reminder: re-planned, the pre-reminder goes at the new date only', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('MOVE'), today, { dueDate: addDays(today, 30) });
    const registered = await s.register(body);
    await c.advance('P2D');

    const newDue = addDays(body.dueDate, 21);
    const patched = await c.patch(body.invoiceId, { dueDate: newDue });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json.dueDate).toBe(newDue);
    expect(Date.parse(patched.json.preReminderAt)).toBeGreaterThan(Date.parse(registered.preReminderAt));
    await c.settle();

    // The old pre-reminder time passes quietly.
    await c.clockTo(new Date(Date.parse(registered.preReminderAt) + 3600_000));
    expect(await s.emails(body.invoiceId)).toEqual([]);
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'RUNNING', currentState: 'Wait until the pre-reminder date' });

    await c.clockTo(patched.json.preReminderAt);
    const emails = await s.emails(body.invoiceId);
    expect(emails).toHaveLength(1);
    expect(kindOf(emails[0])).toBe('pre_reminder');
    expect(emails[0].sentAt).toBe(patched.json.preReminderAt);
    const invoice = await c.invoice(body.invoiceId);
    expect(invoice.timeline.map((t) => t.type)).toContain('due_date_changed');
    expect(invoice.status).toBe('awaiting_reply');
  });

  it('moved later after the pre-reminder while awaiting the reply: re-planned, a new pre-reminder at the new date, no reminder at the old due date', async () => {
    const c = client();
    const today = await c.today();
    const body = englishInvoice(invoiceNumber('MOVE'), today, { dueDate: addDays(today, 25) });
    const registered = await s.register(body);
    await c.clockTo(registered.preReminderAt);
    expect(await s.emails(body.invoiceId, 'pre_reminder')).toHaveLength(1);
    await c.advance('P2D');
    expect(await s.execution(body.invoiceId)).toMatchObject({ currentState: 'Await customer reply', parked: true });

    const newDue = addDays(body.dueDate, 30);
    const patched = await c.patch(body.invoiceId, { dueDate: newDue });
    expect(patched.status, patched.text).toBe(200);
    await c.settle();
    expect(await s.status(body.invoiceId)).toBe('scheduled');
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'RUNNING', currentState: 'Wait until the pre-reminder date', parked: true });

    // The old due date passes: no reminder.
    await c.clockTo(`${addDays(body.dueDate, 3)}T12:00:00.000Z`);
    expect(await s.emails(body.invoiceId, 'reminder')).toEqual([]);
    expect(await s.status(body.invoiceId)).toBe('scheduled');

    await c.clockTo(patched.json.preReminderAt);
    const pre = await s.emails(body.invoiceId, 'pre_reminder');
    expect(pre.map((e) => e.sentAt)).toEqual([registered.preReminderAt, patched.json.preReminderAt]);
    expect(await s.status(body.invoiceId)).toBe('awaiting_reply');
  });

  it('moved earlier so that the pre-reminder time has passed: the pre-reminder leaves at the next send slot', async () => {
    const c = client();
    // Be at 11:00 Paris on a Tuesday, so that today's 09:00 slot has passed.
    let now = await c.now();
    while (weekday(parisDate(now)) !== 2) now = await c.advance('P1D');
    const tuesday = parisDate(now);
    await c.clockTo(parisInstant(tuesday, '11:00'));

    const body = frenchInvoice(invoiceNumber('MOVE'), tuesday, { dueDate: addDays(tuesday, 40) });
    await s.register(body);
    const newDue = addDays(tuesday, 6);
    const patched = await c.patch(body.invoiceId, { dueDate: newDue });
    expect(patched.status, patched.text).toBe(200);
    await c.settle();
    expect(await s.emails(body.invoiceId)).toEqual([]);

    // Next send slot: Wednesday 09:00 Paris.
    const wednesday = addDays(tuesday, 1);
    await c.clockTo(parisInstant(wednesday, '08:59'));
    expect(await s.emails(body.invoiceId)).toEqual([]);
    await c.clockTo(parisInstant(wednesday, '09:00'));
    const emails = await s.emails(body.invoiceId);
    expect(emails.map(kindOf)).toEqual(['pre_reminder']);
    expect(parisDate(emails[0].sentAt)).toBe(wednesday);
    expect(emails[0].sentAt).toBe(parisInstant(wednesday, '09:00'));
    expect(await s.status(body.invoiceId)).toBe('awaiting_reply');
  });
});

describe('cancellation at several points', () => {
  const checkCancelled = async (invoiceId: string, emailsBefore: number) => {
    const c = client();
    await c.settle();
    const invoice = await c.invoice(invoiceId);
    expect(invoice.status).toBe('cancelled');
    expect(invoice.timeline.map((t) => t.type)).toContain('cancelled');
    expect(await s.execution(invoiceId)).toMatchObject({ status: 'SUCCEEDED', currentState: 'Cancelled', parked: false });
    await c.advance('P60D');
    expect(await s.emails(invoiceId)).toHaveLength(emailsBefore);
    // Cancelling again is harmless; money paid on a cancelled invoice is recorded, as a credit balance, and the team told.
    expect((await c.cancel(invoiceId)).status).toBe(200);
    const late = await c.pay(invoiceId, invoice.amount, 'late-payment-after-cancel', parisDate(await c.now()));
    expect(late.status).toBe(200);
    expect(late.json).toMatchObject({ status: 'cancelled', creditBalance: invoice.amount });
    await c.settle();
    const notices = (await s.emails(invoiceId)).filter((email) => email.subject.includes('Paiement sur une facture annulée'));
    expect(notices).toHaveLength(1);
    expect(await s.emails(invoiceId)).toHaveLength(emailsBefore + 1);
  };

  it('before the pre-reminder', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('CANC'), today, { dueDate: addDays(today, 30) });
    await s.register(body);
    await c.advance('P1D');
    const cancelled = await c.cancel(body.invoiceId, 'Avoir n° AV-2027-007');
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json.status).toBe('cancelled');
    await checkCancelled(body.invoiceId, 0);
  });

  it('while awaiting the reply', async () => {
    const c = client();
    const today = await c.today();
    const body = englishInvoice(invoiceNumber('CANC'), today, { dueDate: addDays(today, 20) });
    const registered = await s.register(body);
    await c.clockTo(registered.preReminderAt);
    await c.advance('PT2H');
    expect(await s.execution(body.invoiceId)).toMatchObject({ currentState: 'Await customer reply', parked: true });
    expect((await c.cancel(body.invoiceId, 'Issued by mistake')).status).toBe(200);
    await checkCancelled(body.invoiceId, 1);
  });

  it('on the overdue ladder, after the first reminder', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('CANC'), today, { dueDate: addDays(today, 20) });
    await s.register(body);
    await c.clockTo(`${addDays(body.dueDate, 4)}T12:00:00.000Z`);
    const sent = await s.emails(body.invoiceId);
    expect(sent.map(kindOf)).toEqual(['pre_reminder', 'reminder']);
    expect(await s.status(body.invoiceId)).toBe('overdue');
    expect(await s.execution(body.invoiceId)).toMatchObject({ currentState: 'Wait for next escalation step', parked: true });
    expect((await c.cancel(body.invoiceId, 'Avoir n° AV-2027-019')).status).toBe(200);
    await checkCancelled(body.invoiceId, 2);
  });
});
