/**
 * The orders of events that once lost a payment or an email, over HTTP on the virtual clock: racing writers, a
 * payment after the hand-off, a due date moved after the ladder started, promise dates out of bounds, a dispute
 * rejected under an open promise, ids no URL can address, and a link opened a few hundred times.
 */
import { describe, expect, it } from 'vitest';
import { addDays, answerLink, handOffSlot, kindOf, parisDate, sendSlot, useRuntime, type DunningClient } from './support/client';
import { frenchInvoice, invoiceNumber, type RegisterBody } from './support/invoices';
import { scenarioHelpers } from './support/scenario';

const START = '2027-01-04T07:00:00.000Z'; // Monday 4 January 2027, 08:00 in Paris
const client = useRuntime(START);
const s = scenarioHelpers(client);

async function registered(tag: string, dueInDays = 30, overrides = {}): Promise<RegisterBody & { preReminderAt: string }> {
  const today = await client().today();
  const body = frenchInvoice(invoiceNumber(tag), today, { dueDate: addDays(today, dueInDays), ...overrides });
  const { preReminderAt } = await s.register(body);
  return { ...body, preReminderAt };
}

const euros = (value: number) => ({ value, currency: 'EUR' });

describe('racing writers', () => {
  it('counts twenty concurrent partial payments once each, answering none of them with a 5xx', async () => {
    const c = client();
    const body = await registered('RACE', 30, { amount: euros(100_000) });
    const today = await c.today();
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => c.pay(body.invoiceId, euros(1_000), `VIR-RACE-${i}`, today)));

    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
    await c.settle();
    const invoice = await c.invoice(body.invoiceId);
    expect(invoice.outstanding).toEqual(euros(80_000));
    expect(invoice.timeline.filter((t) => t.type === 'payment').map((t) => t.reference).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `VIR-RACE-${i}`).sort(),
    );
  });

  it('answers every one of twenty mixed writers with a 2xx or a meaningful 4xx, and counts each accepted payment once', async () => {
    const c = client();
    const body = await registered('MIX', 20, { amount: euros(50_000) });
    await c.clockTo(body.preReminderAt);
    const link = answerLink(await s.only(body.invoiceId, 'pre_reminder'));
    const today = await c.today();
    const writers: (() => Promise<{ status: number }>)[] = [];
    for (let i = 0; i < 6; i++) writers.push(() => c.pay(body.invoiceId, euros(5_000), `VIR-MIX-${i}`, today));
    for (let i = 0; i < 3; i++) writers.push(() => c.answer(link, { action: 'promise', promisedDate: addDays(today, 5 + i), paymentMethod: 'transfer' }));
    for (let i = 0; i < 3; i++) writers.push(() => c.answer(link, { action: 'question', message: `Question ${i}` }));
    for (let i = 0; i < 3; i++) writers.push(() => c.patch(body.invoiceId, { dueDate: addDays(body.dueDate, i) }));
    for (let i = 0; i < 2; i++) writers.push(() => c.callOutcome(body.invoiceId, { outcome: 'no_answer', note: `call ${i}` }));
    writers.push(() => c.request('POST', `/invoices/${body.invoiceId}/restart`));
    writers.push(() => c.answer(link, { action: 'dispute', reason: 'missing_purchase_order' }));
    writers.push(() => c.cancel(body.invoiceId, 'mistake'));

    const replies = await Promise.all(writers.map((write) => write()));

    expect(replies.filter((r) => r.status >= 500)).toEqual([]);
    await c.settle();
    const invoice = await c.invoice(body.invoiceId);
    const payments = invoice.timeline.filter((t) => t.type === 'payment');
    expect(payments).toHaveLength(6);
    expect(new Set(payments.map((t) => t.reference)).size).toBe(6);
    // Cancelled by the last writer: what was paid became a credit balance, none of it lost.
    expect(invoice.status).toBe('cancelled');
  });
});

