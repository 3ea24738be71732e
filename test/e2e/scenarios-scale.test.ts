/**
 * Month-end, over HTTP on the virtual clock, with the local Step Functions endpoint throttling hard: a burst of
 * registrations is answered at once and every one of them gets its execution once the clock runs; a burst of payments
 * whose wake-ups are throttled still ends every execution; a start whose signal never reached the buffer is found by
 * the reconciliation. Nothing is lost, nothing answers 5xx, nothing lands in the dead-letter queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalRuntime, type LocalRuntime } from '../../infra/local/runtime';
import { addDays, DunningClient } from './support/client';
import { frenchInvoice, invoiceNumber } from './support/invoices';

const START = '2027-03-31T15:00:00.000Z'; // month end, 17:00 in Paris

let runtime: LocalRuntime;
let client: DunningClient;

beforeAll(async () => {
  runtime = await createLocalRuntime({
    port: 0,
    speed: 0,
    startAt: new Date(START),
    dailyDigest: false,
    log: () => undefined,
    // A small region having a bad day: five starts at once, then two per second; one wake-up per second.
    quotas: { startExecution: { rate: 2, burst: 5 }, sendTaskSuccess: { rate: 1, burst: 2 } },
  });
  client = new DunningClient(runtime.url, runtime.apiKey, runtime.endpoints.s3);
});

afterAll(async () => {
  await runtime?.stop();
});

/** Runs the clock a minute at a time until `done` holds or `limitMinutes` pass; resolves with the minutes run. */
async function runClockUntil(done: () => Promise<boolean>, limitMinutes: number): Promise<number> {
  for (let minutes = 0; minutes < limitMinutes; minutes++) {
    if (await done()) return minutes;
    await client.advance('PT1M');
  }
  return limitMinutes;
}

const executionNames = async () => new Set((await client.executions()).map((execution) => execution.name));

async function registerMany(tag: string, count: number): Promise<{ invoiceId: string; executionName: string }[]> {
  const today = await client.today();
  const bodies = Array.from({ length: count }, () => frenchInvoice(invoiceNumber(tag), today, { dueDate: addDays(today, 40) }));
  const replies: { status: number; json: { invoiceId: string; executionName: string } }[] = [];
  // 24 clients at once, as a billing system's month-end batch would.
  for (let i = 0; i < bodies.length; i += 24) replies.push(...(await Promise.all(bodies.slice(i, i + 24).map((body) => client.register(body)))));
  expect(replies.map((reply) => reply.status)).toEqual(Array(count).fill(201));
  return replies.map((reply) => reply.json);
}

describe('a month-end burst against a throttled Step Functions', () => {
  it('answers every registration at once, then starts every execution as the quota allows: none lost, none dead-lettered', async () => {
    const registered = await registerMany('BURST', 120);

    // The clock has not moved: the bucket allowed five starts, the rest wait in the buffer.
    const startedAtOnce = [...(await executionNames())].filter((name) => registered.some((r) => r.executionName === name));
    expect(startedAtOnce.length).toBeLessThanOrEqual(5);
    expect(runtime.quotas.startExecution.throttled).toBeGreaterThan(0);

    const minutes = await runClockUntil(async () => {
      const names = await executionNames();
      return registered.every((r) => names.has(r.executionName));
    }, 60);
    expect(minutes).toBeLessThan(60);
    const executions = await client.executions();
    for (const { executionName } of registered) {
      expect(executions.filter((execution) => execution.name === executionName), executionName).toEqual([
        expect.objectContaining({ status: 'RUNNING', parked: true }),
      ]);
    }
    expect(runtime.signalQueue.deadLetters).toEqual([]);
    expect(runtime.signalQueue.depth).toMatchObject({ visible: 0, inFlight: 0 });
    // Every start's note is forgotten once made: the reconciliation has nothing left to do.
    const sample = await client.invoice(registered[0]!.invoiceId);
    expect(sample.timeline.map((entry) => entry.type)).toContain('execution_started');
  });

  it('ends every execution when a burst of payments meets throttled wake-ups', async () => {
    const registered = await registerMany('PAYS', 30);
    await runClockUntil(async () => {
      const names = await executionNames();
      return registered.every((r) => names.has(r.executionName));
    }, 30);
    const throttledBefore = runtime.quotas.sendTaskSuccess.throttled;
    const today = await client.today();

    const replies = await Promise.all(registered.map(({ invoiceId }) => client.pay(invoiceId, { value: 481_250, currency: 'EUR' }, `VIR-${invoiceId}`, today)));

    expect(replies.map((reply) => reply.status)).toEqual(Array(registered.length).fill(200));
    expect(runtime.quotas.sendTaskSuccess.throttled).toBeGreaterThan(throttledBefore);
    await runClockUntil(async () => {
      const executions = await client.executions();
      return registered.every((r) => executions.find((execution) => execution.name === r.executionName)?.status === 'SUCCEEDED');
    }, 30);
    const executions = await client.executions();
    for (const { executionName } of registered) {
      expect(executions.find((execution) => execution.name === executionName), executionName).toMatchObject({ status: 'SUCCEEDED', currentState: 'Paid' });
    }
    expect(runtime.signalQueue.deadLetters).toEqual([]);
  });

  it('starts, through the reconciliation, the invoices whose start signal never reached the buffer', async () => {
    // The queue refuses everything for a moment (SQS down): registrations still answer 201.
    const handle = runtime.signalQueue.handle.bind(runtime.signalQueue);
    runtime.signalQueue.handle = (_req, res) => {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InternalError', message: 'We encountered an internal error.' }));
    };
    let registered: { invoiceId: string; executionName: string }[];
    try {
      registered = await registerMany('LOST', 3);
    } finally {
      runtime.signalQueue.handle = handle;
    }
    await client.advance('PT30M');
    let names = await executionNames();
    expect(registered.filter((r) => names.has(r.executionName))).toEqual([]);

    // An hour after they were noted, the reconciliation (every ten minutes) signals them again.
    await client.advance('PT45M');
    names = await executionNames();
    expect(registered.filter((r) => !names.has(r.executionName))).toEqual([]);
    const queues = (await client.request('GET', '/_local/queues', { auth: false })).json;
    expect(queues.reconciliationRuns).toBeGreaterThan(0);
  });
});
