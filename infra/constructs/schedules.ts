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
 */
import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { EVENT_HANDLERS } from '../catalog';
import type { DataConstruct } from './data';
import type { EmailConstruct } from './email';
import { constructId, HandlerFunction } from './handler-function';

export const DEFERRED_STARTS_GROUP = 'dunning-starts';
/** 08:00 Monday to Friday, local time: before the team starts, after the night's events. */
export const DIGEST_CRON = 'cron(0 8 ? * MON-FRI *)';

export interface SchedulesConstructProps {
  /** The state machine the deferred starts start. */
  stateMachineArn: string;
}

export class SchedulesConstruct extends Construct {
  readonly startsGroup: scheduler.ScheduleGroup;
  /** Role the deferred-start schedules run as; passed to them by the register handler. */
  readonly startsRole: iam.Role;

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
  }

  /** Lets a handler create and move deferred starts: schedules in the group, and pass them the starts role. */
  grantCreateDeferredStart(grantee: HandlerFunction): void {
    grantee.addToRolePolicy(
      new iam.PolicyStatement({
        // UpdateSchedule moves a deferred start when the billing system changes the due date.
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'],
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

    const defaultGroupArn = Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' });
    const role = new iam.Role(this, 'DailyDigestScheduleRole', {
      description: 'Assumed by EventBridge Scheduler to run the daily digest',
      assumedBy: schedulerPrincipal(this, defaultGroupArn),
    });
    // The function itself, not `grantInvoke`'s extra `<arn>:*` (versions and aliases, which the schedule never calls).
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));

    new scheduler.Schedule(this, 'DailyDigestSchedule', {
      description: 'Daily digest for the credit team, business-day mornings',
      schedule: scheduler.ScheduleExpression.expression(DIGEST_CRON, TimeZone.of(props.timeZone)),
      target: {
        bind: () => ({
          arn: fn.functionArn,
          role,
          // A digest an hour late is still useful; a day late it is noise.
          retryPolicy: { maximumEventAgeInSeconds: Duration.hours(1).toSeconds(), maximumRetryAttempts: 3 },
        }),
      },
    });
    return fn;
  }
}

function schedulerPrincipal(scope: Construct, scheduleGroupArn: string): iam.IPrincipal {
  return new iam.ServicePrincipal('scheduler.amazonaws.com', {
    conditions: {
      StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
      ArnEquals: { 'aws:SourceArn': scheduleGroupArn },
    },
  });
}
