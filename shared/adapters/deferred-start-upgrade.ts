/**
 * Gives the deferred starts scheduled before 2026-12-02 the input the state machine now starts with. Executions start
 * in their first wait, which reads `$.wait.seconds` (shared/domain/execution-state.ts, `initialState`); a schedule made
 * earlier carries an input without it, and its execution would fail at its first state. A maintenance task, run once
 * after upgrading (`npm run upgrade-table`); safe to run again: a schedule whose input has a wait is left as it is.
 */
import { GetScheduleCommand, ListSchedulesCommand, UpdateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { SEND_ON_SECONDS } from '../domain/execution-state';

export async function upgradeDeferredStarts(client: SchedulerClient, groupName: string): Promise<{ read: number; updated: number }> {
  let read = 0;
  let updated = 0;
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListSchedulesCommand({ GroupName: groupName, NextToken: nextToken }));
    for (const summary of page.Schedules ?? []) {
      read++;
      const schedule = await client.send(new GetScheduleCommand({ GroupName: groupName, Name: summary.Name }));
      // The universal target's input is StartExecution's parameters; the execution's input is a string among them.
      const start = JSON.parse(schedule.Target?.Input ?? '{}') as { Input?: string };
      const input = JSON.parse(start.Input ?? '{}') as { wait?: unknown };
      if (!schedule.Target || !start.Input || input.wait) continue;
      // UpdateSchedule replaces the whole schedule: everything it had is given back, the input alone changes.
      await client.send(
        new UpdateScheduleCommand({
          Name: schedule.Name,
          GroupName: schedule.GroupName,
          ScheduleExpression: schedule.ScheduleExpression,
          ScheduleExpressionTimezone: schedule.ScheduleExpressionTimezone,
          StartDate: schedule.StartDate,
          EndDate: schedule.EndDate,
          KmsKeyArn: schedule.KmsKeyArn,
          FlexibleTimeWindow: schedule.FlexibleTimeWindow,
          ActionAfterCompletion: schedule.ActionAfterCompletion,
          State: schedule.State,
          Description: schedule.Description,
          Target: { ...schedule.Target, Input: JSON.stringify({ ...start, Input: JSON.stringify({ ...input, wait: { seconds: SEND_ON_SECONDS } }) }) },
        }),
      );
      updated++;
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { read, updated };
}
