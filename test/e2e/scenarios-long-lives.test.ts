/**
 * An invoice followed for longer than one Step Functions execution may live: a dispute left open for fourteen months.
 * Before the year is out the execution hands the invoice to a new revision that plans from the record, the team's
 * follow-ups go on without a gap or a double, and a payment made then ends the new revision.
 */
import { describe, expect, it } from 'vitest';
import { addDays, answerLink, kindOf, TEAM_EMAIL, useRuntime } from './support/client';
import { frenchInvoice, invoiceNumber } from './support/invoices';
import { scenarioHelpers } from './support/scenario';

const START = '2027-01-04T07:00:00.000Z'; // Monday 4 January 2027, 08:00 in Paris
const client = useRuntime(START);
const s = scenarioHelpers(client);

describe('a dispute open for fourteen months', () => {
  it('continues as a new revision before the year is out, losing no follow-up and no event, then ends on the payment', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('LONG'), today, { dueDate: addDays(today, 22) });
    const registered = await s.register(body);
    await c.clockTo(registered.preReminderAt);
    const reply = await c.answer(answerLink(await s.only(body.invoiceId, 'pre_reminder')), { action: 'dispute', reason: 'defective', message: 'Châssis fendus.' });
    expect(reply.status).toBe(200);
    await c.settle();
    const disputedAt = await c.now();

    // Fourteen months, a month at a time: nobody resolves the dispute.
    for (let month = 0; month < 14; month++) await c.advance('P1M');

    const executions = (await c.executionsOf(body.invoiceId)).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    expect(executions.map((e) => [e.name, e.status, e.currentState])).toEqual([
      [`${body.invoiceId}-r1`, 'SUCCEEDED', 'Continued as a new revision'],
      [`${body.invoiceId}-r2`, 'RUNNING', 'Wait for dispute resolution'],
    ]);
    const [first, second] = executions;
    // The first lived less than a year; the second took over at once.
    expect(Date.parse(first!.stoppedAt!) - Date.parse(first!.startedAt)).toBeLessThan(365 * 86_400_000);
    expect(Date.parse(second!.startedAt) - Date.parse(first!.stoppedAt!)).toBeLessThan(3_600_000);
    expect((await c.execution(first!.name)).events.length).toBeLessThan(25_000);

    const invoice = await c.invoice(body.invoiceId);
    expect(invoice).toMatchObject({ status: 'disputed', executionName: `${body.invoiceId}-r2` });
    expect(invoice.timeline.filter((t) => t.type === 'execution_continued')).toHaveLength(1);
    expect(invoice.timeline.map((t) => t.type)).not.toContain('needs_attention');
    // A follow-up to the team every seven days or so all along, across the hand-over: none missing, none twice.
    const followUps = (await s.emails(body.invoiceId)).filter((e) => kindOf(e) === 'team_dispute_follow_up');
    expect(followUps.every((e) => e.to.includes(TEAM_EMAIL))).toBe(true);
    const sent = followUps.map((e) => Date.parse(e.sentAt)).sort((a, b) => a - b);
    expect(sent.length).toBeGreaterThanOrEqual(Math.floor((Date.parse((await c.now()).toISOString()) - disputedAt.getTime()) / (7 * 86_400_000)) - 4);
    for (let i = 1; i < sent.length; i++) {
      const gapDays = (sent[i]! - sent[i - 1]!) / 86_400_000;
      expect(gapDays, `follow-up ${i}`).toBeGreaterThanOrEqual(5);
      expect(gapDays, `follow-up ${i}`).toBeLessThanOrEqual(11);
    }
    // Nothing to the customer while the dispute is open, in either revision.
    expect((await s.emails(body.invoiceId)).filter((e) => !e.to.includes(TEAM_EMAIL)).map(kindOf)).toEqual(['pre_reminder', 'dispute_acknowledgement']);

    // The payment reaches the second revision, which ends.
    const paid = await c.pay(body.invoiceId, body.amount, 'VIR-LONG', await c.today());
    expect(paid.status).toBe(200);
    await c.settle();
    expect((await c.executionsOf(body.invoiceId)).find((e) => e.name === `${body.invoiceId}-r2`)).toMatchObject({ status: 'SUCCEEDED', currentState: 'Paid' });
    expect(await s.status(body.invoiceId)).toBe('paid');
  });
});
