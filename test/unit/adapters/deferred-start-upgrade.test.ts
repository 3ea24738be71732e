/**
 * The upgrade of deferred starts scheduled by an earlier version (shared/adapters/deferred-start-upgrade.ts), against
 * Scheduler mocked at the SDK level: each old input gains the wait every execution now starts by reading, and nothing
 * else of the schedule changes.
 */
import { GetScheduleCommand, ListSchedulesCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { upgradeDeferredStarts } from '../../../shared/adapters/deferred-start-upgrade';
import { initialState } from '../../../shared/domain/execution-state';

const scheduler = mockClient(SchedulerClient);
const GROUP = 'dunning-starts';
const target = (input: object) => ({
  Arn: 'arn:aws:scheduler:::aws-sdk:sfn:startExecution',
  RoleArn: 'arn:aws:iam::123456789012:role/starts',
  Input: JSON.stringify({ StateMachineArn: 'arn:aws:states:eu-west-3:123456789012:stateMachine:m', Name: 'F-1-r1', Input: JSON.stringify(input) }),
});

describe('upgradeDeferredStarts', () => {
  beforeEach(() => scheduler.reset());

  it('gives a start scheduled before the upgrade the wait its first state reads, and leaves an upgraded one alone', async () => {
    // The shape Scheduler's universal target takes: StartExecution's own parameters, the execution input a string in them.
    const old = { invoiceId: 'F-1', revision: 1, step: 0, phase: 'before_pre_reminder', next: 'plan' };
    scheduler.on(ListSchedulesCommand).resolvesOnce({ Schedules: [{ Name: 'start-F-1-r1' }], NextToken: 'more' }).resolvesOnce({ Schedules: [{ Name: 'start-F-2-r1' }] });
    scheduler.on(GetScheduleCommand, { Name: 'start-F-1-r1' }).resolves({
      Name: 'start-F-1-r1',
      GroupName: GROUP,
      ScheduleExpression: 'at(2028-01-10T00:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: target(old),
    });
    scheduler.on(GetScheduleCommand, { Name: 'start-F-2-r1' }).resolves({ Name: 'start-F-2-r1', GroupName: GROUP, ScheduleExpression: 'at(2028-01-11T00:00:00)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: target(initialState('F-2', 1)) });

    expect(await upgradeDeferredStarts(scheduler as unknown as SchedulerClient, GROUP)).toEqual({ read: 2, updated: 1 });

    const updates = scheduler.commandCalls(UpdateScheduleCommand);
    expect(updates).toHaveLength(1);
    const { Target, ...rest } = updates[0]!.args[0].input;
    expect(rest).toMatchObject({ Name: 'start-F-1-r1', GroupName: GROUP, ScheduleExpression: 'at(2028-01-10T00:00:00)', ScheduleExpressionTimezone: 'UTC', FlexibleTimeWindow: { Mode: 'OFF' }, ActionAfterCompletion: 'DELETE', State: 'ENABLED' });
    const startParameters = JSON.parse(Target!.Input!);
    expect(JSON.parse(startParameters.Input)).toEqual(initialState('F-1', 1));
    expect({ ...Target, Input: undefined }).toEqual({ ...target(old), Input: undefined });
  });
});
