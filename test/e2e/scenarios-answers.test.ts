/**
 * The customer's answers from the links of the pre-reminder, over HTTP on the virtual clock: a mail scanner's
 * pre-fetch changes nothing, a promise (kept, broken, after the due date), a dispute and its resolutions.
 */
import { describe, expect, it } from 'vitest';
import {
  TEAM_EMAIL,
  addDays,
  answerLink,
  customerLinks,
  isTeamEmail,
  kindOf,
  money,
  parisDate,
  sendSlot,
  statementLink,
  useRuntime,
} from './support/client';
import { englishInvoice, frenchInvoice, invoiceNumber, type RegisterBody } from './support/invoices';
import { scenarioHelpers } from './support/scenario';

const START = '2027-01-04T07:00:00.000Z'; // Monday 4 January 2027, 08:00 in Paris
const client = useRuntime(START);
const s = scenarioHelpers(client);

/** Registers an invoice due in `days` days and moves the clock to its pre-reminder; returns the pre-reminder. */
async function atPreReminder(body: RegisterBody) {
  const registered = await s.register(body);
  await client().clockTo(registered.preReminderAt);
  return s.only(body.invoiceId, 'pre_reminder');
}

async function dueIn(days: number, make: typeof frenchInvoice, tag: string, overrides = {}) {
  const today = await client().today();
  return make(invoiceNumber(tag), today, { dueDate: addDays(today, days), ...overrides });
}

describe('a mail scanner, then the customer', () => {
  it('GETs of every link change nothing; the POSTed promise is acknowledged; the payment ends it all', async () => {
    const c = client();
    const body = await dueIn(24, frenchInvoice, 'SCAN');
    const pre = await atPreReminder(body);
    const links = customerLinks(pre);
    expect(links.length).toBeGreaterThanOrEqual(3);
    const page = answerLink(pre);
    const scanned = [...links, page, `${page}?action=promise`, `${page}?action=dispute`, `${page}?action=question`, `${page}?action=pay-now`];

    const before = await c.invoice(body.invoiceId);
    for (let round = 0; round < 2; round++) {
      for (const link of scanned) {
        const reply = await c.open(link);
        expect(reply.status, link).toBe(200);
        expect(reply.headers.get('content-type')).toMatch(/text\/html/);
        expect(reply.text).toContain(body.invoiceId);
      }
    }
    await c.settle();

    const after = await c.invoice(body.invoiceId);
    expect(after.status).toBe('awaiting_reply');
    expect(after.promise).toBeUndefined();
    expect(after.dispute).toBeUndefined();
    const count = (timeline: { type: string }[]) =>
      timeline.reduce<Record<string, number>>((n, t) => ({ ...n, [t.type]: (n[t.type] ?? 0) + 1 }), {});
    // One "page viewed" entry per link today (the answer page and the statement), however many GETs; no answer, no
    // event for the execution.
    expect(new Set(scanned.map((link) => new URL(link).pathname))).toEqual(new Set([new URL(page).pathname, new URL(statementLink(pre)).pathname]));
    expect(count(after.timeline)).toEqual({ ...count(before.timeline), page_viewed: (count(before.timeline).page_viewed ?? 0) + 2 });
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'RUNNING', currentState: 'Await customer reply', parked: true });
    expect(await s.emails(body.invoiceId)).toHaveLength(1);

    // The person answers: payment by transfer two days before the due date.
    const promisedDate = addDays(body.dueDate, -2);
    const answered = await c.answer(page, { action: 'promise', promisedDate, paymentMethod: 'transfer', message: 'Virement programmé.' });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('content-type')).toMatch(/text\/html/);
    await c.settle();

    const promised = await c.invoice(body.invoiceId);
    expect(promised.status).toBe('promised');
    expect(promised.promise).toMatchObject({ date: promisedDate, method: 'transfer', afterDueDate: false, source: 'customer' });
    expect(promised.timeline.filter((t) => t.type === 'promise')).toHaveLength(1);
    const ack = await s.only(body.invoiceId, 'promise_acknowledgement');
    expect(ack.to).toEqual([body.customer.contacts[0].email]);
    expect(ack.subject).toMatch(/^Merci/);
    expect(await s.execution(body.invoiceId)).toMatchObject({ currentState: 'Wait for promised payment', parked: true });

    // Scanning the links again after the answer still changes nothing.
    for (const link of customerLinks(ack)) expect((await c.open(link)).status).toBe(200);
    await c.settle();
    expect(await s.status(body.invoiceId)).toBe('promised');

    await c.clockTo(`${addDays(promisedDate, -1)}T10:00:00.000Z`);
    const paid = await c.pay(body.invoiceId, body.amount, 'VIR-SEPA-2027-88121', addDays(promisedDate, -1));
    expect(paid.json.status).toBe('paid');
    await c.settle();
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'SUCCEEDED', currentState: 'Paid' });
    // Every state it went through acted: the promise went from the wait straight to its acknowledgement, with no check
    // and no Choice in between (six billed transitions).
    expect(await s.statesEntered(body.invoiceId)).toEqual([
      'Wait until the pre-reminder date',
      'Send pre-reminder email',
      'Await customer reply',
      'Acknowledge promise',
      'Wait for promised payment',
      'Paid',
    ]);

    await c.advance('P60D');
    expect((await s.emails(body.invoiceId)).map(kindOf)).toEqual(['pre_reminder', 'promise_acknowledgement']);
    // A POST on the old link of a paid invoice is refused politely.
    const late = await c.answer(page, { action: 'promise', promisedDate: await c.today(), paymentMethod: 'transfer' });
    expect(late.status).toBe(409);
  });
});

