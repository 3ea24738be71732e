/**
 * What an attacker, a broken integration or a crowd can send, over HTTP to the local runtime: thousands of malformed
 * and hostile requests on every route (random JSON, wrong types, broken encodings, odd ids, forms), twenty-wide
 * concurrency on every write route, and abuse of API keys and link tokens. Nothing answers a 5xx, every handler
 * error has the documented shape, and a refused request changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../infra/catalog';
import { addDays, answerLink, useRuntime, type DunningClient, type Reply } from './support/client';
import { frenchInvoice, invoiceNumber } from './support/invoices';
import { scenarioHelpers } from './support/scenario';

const START = '2027-01-04T07:00:00.000Z';
const client = useRuntime(START);
const s = scenarioHelpers(client);

/** A handler's error answer, as documented: `{ error: { code, message, details? } }`. */
function expectErrorShape(reply: Reply, what: string) {
  expect(reply.json, what).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
}

async function registered(tag: string) {
  const c = client();
  const today = await c.today();
  const body = frenchInvoice(invoiceNumber(tag), today, { dueDate: addDays(today, 20) });
  const { preReminderAt } = await s.register(body);
  return { body, preReminderAt };
}

/** Values a form or a JSON field may hold, hostile ones included. */
const hostileValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('', ' ', '../..', '%00', '<script>alert(1)</script>', '9999-12-31', '2027-02-30', '-1', '1e309', 'NaN', '__proto__', '{}', 'x'.repeat(70_000)),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('value', 'currency', '__proto__', 'constructor'), fc.oneof(fc.string(), fc.integer())),
);

const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));

const FIELDS = ['invoiceId', 'customer', 'amount', 'issueDate', 'dueDate', 'paidAt', 'reference', 'reason', 'outcome', 'promisedDate', 'correctedAmount', 'contacts', 'note', 'policy', 'paymentMethod', 'action', 'message'];

describe('hostile requests', () => {
  it('get a 4xx with the error shape on every billing route, never a 5xx, and change nothing', async () => {
    const c = client();
    const { body } = await registered('HOSTILE');
    const before = await c.invoice(body.invoiceId);
    const routes = ROUTES.filter((r) => r.auth);
    const paths = fc.constantFrom(body.invoiceId, '..', '.', '%', '%2F', 'a%2Fb', 'x'.repeat(200), '%E0%A4%A', 'F-2027-UNKNOWN');
    const bodies = fc.oneof(
      fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 6 }),
      fc.jsonValue(),
      fc.string().map((text) => ({ raw: text })),
    );
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), paths, bodies, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''), async (route, id, payload, contentType) => {
        requests++;
        const path = route.path.replace('{invoiceId}', id);
        const raw = payload && typeof payload === 'object' && 'raw' in payload ? String((payload as { raw: string }).raw) : JSON.stringify(payload);
        const reply = await c.request(route.method, path, { ...(route.method === 'GET' ? {} : { raw }), headers: contentType ? { 'content-type': contentType } : {} });
        expect(reply.status, `${route.method} ${path} ${raw.slice(0, 200)} → ${reply.text.slice(0, 300)}`).toBeLessThan(500);
        if (reply.status >= 400 && reply.json && typeof reply.json === 'object' && 'error' in reply.json) expectErrorShape(reply, path);
      }),
      { numRuns: 3000 },
    );
    expect(requests).toBe(3000);
    await c.settle();
    // Whatever was refused changed nothing; what was valid by chance (a payment, a cancellation) is on the timeline.
    const after = await c.invoice(body.invoiceId);
    // The entries that were not there before, counted as a multiset: on a clock that stands still they all share one
    // instant, so their order among themselves is the store's, and a position says nothing.
    const earlier = new Map<string, number>();
    for (const entry of before.timeline) earlier.set(JSON.stringify(entry), (earlier.get(JSON.stringify(entry)) ?? 0) + 1);
    const changes = after.timeline
      .filter((entry) => {
        const key = JSON.stringify(entry);
        const left = earlier.get(key) ?? 0;
        earlier.set(key, left - 1);
        return left <= 0;
      })
      .map((t) => t.type);
    expect(changes.every((type) => ['payment', 'cancelled', 'contacts_changed', 'due_date_changed', 'call_outcome', 'team_notified'].includes(type)), changes.join(', ')).toBe(true);
  }, 300_000);

  it('get a form error or a 4xx page on the customer page, never a 5xx', async () => {
    const c = client();
    const { body, preReminderAt } = await registered('FORM');
    await c.clockTo(preReminderAt);
    const link = answerLink(await s.only(body.invoiceId, 'pre_reminder'));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('action', 'promisedDate', 'paymentMethod', 'reason', 'message', 'contactName', 'contactEmail', '__proto__'), hostileValue.map(asText), { maxKeys: 5 }), async (form) => {
        const reply = await c.answer(link, form);
        expect(reply.status, `${JSON.stringify(form).slice(0, 300)} → ${reply.text.slice(0, 200)}`).toBeLessThan(500);
        expect(reply.headers.get('content-type')).toMatch(/text\/html/);
      }),
      { numRuns: 300 },
    );
  }, 300_000);

  it('answers an unknown, malformed or forged link token with a 404 page, whatever it looks like', async () => {
    const c = client();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ minLength: 1 }), fc.base64String({ minLength: 32, maxLength: 32 }), fc.constantFrom('x'.repeat(32), '%00', '..', '%2e%2e')), async (token) => {
        const reply = await c.open(`${c.url}/r/${encodeURIComponent(token)}`);
        expect([404, 410]).toContain(reply.status);
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it('answers a missing, malformed or unknown API key as API Gateway does, before any handler runs', async () => {
    const c = client();
    const { body } = await registered('AUTH');
    const headers = ['', 'Bearer', 'Bearer short', `Bearer ${'k'.repeat(300)}`, 'Basic dXNlcjpwYXNz', `Bearer ${c.apiKey}x`, `bearer  ${c.apiKey} extra`];
    for (const authorization of headers) {
      const reply = await c.request('POST', `/invoices/${body.invoiceId}/cancel`, { auth: false, body: { reason: 'x' }, headers: authorization ? { authorization } : {} });
      expect([401, 403], authorization).toContain(reply.status);
      expect(reply.json).toEqual({ message: reply.status === 401 ? 'Unauthorized' : 'Forbidden' });
    }
    expect(await s.status(body.invoiceId)).toBe('scheduled');
  });
});

