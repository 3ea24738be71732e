/**
 * EventBridge Scheduler, for two jobs:
 *
 * - deferred starts: an invoice whose pre-reminder lies beyond the execution horizon gets a one-time schedule,
 *   created at run time by the register handler in the `dunning-starts` group, that starts its execution later
 *   (and deletes itself). The schedules run as the role defined here, which may start this state machine only.
 * - the daily digest for the credit team, on business-day mornings in the creditor's time zone, running as its own
 *   role that may invoke the digest function only.
 *
 * Both roles trust the scheduler only on behalf of this account and schedule group (confused-deputy guard).
 *
 * No start or digest is dropped silently: a schedule whose target still fails after its retry policy sends a
 * dead-letter event (the schedule's ARN, the error) to a dead-letter queue, through its own role, and the queue's
 * depth is alarmed on. The deferred starts are created at run time: their queue's ARN reaches the register and
 * update handlers as `DEFERRED_START_DLQ_ARN`, and `DEFERRED_START_RETRY_POLICY` says how long they retry. The digest
 * is an asynchronous Lambda invocation: the schedule's queue catches a failed invoke, the function's on-failure
 * destination (the same queue) an invocation whose handler kept failing.
 */
import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { EVENT_HANDLERS } from '../catalog';
import type { DataConstruct } from './data';
import { DeadLetterQueue } from './dead-letter-queue';
import type { EmailConstruct } from './email';
import { constructId, HandlerFunction } from './handler-function';

export const DEFERRED_STARTS_GROUP = 'dunning-starts';
/** 08:00 Monday to Friday, local time: before the team starts, after the night's events. */
export const DIGEST_CRON = 'cron(0 8 ? * MON-FRI *)';

export { DEFERRED_START_RETRY_POLICY } from '../../shared/adapters/aws-workflow';

/** A digest an hour late is still useful; a day late it is noise. Lambda's own retries of the handler: two. */
const DIGEST_MAX_AGE = Duration.hours(1);

export interface SchedulesConstructProps {
  /** The state machine the deferred starts start. */
  stateMachineArn: string;
}

