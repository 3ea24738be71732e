/**
 * Workflow on Step Functions (executions, task tokens) and EventBridge Scheduler (deferred starts).
 * Every call is safe to repeat: Lambda retries and duplicate events must not fail or start anything twice.
 */
import { CreateScheduleCommand, SchedulerClient, UpdateScheduleCommand, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { DescribeExecutionCommand, SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createHash } from 'node:crypto';
import type { ExecutionState } from '../domain/execution-state';
import { ROUTED_STEPS } from '../domain/workflow';
import type { Workflow } from '../ports';
import { awsClient } from './aws-clients';

/** Scheduler's universal target: the schedule itself calls states:StartExecution, no Lambda in between. */
export const START_EXECUTION_TARGET_ARN = 'arn:aws:scheduler:::aws-sdk:sfn:startExecution';
const SCHEDULE_NAME_MAX_LENGTH = 64;
/** The errors the waits catch straight into the endings (statemachines/invoice-dunning.asl.json). */
export const ENDING_ERRORS = { paid: 'Dunning.Paid', cancelled: 'Dunning.Cancelled' } as const;
/** The error and cause a route fails a wait with (statemachines/invoice-dunning.asl.json: every wait catches them). */
export function routeFailure(state: ExecutionState): { error: string; cause: string } {
  return { error: ROUTED_STEPS.has(state.next) ? `Dunning.Route.${state.next}` : 'Dunning.Decide', cause: JSON.stringify(state) };
}
/** The token is no longer waiting: the wait timed out, was woken already, or its execution ended. */
const GONE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}

/** `start-<executionName>`, or a truncated name plus a hash of the full one when it exceeds Scheduler's 64 characters. */
export function scheduleName(executionName: string): string {
  const name = `start-${executionName}`.replace(/[^0-9A-Za-z_.-]/g, '_');
  if (name.length <= SCHEDULE_NAME_MAX_LENGTH) return name;
  const hash = createHash('sha256').update(executionName).digest('hex').slice(0, 12);
  return `${name.slice(0, SCHEDULE_NAME_MAX_LENGTH - hash.length - 1)}-${hash}`;
}

/** Scheduler's one-time expression: `at(yyyy-mm-ddThh:mm:ss)`, read in ScheduleExpressionTimezone (UTC here). */
export function atExpression(at: string): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new Error(`Not a timestamp: ${at}`);
  return `at(${new Date(ms).toISOString().slice(0, 19)})`;
}

export interface AwsWorkflowOptions {
  stateMachineArn: string;
  schedulerRoleArn?: string;
  schedulerGroupName?: string;
  /** Where Scheduler sends a deferred start it could not make (the stack's queue, alarmed on); none locally. */
  deferredStartDeadLetterQueueArn?: string;
}

/**
 * How long Scheduler keeps trying a deferred start: an hour clears throttling and short outages; what still fails then
 * (a missing permission, a deleted state machine) will not mend itself, and the dead-letter queue's alarm tells the team.
 */
export const DEFERRED_START_RETRY_POLICY = { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 185 } as const;

export class AwsWorkflow implements Workflow {
  /**
   * `scheduler` only for the handlers that defer starts: the others leave its client out of their bundle, and
   * asking them to schedule is a programming error that says so.
   */
  constructor(
    private readonly sfn: SFNClient,
    private readonly scheduler: SchedulerClient | undefined,
    private readonly options: AwsWorkflowOptions,
  ) {}