describe('twenty writers at once on each write route', () => {
  const concurrently = (n: number, send: (i: number) => Promise<Reply>) => Promise.all(Array.from({ length: n }, (_, i) => send(i)));

  it('never answer a 5xx, and leave the invoice as one of them left it', async () => {
    const c = client();
    const { body, preReminderAt } = await registered('WIDE');
    await c.clockTo(preReminderAt);
    const link = answerLink(await s.only(body.invoiceId, 'pre_reminder'));
    const today = await c.today();
    const statuses: number[] = [];
    const all = async (n: number, send: (i: number) => Promise<Reply>) => statuses.push(...(await concurrently(n, send)).map((r) => r.status));

    await all(20, (i) => c.patch(body.invoiceId, { dueDate: addDays(body.dueDate, i % 5) }));
    await all(20, (i) => c.callOutcome(body.invoiceId, { outcome: 'no_answer', note: `appel ${i}` }));
    await all(20, (i) => c.answer(link, { action: 'question', message: `Question ${i}` }));
    await all(20, (i) => c.answer(link, { action: 'promise', promisedDate: addDays(today, 1 + (i % 3)), paymentMethod: 'transfer' }));
    await all(20, () => c.answer(link, { action: 'dispute', reason: 'wrong_amount' }));
    await all(20, (i) => c.resolve(body.invoiceId, { outcome: i % 2 ? 'rejected' : 'corrected_amount', correctedAmount: { value: 100_000, currency: 'EUR' } }));
    await all(20, () => c.request('POST', `/invoices/${body.invoiceId}/restart`));
    await all(20, (i) => c.pay(body.invoiceId, { value: 1_000, currency: 'EUR' }, `VIR-WIDE-${i}`, today));
    await all(20, () => c.cancel(body.invoiceId, 'Avoir'));

    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    await c.settle();
    const invoice = await c.invoice(body.invoiceId);
    expect(invoice.status).toBe('cancelled');
    expect(invoice.timeline.filter((t) => t.type === 'payment')).toHaveLength(20);
    expect(invoice.timeline.filter((t) => t.type === 'cancelled')).toHaveLength(1);
  }, 120_000);

  it('register one invoice, once, when twenty identical registrations race', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('REG20'), today, { dueDate: addDays(today, 30) });
    const replies = await concurrently(20, () => c.register(body));
    expect(replies.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 201]);
    await c.settle();
    expect(await c.executionsOf(body.invoiceId)).toHaveLength(1);
    await c.cancel(body.invoiceId, 'end of test');
  });
});
