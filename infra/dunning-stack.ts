/**
 * The whole system in one stack, composed like the architecture diagram (DESIGN.md §2):
 *
 *   billing system / customer ──> HTTP API ──> handlers ──> DynamoDB ──stream──> publish-events ──> dunning bus
 *                                                 │                 (new timeline entries)        (events out, for
 *                                                 │ SendTaskSuccess; starts (and throttled         billing systems)
 *                                                 │ wake-ups) through the start buffer: SQS ──> signal-workflow
 *                                                 ▼                                  (bounded; reconciled every 10 min)
 *                                Step Functions (one execution per invoice) ──> SES
 *   EventBridge Scheduler: deferred starts, daily digest      SES events ──> EventBridge ──> handler
 *     (every asynchronous delivery — schedules, SES-events rule, stream — ends in a dead-letter queue when it keeps failing)
 *
 *   monitoring (built last, reads the others): alarms ──> `<stack>-alarms` SNS topic ──> team email; `<stack>-dunning`
 *   dashboard; runbook in infra/RUNBOOK.md
 *
 * Environment-agnostic (no account or region): `cdk synth` works offline, `cdk deploy` targets the current profile.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiConstruct } from './constructs/api';
import { DataConstruct } from './constructs/data';
import { EmailConstruct } from './constructs/email';
import { EventsConstruct } from './constructs/events';
import { handlerEnvironment } from './constructs/handler-function';
import { MonitoringConstruct } from './constructs/monitoring';
import { SchedulesConstruct } from './constructs/schedules';
import { StartBufferConstruct } from './constructs/start-buffer';
import { stateMachineArn, WorkflowConstruct } from './constructs/workflow';
import type { DunningSettings } from './settings';

export interface DunningStackProps extends StackProps {
  settings: DunningSettings;
}

export class DunningStack extends Stack {
  constructor(scope: Construct, id: string, props: DunningStackProps) {
    super(scope, id, props);
    const { settings } = props;

    // Where things are kept and how mail leaves: every handler's environment names them.
    const data = new DataConstruct(this, 'Data', { documentRetentionYears: settings.documentRetentionYears });
    const email = new EmailConstruct(this, 'Email', {
      senderEmail: settings.senderEmail,
      senderDomain: settings.senderDomain,
    });
    // The front door first: its URL goes into the links of every email, unless a custom domain is configured.
    const api = new ApiConstruct(this, 'Api');
    // Deferred starts need the state machine's ARN before the state machine exists; its fixed name gives it.
    const schedules = new SchedulesConstruct(this, 'Schedules', { stateMachineArn: stateMachineArn(this) });
    // The start buffer's queue: every handler that starts or wakes an execution hands it the call.
    const startBuffer = new StartBufferConstruct(this, 'StartBuffer');

    const environment = handlerEnvironment({
      settings,
      tableName: data.table.tableName,
      documentsBucket: data.documents.bucketName,
      stateMachineArn: stateMachineArn(this),
      configurationSetName: email.configurationSet.configurationSetName,
      publicBaseUrl: settings.publicBaseUrl || api.endpoint,
      schedulerRoleArn: schedules.startsRole.roleArn,
      schedulerGroupName: schedules.startsGroup.scheduleGroupName,
      deferredStartDeadLetterQueueArn: schedules.startsDeadLetterQueue.queueArn,
      signalQueueUrl: startBuffer.queue.queueUrl,
    });

    const workflow = new WorkflowConstruct(this, 'Workflow', { environment, data, email, startBuffer });
    api.addRoutes({ environment, data, workflow, schedules, startBuffer });
    // Its consumer starts executions at the pace Step Functions accepts; its reconciliation finds any start lost.
    startBuffer.addConsumer({ environment, data, workflow, schedules });
    schedules.addDailyDigest({ environment, data, email, timeZone: settings.timeZone });
    email.addEventHandler({ environment, data });
    // Events out: every transition, from the table's stream to the stack's bus, for the billing system to subscribe to.
    const events = new EventsConstruct(this, 'Events', { environment, data });
    // Last: alarms on every function and dead-letter queue made above, and the dashboard.
    const monitoring = new MonitoringConstruct(this, 'Monitoring', {
      teamEmail: settings.teamEmail,
      alarmEndpoint: settings.alarmEndpoint,
      workflow,
      api,
      events,
      startBuffer,
    });

    new CfnOutput(this, 'ApiUrl', { value: api.stage.url, description: 'Base URL of the billing API and customer pages' });
    new CfnOutput(this, 'StateMachineArn', {
      value: workflow.stateMachine.stateMachineArn,
      description: 'One execution per invoice, named after the invoice id',
    });
    new CfnOutput(this, 'TableName', { value: data.table.tableName, description: 'Invoices, timelines, links, API keys' });
    new CfnOutput(this, 'DocumentsBucket', { value: data.documents.bucketName, description: 'Customer emails as sent (locked for the retention period)' });
    new CfnOutput(this, 'EventBusName', { value: events.bus.eventBusName, description: 'Events out: every transition, source "dunning" (rules subscribe here)' });
    new CfnOutput(this, 'EventBusArn', { value: events.bus.eventBusArn, description: 'Events out bus, for rules and cross-account subscriptions' });
    new CfnOutput(this, 'AlarmsTopicArn', {
      value: monitoring.topic.topicArn,
      description: 'Every alarm notifies this topic (the team email is subscribed: confirm the subscription once)',
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${monitoring.dashboard.dashboardName}`,
      description: 'The CloudWatch dashboard: business counts, executions, functions, API, email, dead-letter queues',
    });
  }
}
