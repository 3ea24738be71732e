/**
 * After the due date, over HTTP on the virtual clock: silence all the way to the hand-off to legal, partial payments,
 * and contacts whose address bounces or complains (SES mailbox simulator, events delivered by the local runtime; each
 * twice, as EventBridge may: a redelivery must change nothing).
 */
import { describe, expect, it } from 'vitest';
import { TEAM_EMAIL, addDays, handOffSlot, isTeamEmail, kindOf, money, parisInstant, sendSlot, useRuntime } from './support/client';
import { englishInvoice, frenchInvoice, invoiceNumber } from './support/invoices';
import { scenarioHelpers } from './support/scenario';

const START = '2027-01-04T07:00:00.000Z'; // Monday 4 January 2027, 08:00 in Paris
const client = useRuntime(START, undefined, { sesEventDeliveries: 2 });
const s = scenarioHelpers(client);

describe('silence: the full ladder to legal', () => {
  it('reminder at due + 1, phone-call task at + 8, penalty reminder at + 15, formal notice at + 30, hand-off at + 45 (15 days after the notice at least); each once', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('LADDER'), today, { dueDate: addDays(today, 31) });
    const registered = await s.register(body);
    const due = body.dueDate;
    const expected: [string, string][] = [
      ['pre_reminder', registered.preReminderAt],
      ['reminder', sendSlot(addDays(due, 1))],
      ['team_call_task', sendSlot(addDays(due, 8))],
      ['penalty_reminder', sendSlot(addDays(due, 15))],
      ['formal_notice', sendSlot(addDays(due, 30))],
      // The notice's letter, for the team to post by registered mail: nobody records it here, so the hand-off comes
      // 15 days after the emailed notice.
      ['team_registered_letter', sendSlot(addDays(due, 30))],
      ['team_hand_off', handOffSlot(due)],
    ];
    const sentBy = (instant: number) => expected.filter(([, at]) => Date.parse(at) <= instant).map(([k]) => k);

    // Step through the ladder: one minute before each rung nothing new, at it exactly the new emails of that moment.
    for (const [index, [kind, at]] of expected.entries()) {
      if (expected[index - 1]?.[1] !== at) {
        await c.clockTo(new Date(Date.parse(at) - 60_000));
        expect((await s.emails(body.invoiceId)).map(kindOf), `before ${kind}`).toEqual(sentBy(Date.parse(at) - 60_000));
      }
      await c.clockTo(at);
      const emails = await s.emails(body.invoiceId);
      expect(emails.map(kindOf), `at ${kind}`).toEqual(sentBy(Date.parse(at)));
      expect(emails[index].sentAt).toBe(at);
      if (index === 1) expect(await s.status(body.invoiceId)).toBe('overdue');
    }

    const emails = await s.emails(body.invoiceId);
    const customer = body.customer.contacts[0].email;
    expect(emails.filter((e) => !isTeamEmail(e)).every((e) => e.to.length === 1 && e.to[0] === customer)).toBe(true);
    expect(emails.filter(isTeamEmail).map(kindOf)).toEqual(['team_call_task', 'team_registered_letter', 'team_hand_off']);
    expect(emails.filter(isTeamEmail).every((e) => e.to[0] === TEAM_EMAIL)).toBe(true);

    const reminder = emails.find((e) => kindOf(e) === 'reminder')!;
    expect(reminder.subject).toMatch(/^Rappel/);
    const penalty = emails.find((e) => kindOf(e) === 'penalty_reminder')!;
    expect(penalty.text).toContain('L441-10');
    expect(penalty.text).toContain(money({ value: 4_000, currency: 'EUR' }, 'fr')); // the 40 € recovery indemnity
    expect(penalty.text).toMatch(/12,15\s?%/); // ECB rate + 10 points
    expect(penalty.text).toMatch(/pénalités de retard/i);
    expect(penalty.text).toContain(money(body.amount, 'fr'));
    const notice = emails.find((e) => kindOf(e) === 'formal_notice')!;
    expect(notice.subject).toMatch(/^Mise en demeure/);
    expect(notice.text).toContain(money({ value: 4_000, currency: 'EUR' }, 'fr'));

    const invoice = await c.invoice(body.invoiceId);
    expect(invoice.status).toBe('handed_off');
    expect(invoice.timeline.map((t) => t.type)).toContain('handed_off');
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'SUCCEEDED', currentState: 'Handed off to legal', parked: false });
    // No Choice on the way: each rung sends itself on to its wait, the last one straight to the hand-off, and the
    // hand-off straight to its ending (sixteen billed transitions).
    expect(await s.statesEntered(body.invoiceId)).toEqual([
      'Wait until the pre-reminder date',
      'Send pre-reminder email',
      'Await customer reply',
      'Next escalation step',
      ...Array.from({ length: 5 }, () => ['Wait for next escalation step', 'Carry out escalation step']).flat(),
      'Hand off to legal',
      'Handed off to legal',
    ]);

    const evidence = await c.evidence(body.invoiceId);
    expect(evidence.status).toBe(200);
    expect(evidence.json.invoice).toMatchObject({ invoiceId: body.invoiceId, dueDate: due });
    expect(evidence.json.registration).toMatchObject({ invoiceId: body.invoiceId, purchaseOrder: body.purchaseOrder });
    expect(evidence.json.remindersSent.map((r: { email: string }) => r.email)).toEqual(['pre_reminder', 'reminder', 'penalty_reminder', 'formal_notice']);
    expect(evidence.json.claimAtHandOff).toMatchObject({ principal: body.amount, indemnity: { value: 4_000, currency: 'EUR' } });
    const daysLate = evidence.json.claimAtHandOff.penalties.periods.reduce((n: number, p: { days: number }) => n + p.days, 0);
    expect(daysLate).toBeGreaterThanOrEqual(45);
    // Every email the customer received is kept as sent, both parts and SES's message id, in the documents bucket.
    const sentEntries = invoice.timeline.filter((t) => t.type === 'email_sent' && typeof t.document === 'string');
    expect(sentEntries.map((t) => t.email)).toEqual(['pre_reminder', 'reminder', 'penalty_reminder', 'formal_notice']);
    for (const entry of sentEntries) {
      const copy = await c.document(String(entry.document));
      const email = emails.find((e) => e.messageId === entry.messageId)!;
      expect(copy).toMatchObject({ messageId: entry.messageId, subject: email.subject, text: email.text, to: email.to });
    }
    const types = evidence.json.timeline.map((t: { type: string }) => t.type);
    expect(types).toEqual(expect.arrayContaining(['registered', 'email_sent', 'email_delivered', 'escalation', 'call_task']));

    // Nothing more, ever.
    await c.advance('P60D');
    expect(await s.emails(body.invoiceId)).toHaveLength(expected.length);
  });
});

