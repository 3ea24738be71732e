import {
  ConflictException,
  CreateScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsWorkflow, scheduleName } from '../../../shared/adapters/aws-workflow';

const sfn = mockClient(SFNClient);
const scheduler = mockClient(SchedulerClient);

const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-3:123456789012:stateMachine:invoice-dunning';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/dunning-scheduler';
const meta = { $metadata: {} };

function workflow(options: Partial<ConstructorParameters<typeof AwsWorkflow>[2]> = {}) {
  return new AwsWorkflow(new SFNClient({}), new SchedulerClient({}), {
    stateMachineArn: STATE_MACHINE_ARN,
    schedulerRoleArn: ROLE_ARN,
    schedulerGroupName: 'dunning',
    ...options,
  });
}

beforeEach(() => {
  sfn.reset();
  scheduler.reset();
});

describe('AwsWorkflow.start', () => {
  it('starts the named execution with the JSON input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
    await workflow().start('F-2027-0042-r1', { invoiceId: 'F-2027-0042', revision: 1 });
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({
      stateMachineArn: STATE_MACHINE_ARN,
      name: 'F-2027-0042-r1',
      input: '{"invoiceId":"F-2027-0042","revision":1}',
    });
  });

  it('treats an existing execution of that name as already started, and says so (false), not as an error', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', ...meta }));
    await expect(workflow().start('F-2027-0042-r1', {})).resolves.toBe(false);
  });

  it('rethrows other errors', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(workflow().start('F-2027-0042-r1', {})).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('AwsWorkflow.status', () => {
  it('describes the execution of that name on this state machine', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED', ...meta } as never);
    expect(await workflow().status('F-2027-0042-r1')).toBe('FAILED');
    expect(sfn.commandCalls(DescribeExecutionCommand)[0].args[0].input).toEqual({
      executionArn: 'arn:aws:states:eu-west-3:123456789012:execution:invoice-dunning:F-2027-0042-r1',
    });
  });

  it('answers undefined for an execution that was never started', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no such execution', ...meta }));
    expect(await workflow().status('F-2027-0042-r1')).toBeUndefined();
  });
});

