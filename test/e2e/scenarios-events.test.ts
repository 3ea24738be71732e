/**
 * Events out, over HTTP on the virtual clock: each transition of an invoice reaches the bus once, in order, with the
 * invoice, its customer, its status and the facts (`GET /_local/events`, fed by the table's stream as on AWS).
 */
import { describe, expect, it } from 'vitest';
import { addDays, answerLink, useRuntime } from './support/client';
import { eventViolations } from './support/invariants';
import { frenchInvoice, invoiceNumber } from './support/invoices';
import { scenarioHelpers } from './support/scenario';

const START = '2027-01-04T07:00:00.000Z';
const client = useRuntime(START);
const s = scenarioHelpers(client);

describe('events out', () => {
  it('publish registered, pre-reminder, promise and paid once each, as the timeline says', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('EVT'), today, { dueDate: addDays(today, 20) });
    const registered = await s.register(body);
    await c.clockTo(registered.preReminderAt);
    const [pre] = (await c.outbox(body.invoiceId)).filter((e) => e.links.some((l) => l.includes('/r/')));
    expect((await c.answer(answerLink(pre!), { action: 'promise', promisedDate: addDays(today, 19), paymentMethod: 'transfer' })).status).toBe(200);
    await c.settle();
    expect((await c.pay(body.invoiceId, body.amount, 'VIR-EVT-1', await c.today())).status).toBe(200);
    await c.settle();

    const events = await c.events(body.invoiceId);
    expect(events.map((e) => e['detail-type'])).toEqual(['registered', 'pre_reminder_sent', 'promise', 'paid']);
    for (const event of events) {
      expect(event).toMatchObject({ source: 'dunning', eventBusName: 'dunning-events' });
      expect(event.detail).toMatchObject({ invoiceId: body.invoiceId, customerId: body.customer.id });
      expect(Date.parse(event.time)).toBe(Date.parse(event.detail.at));
    }
    expect(events[2]!.detail).toMatchObject({ promisedDate: addDays(today, 19), method: 'transfer', source: 'customer' });
    expect(events[3]!.detail).toMatchObject({ status: 'paid', reference: 'VIR-EVT-1', outstanding: { value: 0, currency: 'EUR' } });
    expect(eventViolations(await c.invoice(body.invoiceId), events)).toEqual([]);
  });

  it('publish the ladder and the hand-off of an invoice left unpaid', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('EVT-LADDER'), today, { dueDate: addDays(today, 5) });
    await s.register(body);
    await c.advance('P70D');

    const events = await c.events(body.invoiceId);
    const types = events.map((e) => e['detail-type']);
    expect(types).toEqual(expect.arrayContaining(['registered', 'escalation_step', 'formal_notice', 'handed_off']));
    expect(types.indexOf('formal_notice')).toBeLessThan(types.indexOf('handed_off'));
    expect(events.find((e) => e['detail-type'] === 'handed_off')!.detail.status).toBe('handed_off');
    expect(eventViolations(await c.invoice(body.invoiceId), events)).toEqual([]);
  });
});