describe('promises', () => {
  it('kept: promised before the due date, paid before the promised date → Paid, no reminder', async () => {
    const c = client();
    const body = await dueIn(30, englishInvoice, 'KEPT');
    const pre = await atPreReminder(body);
    const promisedDate = addDays(body.dueDate, -1);
    expect((await c.answer(answerLink(pre), { action: 'promise', promisedDate, paymentMethod: 'transfer' })).status).toBe(200);
    await c.settle();
    expect(await s.status(body.invoiceId)).toBe('promised');
    expect((await s.only(body.invoiceId, 'promise_acknowledgement')).subject).toMatch(/^Thank you/);

    await c.clockTo(`${addDays(promisedDate, -2)}T15:00:00.000Z`);
    expect((await c.pay(body.invoiceId, body.amount, 'FPS-HARBOUR-0042', addDays(promisedDate, -2))).status).toBe(200);
    await c.settle();
    expect(await s.status(body.invoiceId)).toBe('paid');
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'SUCCEEDED', currentState: 'Paid' });
    await c.advance('P30D');
    expect((await s.emails(body.invoiceId)).map(kindOf)).toEqual(['pre_reminder', 'promise_acknowledgement']);
  });

  it('broken: no payment by the promised date + 3 days → a "promise broken" email, then the ladder goes on', async () => {
    const c = client();
    const body = await dueIn(30, frenchInvoice, 'BROKEN');
    const pre = await atPreReminder(body);
    const promisedDate = addDays(body.dueDate, -3);
    await c.answer(answerLink(pre), { action: 'promise', promisedDate, paymentMethod: 'cheque' });
    await c.settle();

    const brokenAt = sendSlot(addDays(promisedDate, 4));
    await c.clockTo(new Date(Date.parse(brokenAt) - 60_000));
    expect(await s.emails(body.invoiceId, 'promise_broken')).toEqual([]);
    expect(await s.status(body.invoiceId)).toBe('promised');

    await c.clockTo(brokenAt);
    const broken = await s.only(body.invoiceId, 'promise_broken');
    expect(broken.sentAt).toBe(brokenAt);
    expect(broken.to).toEqual([body.customer.contacts[0].email]);
    const invoice = await c.invoice(body.invoiceId);
    expect(invoice.timeline.map((t) => t.type)).toContain('promise_broken');
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'RUNNING', currentState: 'Wait for next escalation step', parked: true });

    // The ladder continues: a reminder, at least the minimum gap after the broken-promise email.
    await c.advance('P12D');
    const reminders = await s.emails(body.invoiceId, 'reminder');
    expect(reminders).toHaveLength(1);
    expect(Date.parse(reminders[0].sentAt) - Date.parse(brokenAt)).toBeGreaterThanOrEqual(5 * 86_400_000);
    expect(await s.status(body.invoiceId)).toBe('overdue');
    expect(await s.emails(body.invoiceId, 'promise_broken')).toHaveLength(1);
  });

  it('a promised date after the due date is accepted and flagged; no reminder before it', async () => {
    const c = client();
    const body = await dueIn(25, englishInvoice, 'LATE');
    const pre = await atPreReminder(body);
    const promisedDate = addDays(body.dueDate, 12);
    const answered = await c.answer(answerLink(pre), { action: 'promise', promisedDate, paymentMethod: 'bill_of_exchange' });
    expect(answered.status).toBe(200);
    await c.settle();
    const invoice = await c.invoice(body.invoiceId);
    expect(invoice.status).toBe('promised');
    expect(invoice.promise).toMatchObject({ date: promisedDate, afterDueDate: true });
    expect(invoice.timeline.find((t) => t.type === 'promise')).toMatchObject({ promisedDate, afterDueDate: true });
    expect(await s.emails(body.invoiceId, 'promise_acknowledgement')).toHaveLength(1);

    // The due date passes: the commitment holds, no reminder.
    await c.clockTo(`${addDays(promisedDate, 1)}T12:00:00.000Z`);
    expect((await s.emails(body.invoiceId)).map(kindOf)).toEqual(['pre_reminder', 'promise_acknowledgement']);
    expect((await c.pay(body.invoiceId, body.amount, 'LCR-2027-0311', promisedDate)).status).toBe(200);
    await c.settle();
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'SUCCEEDED', currentState: 'Paid' });
  });
});

