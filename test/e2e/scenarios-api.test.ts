/**
 * The billing API as a billing system meets it, over HTTP: idempotent registration under concurrency, clear 4xx
 * errors for bad input (and nothing created), API keys, and customer links that are forged or expired.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays, answerLink, useRuntime } from './support/client';
import { englishInvoice, frenchInvoice, invoiceNumber } from './support/invoices';
import { scenarioHelpers } from './support/scenario';

const START = '2027-01-04T07:00:00.000Z'; // Monday 4 January 2027, 08:00 in Paris
const client = useRuntime(START);
const s = scenarioHelpers(client);

describe('idempotent registration', () => {
  it('10 concurrent identical POSTs → one 201, nine 200 with the same body, one execution; same id, other body → 409', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('IDEM'), today, { dueDate: addDays(today, 30) });
    const replies = await Promise.all(Array.from({ length: 10 }, () => c.register(body)));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const created = replies.find((r) => r.status === 201)!;
    for (const reply of replies) expect(reply.json).toEqual(created.json);
    expect(created.json).toMatchObject({ invoiceId: body.invoiceId, status: 'scheduled', executionName: `${body.invoiceId.replace(/[^0-9A-Za-z_-]/g, '_')}-r1` });
    await c.settle();
    expect(await c.executionsOf(body.invoiceId)).toHaveLength(1);
    const invoice = await c.invoice(body.invoiceId);
    expect(invoice.timeline.filter((t) => t.type === 'registered')).toHaveLength(1);

    // Later, the same body again: still 200 and the same invoice.
    await c.advance('P1D');
    const replay = await c.register(body);
    expect(replay.status).toBe(200);
    expect(replay.json.invoiceId).toBe(body.invoiceId);

    const conflict = await c.register({ ...body, amount: { value: 481_251, currency: 'EUR' } });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.code).toBeTruthy();
    expect(conflict.json.error.message).toBeTruthy();
    expect((await c.invoice(body.invoiceId)).amount.value).toBe(body.amount.value);
    expect(await c.executionsOf(body.invoiceId)).toHaveLength(1);
    await c.cancel(body.invoiceId);
    await c.settle();
  });
});

describe('bad input → 4xx JSON errors, nothing created', () => {
  const cases: [string, (id: string, today: string) => { raw?: string; body?: unknown; headers?: Record<string, string> }, number][] = [
    ['malformed JSON', (id) => ({ raw: `{"invoiceId": "${id}", "customer": {`, headers: { 'content-type': 'application/json' } }), 400],
    ['an unreal due date (30 February)', (id, today) => ({ body: frenchInvoice(id, today, { dueDate: '2027-02-30' }) }), 400],
    ['an unreal issue date (2027-13-01)', (id, today) => ({ body: frenchInvoice(id, today, { issueDate: '2027-13-01' }) }), 400],
    ['a negative amount', (id, today) => ({ body: frenchInvoice(id, today, { amount: { value: -12_000, currency: 'EUR' } }) }), 400],
    ['a fractional amount', (id, today) => ({ body: frenchInvoice(id, today, { amount: { value: 120.5, currency: 'EUR' } }) }), 400],
    ['an unknown currency', (id, today) => ({ body: englishInvoice(id, today, { amount: { value: 12_000, currency: 'XYZ' } }) }), 400],
    ['no contacts', (id, today) => ({ body: englishInvoice(id, today, { customer: { contacts: [] } }) }), 400],
    ['a due date before the issue date', (id, today) => ({ body: frenchInvoice(id, today, { dueDate: addDays(today, -1) }) }), 400],
    ['a text/plain body', (id, today) => ({ raw: JSON.stringify(frenchInvoice(id, today)), headers: { 'content-type': 'text/plain' } }), 415],
  ];

  for (const [name, make, expected] of cases) {
    it(`rejects ${name} with ${expected}`, async () => {
      const c = client();
      const today = await c.today();
      const id = invoiceNumber('BAD');
      const { raw, body, headers } = make(id, today);
      const reply = await c.request('POST', '/invoices', { ...(raw !== undefined ? { raw } : { body }), headers });
      expect(reply.status, reply.text).toBe(expected);
      expect(reply.headers.get('content-type')).toMatch(/application\/json/);
      expect(reply.json.error.code).toMatch(/^[a-z_]+$/);
      expect(reply.json.error.message).toBeTruthy();
      if (expected === 400 && raw === undefined) {
        expect(Array.isArray(reply.json.error.details)).toBe(true);
        expect(reply.json.error.details.length).toBeGreaterThan(0);
        expect(reply.json.error.details[0]).toMatchObject({ path: expect.any(String), message: expect.any(String) });
      }
      expect((await c.get(id)).status).toBe(404);
      await c.settle();
      expect(await c.executionsOf(id)).toEqual([]);
    });
  }

  it('rejects an oversize invoice id (65 characters) without creating anything', async () => {
    const c = client();
    const today = await c.today();
    const id = `F-${'9'.repeat(63)}`;
    const reply = await c.register(frenchInvoice(id, today));
    expect(reply.status).toBe(400);
    expect(reply.json.error.details.some((d: { path: string }) => d.path === 'invoiceId')).toBe(true);
    expect((await c.get(id)).status).toBeGreaterThanOrEqual(400);
    expect((await c.get(id)).status).toBeLessThan(500);
    await c.settle();
    expect(await c.executionsOf(id)).toEqual([]);
  });

  it('names every problem of a body at once in the details', async () => {
    const c = client();
    const today = await c.today();
    const body = englishInvoice(invoiceNumber('BAD'), today, { amount: { value: -1, currency: 'ABC' }, dueDate: '2027-02-29' });
    const reply = await c.register(body);
    expect(reply.status).toBe(400);
    const paths = reply.json.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['amount.value', 'amount.currency', 'dueDate']));
  });
});

describe('API keys and unknown invoices', () => {
  it('no key → 401, wrong key → 403, for every billing route; nothing created', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('AUTH'), today);
    expect((await c.register(body, { auth: false })).status).toBe(401);
    expect((await c.register(body, { auth: 'not-the-key-0123456789abcdef' })).status).toBe(403);
    expect((await c.request('GET', `/invoices/${body.invoiceId}`, { auth: false })).status).toBe(401);
    expect((await c.request('GET', `/invoices/${body.invoiceId}`, { auth: 'wrong' })).status).toBe(403);
    expect((await c.request('POST', `/invoices/${body.invoiceId}/payments`, { body: { amount: body.amount, paidAt: today, reference: 'x' }, auth: false })).status).toBe(401);
    expect((await c.get(body.invoiceId)).status).toBe(404);
    await c.settle();
    expect(await c.executionsOf(body.invoiceId)).toEqual([]);
  });

  it('a payment, cancel, patch or resolution on an unknown invoice → 404 JSON', async () => {
    const c = client();
    const id = invoiceNumber('NONE');
    const today = await c.today();
    for (const reply of [
      await c.pay(id, { value: 1000, currency: 'EUR' }, 'VIR-UNKNOWN', today),
      await c.cancel(id),
      await c.patch(id, { dueDate: addDays(today, 30) }),
      await c.resolve(id, { outcome: 'rejected' }),
      await c.evidence(id),
    ]) {
      expect(reply.status, reply.text).toBe(404);
      expect(reply.json.error.code).toBeTruthy();
    }
  });
});

describe('customer links', () => {
  it('a forged token (random 32 characters) or a malformed one → 404 page; an expired link → 410 page', async () => {
    const c = client();
    const forged = randomBytes(24).toString('base64url');
    expect(forged).toHaveLength(32);
    for (const token of [forged, 'not-a-token', 'x'.repeat(200), 'abc%2F..%2Fetc']) {
      const page = await c.open(`${c.url}/r/${token}`);
      expect(page.status, token).toBe(404);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const post = await c.answer(`${c.url}/r/${token}`, { action: 'promise', promisedDate: '2027-03-01', paymentMethod: 'transfer' });
      expect(post.status, token).toBe(404);
    }

    // A real link, kept past its validity (due date + 120 days).
    const today = await c.today();
    const body = englishInvoice(invoiceNumber('LINK'), today, {
      dueDate: addDays(today, 15),
      // One reminder, then a hand-off far away: the invoice stays open past the link expiry, with few timers.
      policy: { ladder: [{ offsetDays: 1, action: 'reminder_email' }, { offsetDays: 200, action: 'hand_off' }] },
    });
    const registered = await s.register(body);
    await c.clockTo(registered.preReminderAt);
    const pre = await s.only(body.invoiceId, 'pre_reminder');
    const link = answerLink(pre);
    expect((await c.open(link)).status).toBe(200);

    await c.clockTo(`${addDays(body.dueDate, 121)}T12:00:00.000Z`);
    const expired = await c.open(link);
    expect(expired.status).toBe(410);
    expect(expired.headers.get('content-type')).toMatch(/text\/html/);
    const post = await c.answer(link, { action: 'promise', promisedDate: await c.today(), paymentMethod: 'transfer' });
    expect(post.status).toBe(410);
    expect((await c.invoice(body.invoiceId)).promise).toBeUndefined();
  });
});

describe('supporting documents', () => {
  it('keep a file attached by the billing system, once, in the documents bucket, named on the invoice', async () => {
    const c = client();
    const today = await c.today();
    const body = frenchInvoice(invoiceNumber('DOCS'), today, { dueDate: addDays(today, 30) });
    await s.register(body);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048)]);
    const upload = { kind: 'delivery_proof', filename: 'Bon de livraison 118.pdf', contentType: 'application/pdf', content: pdf.toString('base64') };
    const path = `/invoices/${encodeURIComponent(body.invoiceId)}/documents`;

    const first = await c.request('POST', path, { body: upload });
    expect(first.status).toBe(201);
    expect(first.json.documents).toEqual([expect.objectContaining({ kind: 'delivery_proof', filename: 'Bon de livraison 118.pdf', size: pdf.byteLength })]);
    expect((await c.request('POST', path, { body: upload })).status).toBe(200);
    expect((await c.request('POST', path, { body: { ...upload, content: 'not base64!' } })).status).toBe(400);

    const invoice = await c.invoice(body.invoiceId);
    const entry = invoice.timeline.filter((t) => t.type === 'document_attached');
    expect(entry).toHaveLength(1);
    const key = `invoices/${encodeURIComponent(body.invoiceId)}/documents/${entry[0].sha256}/${encodeURIComponent(upload.filename)}`;
    const stored = await c.documentBytes(key);
    expect(Buffer.from(stored.body).equals(pdf)).toBe(true);
    expect(stored.contentType).toBe('application/pdf');
  });
});

describe('GET /invoices', () => {
  it("pages through a customer's invoices with its filters, and refuses a cursor of other filters or a bad query", async () => {
    const c = client();
    const today = await c.today();
    const customer = { id: `CUST-LIST-${randomBytes(3).toString('hex')}` };
    const bodies = [10, 40, 20, 30].map((days) => frenchInvoice(invoiceNumber('LIST'), today, { dueDate: addDays(today, days), customer }));
    for (const body of bodies) await s.register(body);
    expect((await c.cancel(bodies[3]!.invoiceId)).status).toBe(200);

    const pages: { invoiceId: string; status: string; dueDate: string }[][] = [];
    let cursor: string | undefined;
    do {
      const reply = await c.request('GET', `/invoices?customerId=${customer.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(reply.status, reply.text).toBe(200);
      pages.push(reply.json.invoices);
      cursor = reply.json.nextCursor;
    } while (cursor);
    // Open ones by due date, then the cancelled one; no timeline in a list.
    expect(pages.flat().map((i) => i.invoiceId)).toEqual([bodies[0], bodies[2], bodies[1], bodies[3]].map((b) => b!.invoiceId));
    expect(pages.flat().every((i) => !('timeline' in i))).toBe(true);

    const due = await c.request('GET', `/invoices?customerId=${customer.id}&dueAfter=${addDays(today, 10)}&dueBefore=${addDays(today, 40)}`);
    expect(due.json.invoices.map((i: { invoiceId: string }) => i.invoiceId)).toEqual([bodies[2]!.invoiceId, bodies[3]!.invoiceId]);
    const cancelled = await c.request('GET', `/invoices?customerId=${customer.id}&status=cancelled`);
    expect(cancelled.json.invoices.map((i: { invoiceId: string }) => i.invoiceId)).toEqual([bodies[3]!.invoiceId]);
    const byStatus = await c.request('GET', `/invoices?status=scheduled&limit=100`);
    expect(byStatus.json.invoices.every((i: { status: string }) => i.status === 'scheduled')).toBe(true);

    const first = await c.request('GET', `/invoices?customerId=${customer.id}&limit=1`);
    for (const query of [
      `customerId=OTHER&limit=1&cursor=${first.json.nextCursor}`,
      'cursor=not-a-cursor',
      // A cursor that decodes to JSON null, and due-date bounds that leave nothing between them.
      `cursor=${Buffer.from('null').toString('base64url')}`,
      `customerId=${customer.id}&dueAfter=${today}&dueBefore=${today}`,
      'limit=0',
      'limit=101',
      'status=late',
      'dueBefore=2027-02-30',
      'colour=blue',
    ]) {
      const reply = await c.request('GET', `/invoices?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.json.error.code, query).toBeTruthy();
    }
    expect((await c.request('GET', '/invoices', { auth: false })).status).toBe(401);
  });
});