export class SchedulesConstruct extends Construct {
  readonly startsGroup: scheduler.ScheduleGroup;
  /** Role the deferred-start schedules run as; passed to them by the register handler. */
  readonly startsRole: iam.Role;
  /** Deferred starts that could not be made after every retry (one dead-letter event per schedule). */
  readonly startsDeadLetterQueue: DeadLetterQueue;
  /** Daily digests that could not be invoked, or whose handler kept failing; set by `addDailyDigest`. */
  digestDeadLetterQueue?: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: SchedulesConstructProps) {
    super(scope, id);

    this.startsGroup = new scheduler.ScheduleGroup(this, 'DeferredStarts', { scheduleGroupName: DEFERRED_STARTS_GROUP });
    this.startsRole = new iam.Role(this, 'DeferredStartsRole', {
      description: 'Assumed by EventBridge Scheduler to start a deferred dunning execution',
      assumedBy: schedulerPrincipal(this, this.startsGroup.scheduleGroupArn),
    });
    this.startsRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [props.stateMachineArn] }),
    );

    this.startsDeadLetterQueue = new DeadLetterQueue(this, 'DeferredStartsDeadLetterQueue', {
      source: 'deferred-starts',
      holds: 'deferred starts that EventBridge Scheduler could not make after every retry',
    });
    // Scheduler sends dead-letter events with the schedule's execution role: this role, for this queue only.
    this.startsRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.startsDeadLetterQueue.queueArn] }),
    );
  }

  /**
   * Lets a handler create (`create`: the start buffer's consumer) or move (`update`: a changed due date) deferred
   * starts: schedules in the group, and pass them the starts role.
   */
  grantDeferredStarts(grantee: HandlerFunction, actions: ('create' | 'update')[]): void {
    grantee.addToRolePolicy(
      new iam.PolicyStatement({
        actions: actions.map((action) => (action === 'create' ? 'scheduler:CreateSchedule' : 'scheduler:UpdateSchedule')),
        resources: [
          Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${DEFERRED_STARTS_GROUP}/*` }),
        ],
      }),
    );
    grantee.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.startsRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(grantee.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${DEFERRED_STARTS_GROUP}/*]`,
      reason:
        'One schedule per deferred invoice, named at run time: the grant is limited to schedules of the dunning-starts group.',
    });
  }

  /** Runs `fn` on a recurring schedule (see RecurringHandlerProps); resolves with its dead-letter queue. */
  addRecurring(props: RecurringHandlerProps): DeadLetterQueue {
    const deadLetterQueue = new DeadLetterQueue(this, `${props.id}DeadLetterQueue`, props.deadLetter);
    // Scheduler invokes the function asynchronously: a handler that throws is retried by Lambda, then lands here too.
    props.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: props.maxAge, onFailure: new SqsDestination(deadLetterQueue) });

    const defaultGroupArn = Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' });
    const role = new iam.Role(this, `${props.id}ScheduleRole`, {
      description: `Assumed by EventBridge Scheduler: ${props.description}`,
      assumedBy: schedulerPrincipal(this, defaultGroupArn),
    });
    // The function itself, not `grantInvoke`'s extra `<arn>:*` (versions and aliases, which the schedule never calls).
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.fn.functionArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [deadLetterQueue.queueArn] }));

    new scheduler.Schedule(this, `${props.id}Schedule`, {
      description: props.description,
      schedule: scheduler.ScheduleExpression.expression(props.expression, props.timeZone ? TimeZone.of(props.timeZone) : undefined),
      target: {
        bind: () => ({
          arn: props.fn.functionArn,
          role,
          retryPolicy: { maximumEventAgeInSeconds: props.maxAge.toSeconds(), maximumRetryAttempts: 3 },
          deadLetterConfig: { arn: deadLetterQueue.queueArn },
        }),
      },
    });
    return deadLetterQueue;
  }

  /** The daily digest: its handler (reads the table, emails the team) and its cron in the creditor's time zone. */
  addDailyDigest(props: {
    environment: Record<string, string>;
    data: DataConstruct;
    email: EmailConstruct;
    timeZone: string;
  }): HandlerFunction {
    const fn = new HandlerFunction(this, constructId(EVENT_HANDLERS.dailyDigest), {
      handler: EVENT_HANDLERS.dailyDigest,
      environment: props.environment,
      timeout: Duration.seconds(60),
    });
    props.data.grantRead(fn);
    props.email.grantSend(fn);

    this.digestDeadLetterQueue = this.addRecurring({
      id: 'DailyDigest',
      fn,
      description: 'Daily digest for the credit team, business-day mornings',
      expression: DIGEST_CRON,
      timeZone: props.timeZone,
      maxAge: DIGEST_MAX_AGE,
      deadLetter: { source: 'daily-digest', holds: 'daily digests that could not be invoked, or whose handler failed every attempt' },
    });
    return fn;
  }
}

/**
 * A handler run on a recurring schedule of the default group: the schedule's own role may invoke that function only;
 * a failed invoke (after the retry policy) and an invocation whose handler kept failing (Lambda's two retries) both
 * land in a dead-letter queue of their own, alarmed on.
 */
export interface RecurringHandlerProps {
  /** Construct ids: `<id>Schedule`, `<id>ScheduleRole`, `<id>DeadLetterQueue`. */
  id: string;
  fn: HandlerFunction;
  description: string;
  /** `cron(...)` or `rate(...)`. */
  expression: string;
  /** Where a cron is read (default UTC). */
  timeZone?: string;
  /** How late a run is still worth making. */
  maxAge: Duration;
  deadLetter: { source: string; holds: string };
}

function schedulerPrincipal(scope: Construct, scheduleGroupArn: string): iam.IPrincipal {
  return new iam.ServicePrincipal('scheduler.amazonaws.com', {
    conditions: {
      StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
      ArnEquals: { 'aws:SourceArn': scheduleGroupArn },
    },
  });
}