describe('a payment after the hand-off', () => {
  it('is recorded: the invoice is paid, the hand-off stays on the record, the evidence and the team know', async () => {
    const c = client();
    const body = await registered('HANDOFF');
    await c.clockTo(handOffSlot(body.dueDate));
    expect(await s.status(body.invoiceId)).toBe('handed_off');
    await c.advance('PT2H');

    const paid = await c.pay(body.invoiceId, body.amount, 'VIR-AFTER-HANDOFF', await c.today());

    expect(paid.status, paid.text).toBe(200);
    expect(paid.json).toMatchObject({ status: 'paid', outstanding: euros(0), handedOffAt: handOffSlot(body.dueDate) });
    await c.settle();
    const types = await s.timelineTypes(body.invoiceId);
    expect(types.indexOf('handed_off')).toBeLessThan(types.lastIndexOf('payment'));
    const evidence = (await c.evidence(body.invoiceId)).json;
    expect(evidence.invoice.status).toBe('paid');
    expect(evidence.atHandOff.status).toBe('handed_off');
    expect(evidence.payments.map((p: { reference: string }) => p.reference)).toEqual(['VIR-AFTER-HANDOFF']);
    const notices = (await s.emails(body.invoiceId)).filter((e) => e.subject.includes('Paiement après transmission au contentieux'));
    expect(notices).toHaveLength(1);
  });
});

describe('a due date moved after the ladder started', () => {
  it('sends the new due date its own pre-reminder and reminder: a new cause, a new email', async () => {
    const c = client();
    const body = await registered('MOVED');
    await c.clockTo(sendSlot(addDays(body.dueDate, 2)));
    expect((await s.emails(body.invoiceId)).map(kindOf)).toEqual(['pre_reminder', 'reminder']);

    const newDue = addDays(body.dueDate, 30);
    expect((await c.patch(body.invoiceId, { dueDate: newDue })).status).toBe(200);
    await c.clockTo(sendSlot(addDays(newDue, 2)));

    expect((await s.emails(body.invoiceId)).map(kindOf)).toEqual(['pre_reminder', 'reminder', 'pre_reminder', 'reminder']);
    const escalations = (await c.invoice(body.invoiceId)).timeline.filter((t) => t.type === 'escalation' && t.step === 1);
    expect(escalations.map((t) => t.emailed)).toEqual([true, true]);
  });
});

describe('promise dates', () => {
  async function atPreReminder(tag: string) {
    const body = await registered(tag, 20);
    await client().clockTo(body.preReminderAt);
    return { body, link: answerLink(await s.only(body.invoiceId, 'pre_reminder')) };
  }

  it('refuses a date already gone on the page, with the form again and nothing changed', async () => {
    const c = client();
    const { body, link } = await atPreReminder('PAST');
    const before = await c.invoice(body.invoiceId);
    const reply = await c.answer(link, { action: 'promise', promisedDate: addDays(await c.today(), -1), paymentMethod: 'transfer' });

    expect(reply.status).toBe(400);
    expect(reply.text).toContain('Cette date est déjà passée');
    await c.settle();
    const after = await c.invoice(body.invoiceId);
    expect(after.promise).toBeUndefined();
    expect(after.timeline.length).toBe(before.timeline.length);
    expect((await s.emails(body.invoiceId)).map(kindOf)).toEqual(['pre_reminder']);
  });

  it('refuses a date beyond the policy\'s limit, pointing to the question form that reaches the team', async () => {
    const c = client();
    const { link } = await atPreReminder('FAR');
    const reply = await c.answer(link, { action: 'promise', promisedDate: '2099-01-01', paymentMethod: 'transfer' });
    expect(reply.status).toBe(400);
    expect(reply.text).toMatch(/J’ai une question/);
    expect(reply.text).toContain('href="#question-message"');
    expect(reply.text).toMatch(/max="\d{4}-\d{2}-\d{2}"/);
  });

  it('refuses the same dates from the operator\'s phone call with a 400 that names the field', async () => {
    const c = client();
    const body = await registered('CALL');
    for (const promisedDate of ['2026-12-31', '2099-06-30']) {
      const reply = await c.callOutcome(body.invoiceId, { outcome: 'promised', promisedDate, paymentMethod: 'transfer' });
      expect(reply.status).toBe(400);
      expect(reply.json.error.details[0].path).toBe('promisedDate');
    }
    expect((await c.callOutcome(body.invoiceId, { outcome: 'promised', promisedDate: '9999-12-31' })).status).toBe(400);
    expect(await s.status(body.invoiceId)).toBe('scheduled');
  });
});