describe('partial payments', () => {
  it('keep the ladder going on the outstanding amount; a reference posted twice counts once; the rest → Paid', async () => {
    const c = client();
    const today = await c.today();
    const body = englishInvoice(invoiceNumber('PART'), today, { dueDate: addDays(today, 28) });
    const registered = await s.register(body);
    await c.clockTo(registered.preReminderAt);
    await c.advance('P2D');

    const part = { value: 100_000, currency: 'GBP' };
    const first = await c.pay(body.invoiceId, part, 'FPS-7731-A', await c.today());
    expect(first.status, first.text).toBe(200);
    const again = await c.pay(body.invoiceId, part, 'FPS-7731-A', await c.today());
    expect(again.status, again.text).toBe(200);
    await c.settle();
    let invoice = await c.invoice(body.invoiceId);
    expect(invoice.outstanding).toEqual({ value: 139_000, currency: 'GBP' });
    expect(invoice.partiallyPaid).toBe(true);
    expect(invoice.status).toBe('awaiting_reply');
    expect(invoice.timeline.filter((t) => t.type === 'payment')).toHaveLength(1);
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'RUNNING', currentState: 'Await customer reply' });

    // The reminder after the due date asks for the outstanding amount.
    await c.clockTo(sendSlot(addDays(body.dueDate, 1)));
    const reminder = await s.only(body.invoiceId, 'reminder');
    expect(reminder.text).toContain(money({ value: 139_000, currency: 'GBP' }, 'en'));
    expect(await s.status(body.invoiceId)).toBe('overdue');

    await c.advance('P1D');
    const rest = await c.pay(body.invoiceId, { value: 139_000, currency: 'GBP' }, 'FPS-7790-B', await c.today());
    expect(rest.status, rest.text).toBe(200);
    expect(rest.json.status).toBe('paid');
    await c.settle();
    invoice = await c.invoice(body.invoiceId);
    expect(invoice.outstanding.value).toBe(0);
    expect(invoice.timeline.filter((t) => t.type === 'payment')).toHaveLength(2);
    expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'SUCCEEDED', currentState: 'Paid' });
    const count = (await s.emails(body.invoiceId)).length;
    await c.advance('P50D');
    expect(await s.emails(body.invoiceId)).toHaveLength(count);
  });
});