describe('disputes', () => {
  /** Registers, sends the pre-reminder, and files a dispute from its link. */
  async function disputed(tag: string, make = frenchInvoice, reason = 'goods_not_received') {
    const c = client();
    const body = await dueIn(22, make, tag);
    const pre = await atPreReminder(body);
    const reply = await c.answer(answerLink(pre), { action: 'dispute', reason, message: 'Livraison incomplète : 2 châssis manquants.' });
    expect(reply.status).toBe(200);
    await c.settle();
    return { body, disputedAt: await c.now() };
  }

  it('notifies the team and acknowledges; no customer reminder while disputed, a team follow-up after 7 days; rejected → back on the ladder', async () => {
    const c = client();
    const { body, disputedAt } = await disputed('DISP');
    expect(await s.status(body.invoiceId)).toBe('disputed');
    const team = await s.only(body.invoiceId, 'team_dispute');
    expect(team.to).toEqual([TEAM_EMAIL]);
    expect(team.text).toContain('2 châssis manquants');
    const ack = await s.only(body.invoiceId, 'dispute_acknowledgement');
    expect(ack.to).toEqual([body.customer.contacts[0].email]);
    expect(await s.execution(body.invoiceId)).toMatchObject({ currentState: 'Wait for dispute resolution', parked: true });

    await c.advance('P60D');
    const emails = await s.emails(body.invoiceId);
    const toCustomer = emails.filter((e) => !isTeamEmail(e)).map(kindOf);
    expect(toCustomer).toEqual(['pre_reminder', 'dispute_acknowledgement']);
    const followUps = emails.filter((e) => kindOf(e) === 'team_dispute_follow_up');
    expect(followUps.length).toBeGreaterThanOrEqual(1);
    expect(followUps.every((e) => e.to.includes(TEAM_EMAIL))).toBe(true);
    expect(Date.parse(followUps[0].sentAt) - disputedAt.getTime()).toBeGreaterThanOrEqual(7 * 86_400_000 - 86_400_000);
    expect(parisDate(followUps[0].sentAt) >= addDays(parisDate(disputedAt), 7)).toBe(true);
    expect(await s.status(body.invoiceId)).toBe('disputed');

    const resolved = await c.resolve(body.invoiceId, { outcome: 'rejected', note: 'Bon de livraison signé sans réserve.' });
    expect(resolved.status, resolved.text).toBe(200);
    await c.settle();
    expect(await s.status(body.invoiceId)).toBe('overdue');
    // The ladder resumes at the next send slot.
    await c.advance('P3D');
    const reminders = await s.emails(body.invoiceId, 'reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0].to).toEqual([body.customer.contacts[0].email]);
    expect((await c.invoice(body.invoiceId)).timeline.map((t) => t.type)).toContain('dispute_resolved');
  });

  it('resolved with a credit note → Cancelled, nothing more is sent', async () => {
    const c = client();
    const { body } = await disputed('DISP', englishInvoice, 'defective');
    const before = (await s.emails(body.invoiceId)).length;
    const resolved = await c.resolve(body.invoiceId, { outcome: 'credit_note', note: 'Credit note CN-2027-014' });
    expect(resolved.status, resolved.text).toBe(200);
    await c.settle();
    expect(await s.status(body.invoiceId)).toBe('cancelled');
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'SUCCEEDED', currentState: 'Cancelled' });
    await c.advance('P40D');
    expect(await s.emails(body.invoiceId)).toHaveLength(before);
  });

  it('resolved with a corrected amount → the outstanding amount changes and the reminders state it', async () => {
    const c = client();
    const { body } = await disputed('DISP', frenchInvoice, 'wrong_amount');
    const corrected = { value: 398_000, currency: 'EUR' };
    const resolved = await c.resolve(body.invoiceId, { outcome: 'corrected_amount', correctedAmount: corrected, note: 'Remise de 17 % accordée' });
    expect(resolved.status, resolved.text).toBe(200);
    await c.settle();
    const invoice = await c.invoice(body.invoiceId);
    expect(invoice.outstanding).toEqual(corrected);
    expect(invoice.amount).toEqual(corrected);
    expect(invoice.status).toBe('awaiting_reply');

    await c.clockTo(`${addDays(body.dueDate, 3)}T12:00:00.000Z`);
    const reminder = await s.only(body.invoiceId, 'reminder');
    expect(reminder.text).toContain(money(corrected, 'fr'));
    expect(reminder.text).not.toContain(money(body.amount, 'fr'));
    expect(await s.status(body.invoiceId)).toBe('overdue');
  });
});

