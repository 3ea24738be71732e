/**
 * EventBridge Scheduler on the virtual clock: a deferred start (invoice whose pre-reminder lies beyond the execution
 * horizon) goes through the AWS SDK to the local Scheduler endpoint, fires on the clock and deletes itself; the daily
 * digest fires on weekdays at 08:00 creditor time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAtExpression } from '../../infra/local/aws-endpoints';
import { createLocalRuntime, nextDigestTime, type LocalRuntime } from '../../infra/local/runtime';

const START = new Date('2025-03-07T10:00:00.000Z'); // a Friday
const API_KEY = 'local-test-key-0123456789';
let runtime: LocalRuntime;

const get = async (path: string) => (await fetch(`${runtime.url}${path}`)).json() as Promise<any>;
const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${runtime.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as any };
};

beforeAll(async () => {
  runtime = await createLocalRuntime({ port: 0, apiKey: API_KEY, speed: 0, startAt: START, log: () => undefined });
});
afterAll(async () => {
  await runtime?.stop();
});

describe('parseAtExpression', () => {
  it('reads at() in UTC by default and in the schedule\'s time zone when given, across a DST change', () => {
    expect(parseAtExpression('at(2027-03-19T08:00:00)').toISOString()).toBe('2027-03-19T08:00:00.000Z');
    expect(parseAtExpression('at(2027-03-19T09:00:30)', 'Europe/Paris').toISOString()).toBe('2027-03-19T08:00:30.000Z');
    expect(parseAtExpression('at(2027-03-29T09:00:00)', 'Europe/Paris').toISOString()).toBe('2027-03-29T07:00:00.000Z');
  });

  it('refuses a time or date that does not exist as a ValidationException', () => {
    expect(() => parseAtExpression('at(2027-02-30T09:00:00)')).toThrow(/Invalid schedule expression/);
    expect(() => parseAtExpression('at(2027-03-19T24:00:00)')).toThrow(/Invalid schedule expression/);
    expect(() => parseAtExpression('cron(0 8 * * ? *)')).toThrow(/only supports at/);
  });
});

describe('nextDigestTime', () => {
  it('is the next weekday at 08:00 in the time zone, DST included', () => {
    expect(nextDigestTime(START, 'Europe/Paris').toISOString()).toBe('2025-03-10T07:00:00.000Z'); // Fri → Mon
    expect(nextDigestTime(new Date('2025-03-31T05:00:00.000Z'), 'Europe/Paris').toISOString()).toBe('2025-03-31T06:00:00.000Z');
    expect(nextDigestTime(new Date('2025-03-31T06:00:00.000Z'), 'Europe/Paris').toISOString()).toBe('2025-04-01T06:00:00.000Z');
  });
});

describe('local runtime: Scheduler and digest', () => {
  it('schedules a far invoice start, fires it on the clock and deletes the schedule', async () => {
    const day = (offset: number) => new Date(START.getTime() + offset * 86400_000).toISOString().slice(0, 10);
    const registered = await post(
      '/invoices',
      {
        invoiceId: 'FAR-1',
        customer: { id: 'C-9', name: 'Far SA', language: 'fr', contacts: [{ name: 'Compta', email: 'compta@far.example' }] },
        amount: { value: 50_000, currency: 'EUR' },
        issueDate: day(0),
        dueDate: day(300),
      },
      { authorization: `Bearer ${API_KEY}` },
    );
    expect(registered.status).toBe(201);
    expect(registered.json.scheduledStartAt).toBeTruthy();
    await runtime.settle();
    expect(await get('/_local/executions')).toEqual([]);
    const { schedules } = await get('/_local/schedules');
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({ GroupName: 'dunning-starts', ActionAfterCompletion: 'DELETE' });

    await post('/_local/clock', { to: registered.json.scheduledStartAt });
    const executions = await get('/_local/executions');
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ invoiceId: 'FAR-1', status: 'RUNNING', name: registered.json.executionName });
    expect(executions[0].startedAt).toBe(new Date(registered.json.scheduledStartAt).toISOString());
    expect((await get('/_local/schedules')).schedules).toEqual([]);
  });

  it('sent no daily digest while nothing needed the team', async () => {
    const digests = ((await get('/_local/outbox')) as any[]).filter((m) => m.tags?.email === 'daily_digest');
    expect(digests).toEqual([]);
  });

  it('sends the daily digest on weekdays at 08:00 Paris time only, listing what needs the team', async () => {
    const now = new Date((await get('/_local/clock')).now);
    const day = (offset: number) => new Date(now.getTime() + offset * 86400_000).toISOString().slice(0, 10);
    const overdue = await post(
      '/invoices',
      {
        invoiceId: 'LATE-1',
        customer: { id: 'C-7', name: 'Late SARL', language: 'fr', contacts: [{ name: 'Compta', email: 'compta@late.example' }] },
        amount: { value: 80_000, currency: 'EUR' },
        issueDate: day(-40),
        dueDate: day(-5),
      },
      { authorization: `Bearer ${API_KEY}` },
    );
    expect(overdue.status).toBe(201);
    await post('/_local/clock', { advance: 'P7D' });

    const digests = ((await get('/_local/outbox')) as any[]).filter((m) => m.tags?.email === 'daily_digest');
    expect(digests.length).toBeGreaterThanOrEqual(4);
    expect(digests.every((d) => d.text.includes('LATE-1'))).toBe(true);
    for (const digest of digests) {
      const at = new Date(digest.sentAt);
      expect([1, 2, 3, 4, 5]).toContain(at.getUTCDay());
      expect(['06:00', '07:00']).toContain(digest.sentAt.slice(11, 16));
    }
  });
});

describe('local runtime: deferred starts and the StartExecution quota', () => {
  let quiet: LocalRuntime;
  beforeAll(async () => {
    // One token every 1,000 seconds: a deferred start that finds the bucket empty has to wait for it.
    quiet = await createLocalRuntime({ port: 0, speed: 0, startAt: START, dailyDigest: false, log: () => undefined, quotas: { startExecution: { rate: 0.001, burst: 1 } } });
  });
  afterAll(async () => {
    await quiet?.stop();
  });

  it('counts deferred starts against the StartExecution quota: an empty bucket delays them, and a start that finds its execution running is dead-lettered, as on AWS', async () => {
    const bucket = quiet.quotas.startExecution;
    const scheduler = quiet.scheduler as unknown as { create(name: string, input: Record<string, unknown>): unknown; deadLetters: { schedule: string; error: string }[] };
    const at = (seconds: number) => new Date(quiet.clock.nowMs() + seconds * 1000).toISOString().slice(0, 19);
    const target = (name: string) => ({
      Arn: 'arn:aws:scheduler:::aws-sdk:sfn:startExecution',
      RoleArn: 'arn:aws:iam::000000000000:role/local-scheduler',
      Input: JSON.stringify({ StateMachineArn: quiet.engine.stateMachineArn, Name: name, Input: JSON.stringify({ invoiceId: 'Q-1', revision: 1, step: 0, phase: 'before_pre_reminder', next: 'plan' }) }),
      RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 185 },
    });
    const executions = () => quiet.engine.list().filter((execution) => execution.name === 'Q-1-r1');
    expect(bucket.take()).toBe(true); // the one token there is

    scheduler.create('start-Q-1-r1', { ScheduleExpression: `at(${at(60)})`, ActionAfterCompletion: 'DELETE', FlexibleTimeWindow: { Mode: 'OFF' }, Target: target('Q-1-r1') });
    await quiet.clock.setTo(new Date(quiet.clock.nowMs() + 120_000));
    expect(bucket.throttled).toBeGreaterThan(0);
    expect(executions()).toEqual([]);
    await quiet.clock.setTo(new Date(quiet.clock.nowMs() + 1_000_000));
    expect(executions()).toHaveLength(1);
    expect(scheduler.deadLetters).toEqual([]);

    // The same name again (its schedule made twice): Step Functions refuses, and the refusal is kept, not dropped.
    scheduler.create('start-Q-1-r1-again', { ScheduleExpression: `at(${at(10)})`, ActionAfterCompletion: 'DELETE', FlexibleTimeWindow: { Mode: 'OFF' }, Target: target('Q-1-r1') });
    await quiet.clock.setTo(new Date(quiet.clock.nowMs() + 1_100_000));
    expect(scheduler.deadLetters).toEqual([{ schedule: 'default/start-Q-1-r1-again', error: expect.stringContaining('ExecutionAlreadyExists') }]);
  });
});