describe('bounces and complaints (SES mailbox simulator)', () => {
  it('a bounced address is suppressed, the team is alerted once, later emails go only to the good contact', async () => {
    const c = client();
    const today = await c.today();
    const good = 'sophie.martin@durand-menuiseries.fr';
    const body = frenchInvoice(invoiceNumber('BOUNCE'), today, {
      dueDate: addDays(today, 26),
      customer: {
        contacts: [
          { name: 'Ancienne adresse', email: 'bounce@simulator.amazonses.com' },
          { name: 'Sophie Martin', email: good },
        ],
      },
    });
    const registered = await s.register(body);
    await c.clockTo(registered.preReminderAt);

    const pre = await s.emails(body.invoiceId, 'pre_reminder');
    expect(pre.map((e) => e.to[0]).sort()).toEqual(['bounce@simulator.amazonses.com', good]);
    const alert = await s.only(body.invoiceId, 'team_contact_bounced');
    expect(alert.to).toEqual([TEAM_EMAIL]);
    expect(alert.text).toContain('bounce@simulator.amazonses.com');
    let invoice = await c.invoice(body.invoiceId);
    expect(invoice.timeline.find((t) => t.type === 'email_bounced')).toMatchObject({ to: 'bounce@simulator.amazonses.com', permanent: true });
    const delivered = invoice.timeline.filter((t) => t.type === 'email_delivered');
    expect(delivered.some((t) => JSON.stringify(t.to).includes(good))).toBe(true);
    // Every event came twice; each is on the timeline once.
    expect(new Set(delivered.map((t) => t.eventId)).size).toBe(delivered.length);

    await c.clockTo(sendSlot(addDays(body.dueDate, 9)));
    const reminders = (await s.emails(body.invoiceId)).filter((e) => kindOf(e) === 'reminder');
    expect(reminders.map((e) => e.to)).toEqual([[good]]);
    expect(await s.emails(body.invoiceId, 'team_contact_bounced')).toHaveLength(1);
    invoice = await c.invoice(body.invoiceId);
    expect(invoice.timeline.filter((t) => t.type === 'email_bounced')).toHaveLength(1);
  });

  it('a complaint suppresses the address too', async () => {
    const c = client();
    const today = await c.today();
    const good = 'ap@harbour-logistics.co.uk';
    const body = englishInvoice(invoiceNumber('COMPLAINT'), today, {
      dueDate: addDays(today, 26),
      customer: {
        contacts: [
          { name: 'Accounts payable', email: good },
          { name: 'Finance director', email: 'complaint@simulator.amazonses.com' },
        ],
      },
    });
    const registered = await s.register(body);
    await c.clockTo(registered.preReminderAt);
    expect(await s.emails(body.invoiceId, 'pre_reminder')).toHaveLength(2);
    const invoice = await c.invoice(body.invoiceId);
    expect(invoice.timeline.filter((t) => t.type === 'email_complaint')).toHaveLength(1);
    expect(await s.emails(body.invoiceId, 'team_contact_bounced')).toHaveLength(1);

    await c.clockTo(parisInstant(addDays(body.dueDate, 3), '12:00'));
    const reminders = await s.emails(body.invoiceId, 'reminder');
    expect(reminders.map((e) => e.to)).toEqual([[good]]);
  });
});