  async start(executionName: string, input: object): Promise<boolean> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.options.stateMachineArn,
          name: executionName,
          input: JSON.stringify(input),
        }),
      );
      return true;
    } catch (error) {
      // The name is taken: this execution was started before (a retry, a duplicate event). Names are never reused.
      if (errorName(error) === 'ExecutionAlreadyExists') return false;
      throw error;
    }
  }

  wake(taskToken: string, output: object): Promise<boolean> {
    return this.answerTask(() => this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })));
  }

  /**
   * A failure the definition catches straight into the ending (`Dunning.Paid` → *Paid*, `Dunning.Cancelled` →
   * *Cancelled*, never retried): like `route`, a way for a wait to lead to more than one state without a Choice after
   * it, which would cost a state transition and "Check what happened" another.
   */
  end(taskToken: string, ending: 'paid' | 'cancelled'): Promise<boolean> {
    return this.answerTask(() => this.sfn.send(new SendTaskFailureCommand({ taskToken, error: ENDING_ERRORS[ending], cause: `The invoice is ${ending}.` })));
  }

  /**
   * A failure the definition catches into the step the state names (`Dunning.Route.<next>`, the state in the cause,
   * which the step reads: `routedState`), or into "Decide the next step" (`Dunning.Decide`) — the way a wait leads to
   * any step without a Choice after it.
   */
  route(taskToken: string, state: ExecutionState): Promise<boolean> {
    return this.answerTask(() => this.sfn.send(new SendTaskFailureCommand({ taskToken, ...routeFailure(state) })));
  }

  /** Completes a waiting task (wake, end, route); `false` when its token is no longer waiting. */
  private async answerTask(send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (GONE_TOKEN_ERRORS.has(errorName(error) ?? '')) return false;
      throw error;
    }
  }

  async scheduleStart(executionName: string, at: string, input: object): Promise<void> {
    try {
      await this.schedulerClient().send(new CreateScheduleCommand(this.startSchedule(executionName, at, input)));
    } catch (error) {
      // A schedule with this name exists: this start was scheduled before.
      if (errorName(error) === 'ConflictException') return;
      throw error;
    }
  }

  async status(executionName: string): Promise<string | undefined> {
    try {
      const { status } = await this.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(this.options.stateMachineArn, executionName) }));
      return status;
    } catch (error) {
      if (errorName(error) === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  }

  async rescheduleStart(executionName: string, at: string, input: object): Promise<boolean> {
    try {
      await this.schedulerClient().send(new UpdateScheduleCommand(this.startSchedule(executionName, at, input)));
      return true;
    } catch (error) {
      // Fired and deleted already: the execution is running and re-plans from the record.
      if (errorName(error) === 'ResourceNotFoundException') return false;
      throw error;
    }
  }

  private schedulerClient(): SchedulerClient {
    if (!this.scheduler) throw new Error('This handler has no Scheduler client: build its workflow with awsWorkflowWithScheduler');
    return this.scheduler;
  }

  /** The one-time schedule that starts an execution at `at` and then deletes itself (create and update alike). */
  private startSchedule(executionName: string, at: string, input: object): CreateScheduleCommandInput {
    if (!this.options.schedulerRoleArn) {
      throw new Error('Cannot schedule a deferred start: SCHEDULER_ROLE_ARN (the role Scheduler assumes) is not set');
    }
    return {
      Name: scheduleName(executionName),
      ...(this.options.schedulerGroupName ? { GroupName: this.options.schedulerGroupName } : {}),
      ScheduleExpression: atExpression(at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: START_EXECUTION_TARGET_ARN,
        RoleArn: this.options.schedulerRoleArn,
        Input: JSON.stringify({
          StateMachineArn: this.options.stateMachineArn,
          Name: executionName,
          Input: JSON.stringify(input),
        }),
        RetryPolicy: DEFERRED_START_RETRY_POLICY,
        ...(this.options.deferredStartDeadLetterQueueArn ? { DeadLetterConfig: { Arn: this.options.deferredStartDeadLetterQueueArn } } : {}),
      },
    };
  }
}

/** arn:aws:states:eu-west-3:1234:stateMachine:NAME → arn:aws:states:eu-west-3:1234:execution:NAME:EXECUTION */
export function executionArn(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}

/** Step Functions only (start, status, wake), on the shared client. */
export function stepFunctionsWorkflow(options: AwsWorkflowOptions): Workflow {
  return new AwsWorkflow(awsClient(SFNClient), undefined, options);
}

/**
 * Step Functions and EventBridge Scheduler, for the handlers that defer starts beyond the execution horizon
 * (register, update). A separate factory so that the other handlers' bundles leave the Scheduler client out.
 */
export function stepFunctionsWorkflowWithScheduler(options: AwsWorkflowOptions): Workflow {
  return new AwsWorkflow(awsClient(SFNClient), awsClient(SchedulerClient), options);
}