describe('AwsWorkflow.wake', () => {
  it('completes the parked task with the JSON output', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    expect(await workflow().wake('AAAA+token/==', { event: 'payment' })).toBe(true);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input).toEqual({
      taskToken: 'AAAA+token/==',
      output: '{"event":"payment"}',
    });
  });

  it.each([
    ['TaskTimedOut', new TaskTimedOut({ message: 'Task Timed Out', ...meta })],
    ['InvalidToken', new InvalidToken({ message: 'Invalid Token', ...meta })],
    ['TaskDoesNotExist', new TaskDoesNotExist({ message: 'Task does not exist', ...meta })],
  ])('resolves false when the token is no longer waiting (%s)', async (_name, error) => {
    sfn.on(SendTaskSuccessCommand).rejects(error);
    expect(await workflow().wake('token', {})).toBe(false);
  });

  it('rethrows other errors', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(workflow().wake('token', {})).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('AwsWorkflow.scheduleStart', () => {
  it('creates a one-time UTC schedule that starts the execution, retries for an hour, then goes to the dead-letter queue', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    await workflow({ deferredStartDeadLetterQueueArn: 'arn:aws:sqs:eu-west-3:123456789012:deferred-starts-dlq' }).scheduleStart('F-2027-0042-r1', '2027-11-19T08:00:00.000Z', { invoiceId: 'F-2027-0042' });
    expect(scheduler.commandCalls(CreateScheduleCommand)[0].args[0].input).toEqual({
      Name: 'start-F-2027-0042-r1',
      GroupName: 'dunning',
      ScheduleExpression: 'at(2027-11-19T08:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: 'arn:aws:scheduler:::aws-sdk:sfn:startExecution',
        RoleArn: ROLE_ARN,
        Input: JSON.stringify({
          StateMachineArn: STATE_MACHINE_ARN,
          Name: 'F-2027-0042-r1',
          Input: '{"invoiceId":"F-2027-0042"}',
        }),
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 185 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-3:123456789012:deferred-starts-dlq' },
      },
    });
  });

  it('converts an offset timestamp to UTC and uses the default group when none is configured', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    await workflow({ schedulerGroupName: undefined }).scheduleStart('F-1-r1', '2027-11-19T09:00:00+01:00', {});
    const input = scheduler.commandCalls(CreateScheduleCommand)[0].args[0].input;
    expect(input.ScheduleExpression).toBe('at(2027-11-19T08:00:00)');
    expect(input).not.toHaveProperty('GroupName');
  });

  it('treats an existing schedule of that name as already scheduled', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'Schedule already exists', Message: 'Schedule already exists', ...meta }));
    await expect(workflow().scheduleStart('F-2027-0042-r1', '2027-11-19T08:00:00.000Z', {})).resolves.toBeUndefined();
  });

  it('rethrows other errors', async () => {
    scheduler.on(CreateScheduleCommand).rejects(Object.assign(new Error('bad'), { name: 'ValidationException' }));
    await expect(workflow().scheduleStart('F-1-r1', '2027-11-19T08:00:00.000Z', {})).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('refuses clearly when no scheduler role is configured', async () => {
    await expect(workflow({ schedulerRoleArn: undefined }).scheduleStart('F-1-r1', '2027-11-19T08:00:00.000Z', {})).rejects.toThrow(
      /SCHEDULER_ROLE_ARN/,
    );
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it('rejects a time that is not a timestamp', async () => {
    await expect(workflow().scheduleStart('F-1-r1', 'tomorrow', {})).rejects.toThrow(/Not a timestamp/);
  });

  it('refuses, naming the factory to use, in a handler built without a Scheduler client', async () => {
    const withoutScheduler = new AwsWorkflow(new SFNClient({}), undefined, { stateMachineArn: STATE_MACHINE_ARN, schedulerRoleArn: ROLE_ARN });
    await expect(withoutScheduler.scheduleStart('F-1-r1', '2027-11-19T08:00:00.000Z', {})).rejects.toThrow(/awsWorkflowWithScheduler/);
    await expect(withoutScheduler.rescheduleStart('F-1-r1', '2027-11-19T08:00:00.000Z', {})).rejects.toThrow(/awsWorkflowWithScheduler/);
    expect(scheduler.calls()).toHaveLength(0);
  });
});

describe('AwsWorkflow.rescheduleStart', () => {
  it('replaces the schedule with the same one-time start at the new time', async () => {
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const moved = await workflow().rescheduleStart('F-2027-0042-r1', '2027-10-01T00:00:00.000Z', { invoiceId: 'F-2027-0042' });
    expect(moved).toBe(true);
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0].args[0].input).toMatchObject({
      Name: 'start-F-2027-0042-r1',
      GroupName: 'dunning',
      ScheduleExpression: 'at(2027-10-01T00:00:00)',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: 'arn:aws:scheduler:::aws-sdk:sfn:startExecution', RoleArn: ROLE_ARN },
    });
  });

  it('answers false when the schedule has already fired and deleted itself', async () => {
    scheduler.on(UpdateScheduleCommand).rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', ...meta }));
    expect(await workflow().rescheduleStart('F-2027-0042-r1', '2027-10-01T00:00:00.000Z', {})).toBe(false);
  });

  it('rethrows other errors', async () => {
    scheduler.on(UpdateScheduleCommand).rejects(new Error('throttled'));
    await expect(workflow().rescheduleStart('F-2027-0042-r1', '2027-10-01T00:00:00.000Z', {})).rejects.toThrow('throttled');
  });
});

describe('scheduleName', () => {
  it('fits the longest execution names into 64 characters, distinct and valid', () => {
    const a = `${'A'.repeat(77)}-r1`;
    const b = `${'A'.repeat(77)}-r2`;
    expect(a).toHaveLength(80);
    expect(scheduleName(a)).toHaveLength(64);
    expect(scheduleName(a)).toMatch(/^start-[0-9A-Za-z_.-]+$/);
    expect(scheduleName(a)).not.toBe(scheduleName(b));
    expect(scheduleName('F-2027-0042-r1')).toBe('start-F-2027-0042-r1');
  });
});
