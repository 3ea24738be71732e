/**
 * One email per customer, over HTTP on the virtual clock: a customer's invoices due for one contact in one slot leave
 * in one email (their executions wake at the same instant and race for it), an invoice paid after its execution
 * planned the email drops out of it, the overdue reminders group the same way, and the statement page linked from
 * every customer email is answered per invoice and all at once.
 */
import { describe, expect, it } from 'vitest';
import { addDays, answerLinks, kindOf, sendSlot, statementLink, useRuntime, type Email } from './support/client';
import { englishInvoice, frenchInvoice, invoiceNumber, type RegisterBody } from './support/invoices';
import { scenarioHelpers } from './support/scenario';

const START = '2027-01-04T07:00:00.000Z'; // Monday 4 January 2027, 08:00 in Paris
const client = useRuntime(START);
const s = scenarioHelpers(client);

let customers = 0;

/** `count` invoices of a new French customer, all for one accounts-payable address, due on `dueDate`. */
async function customerInvoices(count: number, dueDate: string, tag: string): Promise<RegisterBody[]> {
  const id = `CUST-GRP-${++customers}`;
  const today = await client().today();
  const contacts = [{ name: 'Sophie Martin', email: `compta+${id.toLowerCase()}@durand-menuiseries.fr` }];
  return Array.from({ length: count }, (_, i) =>
    frenchInvoice(invoiceNumber(tag), today, { dueDate, amount: { value: 100_000 + i * 1_000, currency: 'EUR' }, customer: { id, contacts } }),
  );
}

const preReminders = (emails: Email[]) => emails.filter((e) => kindOf(e) === 'pre_reminder' || /arrivent à échéance/.test(e.subject));

