/**
 * The local runtime in-process on a random port, driven over HTTP like a user would: the clock, the outbox, the
 * executions view, API Gateway's authorizer behaviour, and an invoice going to its pre-reminder on the virtual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestJson } from '../../infra/local/http-client';
import { createLocalRuntime, type LocalRuntime } from '../../infra/local/runtime';

const START = new Date('2025-03-03T10:00:00.000Z'); // a Monday
const API_KEY = 'local-test-key-0123456789';
let runtime: LocalRuntime;

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return requestJson(method, `${runtime.url}${path}`, { body, headers });
}

const auth = { authorization: `Bearer ${API_KEY}` };

beforeAll(async () => {
  runtime = await createLocalRuntime({ port: 0, apiKey: API_KEY, speed: 0, startAt: START, dailyDigest: false, log: () => undefined });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('local runtime: clock, outbox, executions', () => {
  it('answers the virtual time, starting at startAt', async () => {
    const { status, json } = await call('GET', '/_local/clock');
    expect(status).toBe(200);
    expect(json.now).toBe(START.toISOString());
  });

  it('starts with an empty outbox and no executions', async () => {
    expect((await call('GET', '/_local/outbox')).json).toEqual([]);
    expect((await call('GET', '/_local/executions')).json).toEqual([]);
  });

  it('advances by an ISO 8601 duration and moves to a timestamp, never backwards', async () => {
    const before = Date.parse((await call('GET', '/_local/clock')).json.now);
    const advanced = await call('POST', '/_local/clock', { advance: 'PT36H' });
    expect(advanced.status).toBe(200);
    expect(Date.parse(advanced.json.now) - before).toBe(36 * 3600_000);

    const target = new Date(before + 3 * 86400_000).toISOString();
    const moved = await call('POST', '/_local/clock', { to: target });
    expect(moved.json.now).toBe(target);
    expect((await call('GET', '/_local/clock')).json.now).toBe(target);

    expect((await call('POST', '/_local/clock', { to: START.toISOString() })).status).toBe(400);
    expect((await call('POST', '/_local/clock', { advance: 'ten days' })).status).toBe(400);
    expect((await call('GET', '/_local/clock')).json.now).toBe(target);
  });

  it('adds calendar units on the UTC calendar: a month from 31 January is the end of February', async () => {
    await call('POST', '/_local/clock', { to: '2026-01-31T12:00:00.000Z' });
    expect((await call('POST', '/_local/clock', { advance: 'P1M' })).json.now).toBe('2026-02-28T12:00:00.000Z');
    expect((await call('POST', '/_local/clock', { advance: 'P1Y1W' })).json.now).toBe('2027-03-07T12:00:00.000Z');
  });

  it('refuses a negative duration, leaving the clock where it was', async () => {
    const { now } = (await call('GET', '/_local/clock')).json;
    expect((await call('POST', '/_local/clock', { advance: '-P1D' })).status).toBe(400);
    expect((await call('GET', '/_local/clock')).json.now).toBe(now);
  });

  it('answers 404 for an unknown execution or route', async () => {
    expect((await call('GET', '/_local/executions/nope-r1')).status).toBe(404);
    expect((await call('GET', '/nowhere')).json).toEqual({ message: 'Not Found' });
  });
});

describe('local runtime: API Gateway behaviour', () => {
  it('answers 401 without an Authorization header, like API Gateway (the authorizer is not called)', async () => {
    const { status, json } = await call('POST', '/invoices', { invoiceId: 'X' });
    expect(status).toBe(401);
    expect(json).toEqual({ message: 'Unauthorized' });
  });

  it('answers 403 when the authorizer denies the key', async () => {
    const { status, json } = await call('POST', '/invoices', { invoiceId: 'X' }, { authorization: 'Bearer wrong-key-0123456789' });
    expect(status).toBe(403);
    expect(json).toEqual({ message: 'Forbidden' });
  });

  it('serves the OpenAPI description without a key', async () => {
    const { status, json } = await call('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(json.openapi).toMatch(/^3\./);
    expect(JSON.stringify(json.paths)).toContain('/invoices');
  });

  it('passes an authorized request to the route handler (validation errors are 4xx)', async () => {
    const { status, json } = await call('POST', '/invoices', { invoiceId: 'X' }, auth);
    expect(status).toBe(400);
    expect(json.error.code).toBeTruthy();
  });
});

describe('local runtime: an invoice up to its pre-reminder', () => {
  const invoiceId = 'INV-2025/0042';
  const contact = 'ap@customer.example';

  it('registers an invoice due in 30 days, then sends exactly one pre-reminder when the clock reaches it', async () => {
    const now = new Date((await call('GET', '/_local/clock')).json.now);
    const day = (offset: number) => new Date(now.getTime() + offset * 86400_000).toISOString().slice(0, 10);
    const registered = await call(
      'POST',
      '/invoices',
      {
        invoiceId,
        customer: {
          id: 'C-1',
          name: 'Customer SA',
          language: 'en',
          contacts: [{ name: 'Accounts payable', email: contact }],
        },
        amount: { value: 120_000, currency: 'EUR' },
        issueDate: day(0),
        dueDate: day(30),
      },
      auth,
    );
    expect(registered.status).toBe(201);
    const preReminderAt = Date.parse(registered.json.preReminderAt);
    expect(preReminderAt).toBeGreaterThan(now.getTime());

    await runtime.settle();
    const executions = (await call('GET', '/_local/executions')).json;
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ invoiceId, status: 'RUNNING', name: registered.json.executionName });
    expect(executions[0].currentState).toBe('Wait until the pre-reminder date');

    const history = (await call('GET', `/_local/executions/${encodeURIComponent(executions[0].name)}`)).json;
    // Registered already planned: the execution starts in its first wait, with no Choice before it.
    const entered = history.events.filter((e: any) => e.type === 'StateEntered').map((e: any) => e.state);
    expect(entered).toEqual(['Wait until the pre-reminder date']);

    await call('POST', '/_local/clock', { to: new Date(preReminderAt - 3600_000).toISOString() });
    expect((await call('GET', '/_local/outbox')).json).toEqual([]);

    await call('POST', '/_local/clock', { to: new Date(preReminderAt + 60_000).toISOString() });
    const outbox = (await call('GET', '/_local/outbox')).json as any[];
    const mine = outbox.filter((m) => m.to.includes(contact));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ invoiceId, to: [contact] });
    // Sent exactly at the pre-reminder time on the virtual clock.
    expect(Date.parse(mine[0].sentAt)).toBe(preReminderAt);
    expect(mine[0].links.some((link: string) => link.startsWith(`${runtime.url}/r/`))).toBe(true);
    expect(mine[0].subject).toBeTruthy();

    const after = (await call('GET', '/_local/executions')).json[0];
    expect(after).toMatchObject({ status: 'RUNNING', currentState: 'Await customer reply', parked: true });

    // The customer's link opens a page (GET never changes state).
    const link = mine[0].links.find((l: string) => l.startsWith(`${runtime.url}/r/`));
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('shows the email in the SES emulator too', async () => {
    const response = await fetch(`${runtime.mailViewerUrl}store`);
    const store = (await response.json()) as { emails: { destination: { to: string[] } }[] };
    expect(store.emails.some((e) => e.destination.to.includes(contact))).toBe(true);
  });
});