describe('the bank-details check', () => {
  it('a match is noted; a mismatch alerts the team at once, once, and the procedure goes on', async () => {
    const c = client();
    const body = await dueIn(24, frenchInvoice, 'BANK');
    const page = answerLink(await atPreReminder(body));

    expect((await c.answer(page, { action: 'bank_details', bankDetails: 'match' })).status).toBe(200);
    await c.settle();
    expect((await s.emails(body.invoiceId)).filter(isTeamEmail)).toEqual([]);

    const differ = await c.answer(page, { action: 'bank_details', bankDetails: 'differ', message: 'Un RIB à un autre nom nous a été envoyé le 3 janvier.' });
    expect(differ.status).toBe(200);
    expect(differ.text).toContain('ne payez rien');
    await c.answer(page, { action: 'bank_details', bankDetails: 'differ', message: 'Un RIB à un autre nom nous a été envoyé le 3 janvier.' });
    await c.settle();

    const alerts = (await s.emails(body.invoiceId)).filter((e) => kindOf(e) === 'team_bank_details');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].to).toEqual([TEAM_EMAIL]);
    expect(alerts[0].sentAt).toBe((await c.now()).toISOString());
    expect(alerts[0].text).toContain('Un RIB à un autre nom');
    const invoice = await c.invoice(body.invoiceId);
    // (The clock stands still, so both entries share an instant: their order is the store's.)
    expect(invoice.timeline.filter((t) => t.type.startsWith('bank_details')).map((t) => t.type).sort()).toEqual(['bank_details_confirmed', 'bank_details_differ']);
    expect(invoice.status).toBe('awaiting_reply');
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'RUNNING', currentState: 'Await customer reply' });
  });
});