describe('grouped pre-reminders', () => {
  it("leave as one email per contact, covering exactly the customer's invoices due, beside another customer's own email", async () => {
    const c = client();
    const dueDate = addDays(await c.today(), 30);
    const ours = await customerInvoices(3, dueDate, 'GRP');
    const theirs = englishInvoice(invoiceNumber('GRP-UK'), await c.today(), { dueDate });
    let slot = '';
    for (const body of [...ours, theirs]) slot = (await s.register(body)).preReminderAt;
    await c.clockTo(slot);

    const outbox = await c.outbox();
    const ourEmails = outbox.filter((e) => e.to.includes(ours[0]!.customer.contacts[0]!.email));
    expect(ourEmails, 'one pre-reminder for the contact').toHaveLength(1);
    const [grouped] = ourEmails;
    expect([...grouped!.invoiceIds].sort()).toEqual(ours.map((b) => b.invoiceId).sort());
    expect(grouped!.subject).toMatch(/^3 factures/);
    for (const body of ours) expect(grouped!.text).toContain(body.invoiceId);
    // One answer page per invoice, and the statement.
    expect(answerLinks(grouped!)).toHaveLength(3);
    expect(statementLink(grouped!)).toMatch(/\/r\//);
    // The other customer's invoice has its own email, about it alone.
    const theirEmails = outbox.filter((e) => e.invoiceIds.includes(theirs.invoiceId));
    expect(theirEmails.map((e) => e.invoiceIds)).toEqual([[theirs.invoiceId]]);

    // Each invoice moved on by its own execution, its timeline naming the one email.
    for (const body of ours) {
      const invoice = await c.invoice(body.invoiceId);
      expect(invoice.status, body.invoiceId).toBe('awaiting_reply');
      expect(invoice.timeline.filter((t) => t.type === 'email_sent').map((t) => t.messageId)).toEqual([grouped!.messageId]);
      expect(await s.execution(body.invoiceId)).toMatchObject({ status: 'RUNNING', currentState: 'Await customer reply' });
    }
  });

  it('leave out an invoice paid after its execution planned the email, and one cancelled', async () => {
    const c = client();
    const dueDate = addDays(await c.today(), 30);
    const [kept, paid, cancelled, alsoKept] = await customerInvoices(4, dueDate, 'GRP-PAY');
    let slot = '';
    for (const body of [kept!, paid!, cancelled!, alsoKept!]) slot = (await s.register(body)).preReminderAt;
    await c.clockTo(new Date(Date.parse(slot) - 60_000));
    expect((await c.pay(paid!.invoiceId, paid!.amount, 'VIR-GRP-1', await c.today())).status).toBe(200);
    expect((await c.cancel(cancelled!.invoiceId)).status).toBe(200);
    await c.clockTo(slot);

    const emails = preReminders(await c.outbox()).filter((e) => e.to.includes(kept!.customer.contacts[0]!.email));
    expect(emails.map((e) => [...e.invoiceIds].sort())).toEqual([[kept!.invoiceId, alsoKept!.invoiceId].sort()]);
    expect(emails[0]!.text).not.toContain(paid!.invoiceId);
    expect((await c.invoice(paid!.invoiceId)).status).toBe('paid');
    expect((await c.invoice(cancelled!.invoiceId)).status).toBe('cancelled');
  });
});

describe('grouped overdue reminders', () => {
  it('leave as one email for the invoices left unpaid, stating each one', async () => {
    const c = client();
    const dueDate = addDays(await c.today(), 20);
    const invoices = await customerInvoices(3, dueDate, 'GRP-LATE');
    for (const body of invoices) await s.register(body);
    // Past the pre-reminder and the due date, to the first reminder; one invoice is paid on its due date.
    await c.clockTo(`${dueDate}T10:00:00.000Z`);
    expect((await c.pay(invoices[2]!.invoiceId, invoices[2]!.amount, 'VIR-GRP-2', dueDate)).status).toBe(200);
    await c.clockTo(sendSlot(addDays(dueDate, 8)));
    await c.advance('P7D');

    const address = invoices[0]!.customer.contacts[0]!.email;
    const emails = (await c.outbox()).filter((e) => e.to.includes(address));
    const pre = emails.filter((e) => /arrivent à échéance/.test(e.subject));
    const reminders = emails.filter((e) => /^Rappel/.test(e.subject));
    expect(pre).toHaveLength(1);
    expect(reminders.length).toBeGreaterThanOrEqual(1);
    expect([...reminders[0]!.invoiceIds].sort()).toEqual([invoices[0]!.invoiceId, invoices[1]!.invoiceId].sort());
    expect(reminders[0]!.subject).toMatch(/2 factures/);
    for (const body of invoices.slice(0, 2)) {
      expect((await c.invoice(body.invoiceId)).status).toBe('overdue');
      expect(reminders[0]!.text).toContain(body.invoiceId);
    }
  });
});

describe('the statement page', () => {
  it('is only read by a GET; answers per invoice and "all on one date" reach each invoice; downloads list them', async () => {
    const c = client();
    const dueDate = addDays(await c.today(), 30);
    const [first, second, third] = await customerInvoices(3, dueDate, 'GRP-STMT');
    let slot = '';
    for (const body of [first!, second!, third!]) slot = (await s.register(body)).preReminderAt;
    await c.clockTo(slot);
    const [grouped] = preReminders(await c.outbox()).filter((e) => e.invoiceIds.includes(first!.invoiceId));
    const page = statementLink(grouped!);

    // A scanner, then the person, open it: every open invoice listed, nothing changed.
    for (let i = 0; i < 3; i++) {
      const reply = await c.open(page);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-security-policy')).toBeTruthy();
      for (const body of [first!, second!, third!]) expect(reply.text).toContain(body.invoiceId);
    }
    await c.settle();
    for (const body of [first!, second!, third!]) expect((await c.invoice(body.invoiceId)).status).toBe('awaiting_reply');

    // The downloads.
    const csv = await c.open(`${page}?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    for (const body of [first!, second!, third!]) expect(csv.text).toContain(body.invoiceId);
    const pdf = await fetch(`${page}?format=pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    // A problem with the second invoice, then "we will pay all of these on <date>".
    const disputed = await c.answer(page, { invoiceId: second!.invoiceId, action: 'dispute', reason: 'goods_not_received', message: 'Livraison incomplète.' });
    expect(disputed.status, disputed.text).toBe(200);
    const promisedDate = addDays(dueDate, -1);
    const promised = await c.answer(page, { action: 'promise_all', promisedDate, paymentMethod: 'transfer' });
    expect(promised.status, promised.text).toBe(200);
    await c.settle();

    expect(await c.invoice(first!.invoiceId)).toMatchObject({ status: 'promised', promise: { date: promisedDate, method: 'transfer' } });
    expect(await c.invoice(third!.invoiceId)).toMatchObject({ status: 'promised', promise: { date: promisedDate } });
    const stillDisputed = await c.invoice(second!.invoiceId);
    expect(stillDisputed).toMatchObject({ status: 'disputed', dispute: { reason: 'goods_not_received', status: 'open' } });
    expect(stillDisputed.promise).toBeUndefined();
    // The team heard of the problem; the executions saw the answers.
    expect(await s.execution(first!.invoiceId)).toMatchObject({ currentState: 'Wait for promised payment' });
    expect(await s.execution(second!.invoiceId)).toMatchObject({ currentState: 'Wait for dispute resolution' });
  });

  it('refuses, changing nothing, a date too far for "all", and an invoice that is not this customer\'s', async () => {
    const c = client();
    const dueDate = addDays(await c.today(), 30);
    const [first, second] = await customerInvoices(2, dueDate, 'GRP-BAD');
    const stranger = frenchInvoice(invoiceNumber('GRP-STRANGER'), await c.today(), { dueDate, customer: { id: 'CUST-GRP-OTHER' } });
    let slot = '';
    for (const body of [first!, second!, stranger]) slot = (await s.register(body)).preReminderAt;
    await c.clockTo(slot);
    const [grouped] = preReminders(await c.outbox()).filter((e) => e.invoiceIds.includes(first!.invoiceId));
    const page = statementLink(grouped!);

    const tooFar = await c.answer(page, { action: 'promise_all', promisedDate: addDays(dueDate, 400), paymentMethod: 'transfer' });
    expect(tooFar.status).toBe(400);
    const foreign = await c.answer(page, { invoiceId: stranger.invoiceId, action: 'promise', promisedDate: dueDate });
    expect(foreign.status).toBe(404);
    const unknownAction = await c.answer(page, { invoiceId: first!.invoiceId, action: 'pay_now' });
    expect(unknownAction.status).toBe(400);
    await c.settle();
    for (const body of [first!, second!, stranger]) {
      const invoice = await c.invoice(body.invoiceId);
      expect(invoice.status, body.invoiceId).toBe('awaiting_reply');
      expect(invoice.promise).toBeUndefined();
    }
  });
});