describe('a dispute rejected under an open promise', () => {
  it('puts the promise back: no reminder before the promised date, the promise broken after it', async () => {
    const c = client();
    const body = await registered('PROMDISP', 20);
    await c.clockTo(body.preReminderAt);
    const link = answerLink(await s.only(body.invoiceId, 'pre_reminder'));
    const promisedDate = addDays(body.dueDate, 10);
    expect((await c.answer(link, { action: 'promise', promisedDate, paymentMethod: 'transfer' })).status).toBe(200);
    expect((await c.answer(link, { action: 'dispute', reason: 'missing_purchase_order' })).status).toBe(200);
    await c.settle();
    expect((await c.resolve(body.invoiceId, { outcome: 'rejected', note: 'PO sent again' })).status).toBe(200);
    await c.settle();
    expect(await s.status(body.invoiceId)).toBe('promised');

    await c.clockTo(sendSlot(addDays(promisedDate, 1)));
    expect((await s.emails(body.invoiceId)).map(kindOf).filter((k) => !k.startsWith('team_'))).toEqual([
      'pre_reminder',
      'promise_acknowledgement',
      'dispute_acknowledgement',
      'dispute_outcome',
    ]);
    await c.clockTo(sendSlot(addDays(promisedDate, 5)));
    expect((await s.emails(body.invoiceId)).map(kindOf)).toContain('promise_broken');
  });
});

describe('inputs no execution can take', () => {
  it('refuses the ids "." and "..", which no URL path can address', async () => {
    const c = client();
    const today = await c.today();
    for (const invoiceId of ['.', '..']) {
      const reply = await c.register(frenchInvoice(invoiceId, today));
      expect(reply.status).toBe(400);
      expect(reply.json.error.details[0].path).toBe('invoiceId');
    }
  });

  it('refuses a payment dated to come, and records an overpayment as a credit balance', async () => {
    const c = client();
    const body = await registered('OVER', 30, { amount: euros(10_000) });
    const today = await c.today();
    expect((await c.pay(body.invoiceId, euros(10_000), 'VIR-FUTURE', addDays(today, 1))).status).toBe(400);
    expect((await c.pay(body.invoiceId, euros(10_000), 'VIR-FUTURE', '2030-01-01')).status).toBe(400);
    const over = await c.pay(body.invoiceId, euros(999_999), 'VIR-OVER', today);
    expect(over.json).toMatchObject({ status: 'paid', creditBalance: euros(989_999) });
  });

  it('refuses a due date years away at registration and on a change', async () => {
    const c = client();
    const today = await c.today();
    const far = frenchInvoice(invoiceNumber('FAR-DUE'), today, { dueDate: '2035-01-31' });
    expect((await c.register(far)).status).toBe(400);
    const body = await registered('FAR-PATCH');
    expect((await c.patch(body.invoiceId, { dueDate: '2099-12-31' })).status).toBe(400);
    expect((await c.invoice(body.invoiceId)).dueDate).toBe(body.dueDate);
  });
});

describe('a link opened a few hundred times', () => {
  it('adds one timeline entry a day, and the hand-off after it still writes its evidence', async () => {
    const c: DunningClient = client();
    const body = await registered('FLOOD', 20);
    await c.clockTo(body.preReminderAt);
    const link = answerLink(await s.only(body.invoiceId, 'pre_reminder'));
    for (let batch = 0; batch < 10; batch++) {
      const replies = await Promise.all(Array.from({ length: 30 }, () => c.open(link)));
      expect(replies.every((r) => r.status === 200)).toBe(true);
    }
    await c.advance('P1D');
    await c.open(link);
    const views = (await c.invoice(body.invoiceId)).timeline.filter((t) => t.type === 'page_viewed');
    const first = parisDate(body.preReminderAt);
    expect(views.map((t) => parisDate(t.at))).toEqual([first, addDays(first, 1)]);

    await c.clockTo(handOffSlot(body.dueDate));
    expect(await s.status(body.invoiceId)).toBe('handed_off');
    expect((await c.evidence(body.invoiceId)).status).toBe(200);
  });
});
