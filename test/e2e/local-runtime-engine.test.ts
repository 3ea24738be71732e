/**
 * The local engine on a small definition with the same shapes as the real one (lambda:invoke with OutputPath
 * $.Payload, a .waitForTaskToken park with TimeoutSecondsPath and a Catch on States.Timeout, retries), driven by the
 * virtual clock: no real sleeping anywhere.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { Activity } from '../../infra/local/activity';
import { LocalEngine, StepFunctionsError } from '../../infra/local/engine';
import { VirtualClock } from '../../infra/local/virtual-clock';

const ARN = 'arn:aws:states:eu-west-3:000000000000:stateMachine:test';
const retry = [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 60, MaxAttempts: 2, BackoffRate: 2 }];
const definition = {
  StartAt: 'Plan',
  States: {
    Plan: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'plan', Payload: { 'state.$': '$' } },
      OutputPath: '$.Payload',
      Retry: retry,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Broken' }],
      Next: 'Park',
    },
    Park: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'park', Payload: { 'state.$': '$', 'taskToken.$': '$$.Task.Token' } },
      TimeoutSecondsPath: '$.wait.seconds',
      ResultPath: '$.woken',
      Retry: retry,
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'Done' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Broken' },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    Broken: { Type: 'Fail', Error: 'Broken', Cause: 'caught' },
  },
};

class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function setup(handlers: Record<string, (payload: any, engine: LocalEngine) => unknown>) {
  const activity = new Activity();
  const clock = new VirtualClock({ startAt: new Date('2025-03-03T10:00:00.000Z'), speed: 0, waitForIdle: () => activity.idle() });
  const calls: { name: string; payload: any }[] = [];
  const engine: LocalEngine = new LocalEngine({
    projectRoot: resolve(__dirname, '../..'),
    stateMachineArn: ARN,
    definition,
    clock,
    activity,
    log: () => undefined,
    invoke: (name, payload) =>
      activity.track(async () => {
        calls.push({ name, payload });
        return handlers[name](payload, engine);
      }),
  });
  const start = (name: string, input: object = { id: name }) =>
    engine.startExecution({ stateMachineArn: ARN, name, input: JSON.stringify(input) });
  const describeExecution = (name: string) => engine.describeExecution(engine.executionArn(name));
  return { activity, clock, engine, calls, start, describeExecution };
}

const plan = (payload: any) => ({ ...payload.state, wait: { seconds: 3600 } });

describe('LocalEngine', () => {
  it('times a park out on the virtual clock, and the definition catches States.Timeout', async () => {
    const t = setup({ plan, park: () => undefined });
    t.start('a-r1');
    await t.clock.settle();
    expect(t.engine.list()[0]).toMatchObject({ status: 'RUNNING', currentState: 'Park', parked: true });
    const park = t.calls.find((c) => c.name === 'park')!;
    expect(park.payload.taskToken).toMatch(/^AQ[A-Za-z0-9+/]+={0,2}$/);
    expect(park.payload.state).toEqual({ id: 'a-r1', wait: { seconds: 3600 } });

    await t.clock.advance(3599_000);
    expect(t.describeExecution('a-r1').status).toBe('RUNNING');
    await t.clock.advance(1000);
    const done = t.describeExecution('a-r1');
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).timeout).toEqual({ Error: 'States.Timeout', Cause: 'States.Timeout' });
    expect(done.stopDate).toEqual(new Date('2025-03-03T11:00:00.000Z'));
    // A token whose wait timed out is gone.
    expect(() => t.engine.sendTaskSuccess({ taskToken: park.payload.taskToken, output: '{}' })).toThrow(/Task Timed Out/);
  });

  it('wakes a park on SendTaskSuccess with the output, and refuses the token afterwards', async () => {
    const t = setup({ plan, park: () => undefined });
    t.start('b-r1');
    await t.clock.settle();
    const token = t.calls.find((c) => c.name === 'park')!.payload.taskToken as string;
    t.engine.sendTaskSuccess({ taskToken: token, output: JSON.stringify({ woken: 'payment' }) });
    await t.clock.settle();
    const done = t.describeExecution('b-r1');
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).woken).toEqual({ woken: 'payment' });
    const code = (f: () => void) => {
      try {
        f();
      } catch (error) {
        return (error as StepFunctionsError).code;
      }
    };
    expect(code(() => t.engine.sendTaskSuccess({ taskToken: token, output: '{}' }))).toBe('TaskTimedOut');
    expect(code(() => t.engine.sendTaskSuccess({ taskToken: 'not a token', output: '{}' }))).toBe('InvalidToken');
    expect(code(() => t.engine.sendTaskSuccess({ taskToken: `AQ${'A'.repeat(400)}==`, output: '{}' }))).toBe('TaskDoesNotExist');
    // No timer left behind.
    expect(t.clock.pending()).toEqual([]);
  });

  it('lets the park handler wake its own token at once (an event was already pending)', async () => {
    const t = setup({
      plan,
      park: (payload, engine) => engine.sendTaskSuccess({ taskToken: payload.taskToken, output: '{"woken":"already_pending"}' }),
    });
    t.start('c-r1');
    await t.clock.settle();
    expect(t.describeExecution('c-r1').status).toBe('SUCCEEDED');
  });

  it('retries a failing handler without sleeping, by its error name, then catches it', async () => {
    let failures = 0;
    const t = setup({
      plan: (payload) => {
        if (failures++ < 1) throw new NamedError('VersionConflict', 'raced');
        return plan(payload);
      },
      park: () => undefined,
    });
    t.start('d-r1');
    await t.clock.settle();
    expect(t.engine.history('d-r1').events.filter((e) => e.type === 'StateRetried')).toHaveLength(1);
    expect(t.describeExecution('d-r1').status).toBe('RUNNING');

    const always = setup({ plan: () => Promise.reject(new NamedError('Boom', 'always')), park: () => undefined });
    always.start('e-r1');
    await always.clock.settle();
    const failed = always.describeExecution('e-r1');
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Broken' });
    const caught = always.engine.history('e-r1').events.find((e) => e.type === 'StateExited' && e.state === 'Plan');
    expect(always.calls.filter((c) => c.name === 'plan')).toHaveLength(3);
    // Caught like on AWS: the Catch's ResultPath carries { Error, Cause } to the next state.
    expect((caught?.output as any).error.Error).toBe('Boom');
    const failedEvents = always.engine.history('e-r1').events.filter((e) => e.type === 'StateFailed');
    expect(failedEvents[0].error).toBe('Boom');
    expect(JSON.parse(String(failedEvents[0].cause))).toMatchObject({ errorType: 'Boom', errorMessage: 'always' });
  });

  it('fails a park whose handler throws, like a failed Lambda invocation', async () => {
    const t = setup({ plan, park: () => Promise.reject(new NamedError('ParkBroken', 'no')) });
    t.start('f-r1');
    await t.clock.settle();
    expect(t.describeExecution('f-r1')).toMatchObject({ status: 'FAILED', error: 'Broken' });
    expect(t.clock.pending()).toEqual([]);
  });

  it('starts a name once: same running input is idempotent, anything else is ExecutionAlreadyExists', async () => {
    const t = setup({ plan, park: () => undefined });
    const first = t.start('g-r1');
    await t.clock.settle();
    expect(t.start('g-r1')).toEqual(first);
    expect(() => t.start('g-r1', { other: true })).toThrow(StepFunctionsError);
    expect(() => t.start('bad name')).toThrow(/Invalid Name/);
    expect(() =>
      t.engine.startExecution({ stateMachineArn: `${ARN}x`, name: 'h', input: '{}' }),
    ).toThrow(/Does Not Exist/);
    t.engine.stopAll();
    await t.activity.idle();
    expect(t.describeExecution('g-r1').status).toBe('ABORTED');
    expect(() => t.start('g-r1')).toThrow(/Already Exists/);
    expect(t.clock.pending()).toEqual([]);
  });

  it('records states entered and exited with inputs and outputs', async () => {
    const t = setup({ plan, park: () => undefined });
    t.start('i-r1');
    await t.clock.settle();
    const history = t.engine.history('i-r1');
    const exited = history.events.find((e) => e.type === 'StateExited' && e.state === 'Plan');
    expect(exited).toMatchObject({ input: { id: 'i-r1' }, output: { id: 'i-r1', wait: { seconds: 3600 } } });
    expect(history.events.map((e) => e.type).slice(0, 3)).toEqual(['ExecutionStarted', 'StateEntered', 'StateExited']);
  });
});
