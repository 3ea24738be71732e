/**
 * Monitoring: what tells the team that something went wrong, and where to look.
 *
 *   alarms ──ALARM / OK──> `<stack>-alarms` topic (KMS) ──> the team's email (and `dunning:alarmEndpoint`, if set)
 *   dashboard `<stack>-dunning`: business counts, executions, functions, API, email, dead-letter queues
 *
 * The alarms, each with its row in infra/RUNBOOK.md (the key in the alarm's description):
 * - executions failed, timed out or aborted (the invoice state machine);
 * - *Needs attention* endings: the `NeedsAttention` count the handlers emit (Powertools Metrics, EMF);
 * - errors and throttles of every handler function (every `HandlerFunction` of the stack, found in the tree);
 * - HTTP API 5xx;
 * - SES account reputation: bounce and complaint rates a little under the levels at which SES reviews an account;
 * - depth of every dead-letter queue (every `DeadLetterQueue` of the stack, found in the tree);
 * - the start buffer: its oldest signal's age, and starts the reconciliation had to signal again.
 * All count alarms fire on one occurrence in five minutes: at this volume (tens of invoices a day) any failure is
 * worth a look, and a quiet period is no data, not a breach.
 *
 * The topic is encrypted with a key of its own: CloudWatch cannot publish to a topic under the AWS-managed key
 * (`alias/aws/sns`), whose policy cannot be changed to let it. The key may be used for this topic only (SNS's
 * encryption context), by CloudWatch and the account; the topic takes TLS only, and CloudWatch may publish to it for
 * this stack's alarms only.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/adapters/powertools';
import type { MetricName } from '../../shared/ports/telemetry';
import type { ApiConstruct } from './api';
import { DeadLetterQueue } from './dead-letter-queue';
import { constructId, HandlerFunction, SERVICE_NAME } from './handler-function';
import type { EventsConstruct } from './events';
import type { StartBufferConstruct } from './start-buffer';
import type { WorkflowConstruct } from './workflow';

export { METRICS_NAMESPACE };

/** Every count alarm looks at five-minute sums. */
const PERIOD = Duration.minutes(5);

/**
 * SES reviews an account whose bounce rate reaches 5 % or whose complaint rate reaches 0.1 % (and may pause its
 * sending at 10 % and 0.5 %). The alarms fire a little before, at 4 % and 0.08 %, so the team can stop the cause
 * (a stale address list, a template that reads like spam) before SES acts on the account.
 */
export const SES_REVIEW_LEVELS = { bounceRate: 0.05, complaintRate: 0.001 } as const;
export const SES_ALARM_THRESHOLDS = { bounceRate: 0.04, complaintRate: 0.0008 } as const;

/**
 * The runbook entries: one row each in infra/RUNBOOK.md, named in the description of the alarms they cover (the
 * dead-letter queues' rows are `dlq-<source>`). test/infra checks that every alarm has its row and every row an alarm.
 */
const RUNBOOK_KEYS = [
  'executions-failed',
  'executions-timed-out',
  'executions-aborted',
  'needs-attention',
  'lambda-errors',
  'lambda-throttles',
  'api-5xx',
  'ses-bounce-rate',
  'ses-complaint-rate',
  'events-out-behind',
  'start-buffer-behind',
  'starts-reconciled',
] as const;
export type RunbookKey = (typeof RUNBOOK_KEYS)[number] | `dlq-${string}`;

/** A custom metric of the handlers, as Powertools emits it: namespace, `service` dimension, a count. */
export function customMetric(name: MetricName, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME },
    statistic: cloudwatch.Stats.SUM,
    period: PERIOD,
    ...options,
  });
}

/**
 * One line per value of `kind` (emails by kind, answers by kind): the metric as emitted with that extra dimension.
 * The schema matches exactly the metrics with these two dimensions (`service` is always `dunning`); a kind appears on
 * the graph as soon as a handler first emits it, without a change here.
 */
function byKind(name: MetricName, label: string, period: Duration): cloudwatch.SearchExpression {
  return new cloudwatch.SearchExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},kind,service} MetricName="${name}"', 'Sum', ${period.toSeconds()})`,
    label,
    period,
  });
}

export interface MonitoringConstructProps {
  /** Subscribed to the alarms topic by email (SNS asks the address to confirm). */
  teamEmail: string;
  /** Also subscribed: an email address, or an https:// URL (an on-call tool's SNS integration). */
  alarmEndpoint?: string;
  workflow: WorkflowConstruct;
  api: ApiConstruct;
  /** Events out: its publisher reports failures as batch-item failures, never as errors, so its lag is watched. */
  events: EventsConstruct;
  /** The start buffer: throttled signals are sent again rather than failed, so its queue's age is watched. */
  startBuffer: StartBufferConstruct;
}

interface AlarmSpec {
  /** Construct id, and the alarm's name after the stack's (`<stack>-<name>`). */
  id: string;
  name: string;
  runbook: RunbookKey;
  /** What it means, one sentence. */
  description: string;
  metric: cloudwatch.IMetric;
  threshold: number;
  treatMissingData?: cloudwatch.TreatMissingData;
}

export class MonitoringConstruct extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  /** Every handler function and dead-letter queue of the stack, in tree order (what the alarms cover). */
  readonly functions: HandlerFunction[];
  readonly deadLetterQueues: DeadLetterQueue[];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringConstructProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const alarmArns = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: `${stack.stackName}-*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    // A fixed name, so that the key policy can name the topic without referencing it (the topic references the key).
    const topicName = `${stack.stackName}-alarms`;
    const topicArn = stack.formatArn({ service: 'sns', resource: topicName });
    this.key = new kms.Key(this, 'AlarmsKey', {
      description: `Encrypts the ${topicName} topic, to which CloudWatch alarms publish`,
      enableKeyRotation: true,
      // Alarm notifications are not stored: nothing is left to decrypt once the stack is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToTheAlarmsTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        // What SNS asks KMS for, on behalf of the publisher, to encrypt a message (the actions AWS documents).
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
      }),
    );

    this.topic = new sns.Topic(this, 'Alarms', {
      topicName,
      displayName: 'Dunning alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisStack',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': alarmArns } },
      }),
    );
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.teamEmail));
    if (props.alarmEndpoint) {
      this.topic.addSubscription(
        props.alarmEndpoint.startsWith('https://')
          ? new subscriptions.UrlSubscription(props.alarmEndpoint, { protocol: sns.SubscriptionProtocol.HTTPS })
          : new subscriptions.EmailSubscription(props.alarmEndpoint),
      );
    }
    this.action = new SnsAction(this.topic);

    // Built last in the stack: every function and dead-letter queue exists by now.
    const all = stack.node.findAll();
    this.functions = all.filter((c): c is HandlerFunction => c instanceof HandlerFunction);
    this.deadLetterQueues = all.filter((c): c is DeadLetterQueue => c instanceof DeadLetterQueue);

    this.addAlarms(props);
    this.dashboard = this.addDashboard(props);
  }

  private alarm(spec: AlarmSpec): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, spec.id, {
      alarmName: `${Stack.of(this).stackName}-${spec.name}`,
      alarmDescription: `${spec.description} Runbook: infra/RUNBOOK.md, "${spec.runbook}".`,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: spec.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  private addAlarms(props: MonitoringConstructProps): void {
    const machine = props.workflow.stateMachine;
    this.alarm({
      id: 'ExecutionsFailed',
      name: 'executions-failed',
      runbook: 'executions-failed',
      description: 'An invoice execution failed: a step kept failing after its retries, the invoice is no longer followed.',
      metric: machine.metricFailed({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
    });
    this.alarm({
      id: 'ExecutionsTimedOut',
      name: 'executions-timed-out',
      runbook: 'executions-timed-out',
      description: 'An invoice execution timed out: the invoice is no longer followed.',
      metric: machine.metricTimedOut({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
    });
    this.alarm({
      id: 'ExecutionsAborted',
      name: 'executions-aborted',
      runbook: 'executions-aborted',
      description: 'An invoice execution was stopped by hand (or by a redeploy): the invoice is no longer followed.',
      metric: machine.metricAborted({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
    });
    this.alarm({
      id: 'NeedsAttention',
      name: 'needs-attention',
      runbook: 'needs-attention',
      description: 'An invoice execution ended in Needs attention: the team was emailed why, and must act on the invoice.',
      metric: customMetric('NeedsAttention'),
      threshold: 1,
    });

    for (const fn of this.functions) {
      const id = constructId(fn.handlerName);
      this.alarm({
        id: `${id}Errors`,
        name: `lambda-errors-${fn.handlerName}`,
        runbook: 'lambda-errors',
        description: `The ${fn.handlerName} function threw (an unhandled error or a timeout).`,
        metric: fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
      });
      this.alarm({
        id: `${id}Throttles`,
        name: `lambda-throttles-${fn.handlerName}`,
        runbook: 'lambda-throttles',
        description: `Lambda refused to run the ${fn.handlerName} function (the account's concurrency is used up).`,
        metric: fn.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
      });
    }

    this.alarm({
      id: 'Api5xx',
      name: 'api-5xx',
      runbook: 'api-5xx',
      description: 'The HTTP API answered 5xx: a billing system or a customer got a server error.',
      metric: props.api.stage.metricServerError({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
    });

    // Account-wide rates SES computes over its own window: a missing point changes nothing, the last state holds.
    this.alarm({
      id: 'SesBounceRate',
      name: 'ses-bounce-rate',
      runbook: 'ses-bounce-rate',
      description: `The account's SES bounce rate reached ${percent(SES_ALARM_THRESHOLDS.bounceRate)}; SES reviews the account at ${percent(SES_REVIEW_LEVELS.bounceRate)}.`,
      metric: sesMetric('Reputation.BounceRate', { statistic: cloudwatch.Stats.MAXIMUM, period: Duration.hours(1) }),
      threshold: SES_ALARM_THRESHOLDS.bounceRate,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    this.alarm({
      id: 'SesComplaintRate',
      name: 'ses-complaint-rate',
      runbook: 'ses-complaint-rate',
      description: `The account's SES complaint rate reached ${percent(SES_ALARM_THRESHOLDS.complaintRate)}; SES reviews the account at ${percent(SES_REVIEW_LEVELS.complaintRate)}.`,
      metric: sesMetric('Reputation.ComplaintRate', { statistic: cloudwatch.Stats.MAXIMUM, period: Duration.hours(1) }),
      threshold: SES_ALARM_THRESHOLDS.complaintRate,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });

    this.alarm({
      id: 'EventsOutBehind',
      name: 'events-out-behind',
      runbook: 'events-out-behind',
      description: 'Events out lag: the oldest table change not yet published is more than five minutes old (a batch keeps failing and is being retried).',
      // Retried batches never count as Lambda errors (they are reported item by item): the stream's age says it.
      metric: props.events.publisher.metric('IteratorAge', { period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 5 * 60 * 1000,
    });

    this.alarm({
      id: 'StartBufferBehind',
      name: 'start-buffer-behind',
      runbook: 'start-buffer-behind',
      description: 'The start buffer is more than fifteen minutes behind: invoices registered (or events recorded) that long ago still wait for Step Functions.',
      // A month-end burst at Step Functions' pace drains in minutes; a quarter of an hour means throttling that lasts.
      // The queue's oldest message says when the consumer stopped; a signal's own age, when Step Functions keeps
      // throttling it (each retry is a new message, whose age starts again).
      metric: new cloudwatch.MathExpression({
        expression: 'MAX([queueAge, signalAge])',
        usingMetrics: {
          queueAge: props.startBuffer.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
          signalAge: customMetric('SignalAgeSeconds', { statistic: cloudwatch.Stats.MAXIMUM }),
        },
        label: 'Oldest signal waiting (s)',
        period: PERIOD,
      }),
      threshold: 15 * 60,
    });
    this.alarm({
      id: 'StartsReconciled',
      name: 'starts-reconciled',
      runbook: 'starts-reconciled',
      description: 'The reconciliation found starts noted an hour ago and never made, and signalled them again.',
      metric: customMetric('StartsReconciled'),
      threshold: 1,
    });

    for (const queue of this.deadLetterQueues) {
      this.alarm({
        id: `DeadLetters${constructId(queue.source)}`,
        name: `dlq-${queue.source}`,
        runbook: `dlq-${queue.source}`,
        description: `A message waits in the ${queue.source} dead-letter queue: ${queue.holds}.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 1,
      });
    }
  }

  private addDashboard(props: MonitoringConstructProps): cloudwatch.Dashboard {
    const stack = Stack.of(this);
    const machine = props.workflow.stateMachine;
    const stage = props.api.stage;
    const hour = Duration.hours(1);
    const fnLabel = (fn: HandlerFunction) => fn.handlerName;
    // A one-line header above each row.
    const row = (title: string, text: string) => new cloudwatch.TextWidget({ markdown: `**${title}** · ${text}`, width: 24, height: 1 });

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-dunning`,
      // Dunning moves by the day (emails leave at the send time): a week shows its rhythm.
      defaultInterval: Duration.days(7),
    });

    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        width: 24,
        height: 5,
        markdown: [
          '# Preventive dunning',
          'Rows, top to bottom: **alarms** (each has a row in `infra/RUNBOOK.md`, named in its description) · ' +
            `**business** counts the handlers emit (namespace \`${METRICS_NAMESPACE}\`, \`service=${SERVICE_NAME}\`, hourly sums) · ` +
            '**workflow**: the invoice executions, and what they cost · **functions**: errors, throttles, p95 duration of each handler · ' +
            '**HTTP API**: requests, 4xx / 5xx, latency · **email**: SES sends, deliveries, bounces, complaints, and the reputation rates SES judges the account by · ' +
            '**dead-letter queues**: deliveries that failed every retry (any message is work for the team).',
          '**open invoices by status**: counted each business morning by the daily digest (`GET /invoices?status=…` lists them).',
        ].join('\n\n'),
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: this.alarms,
        width: 24,
        height: 6,
        sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
      }),
    );

    dashboard.addWidgets(row('Business', 'What the dunning did: emails, answers, payments, hand-offs, and what needed a person.'));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Open invoices, by status (each business morning)',
        left: [
          new cloudwatch.SearchExpression({
            expression: `SEARCH('{${METRICS_NAMESPACE},service,status} MetricName="OpenInvoices"', 'Maximum', ${Duration.days(1).toSeconds()})`,
            label: '',
            period: Duration.days(1),
          }),
        ],
        stacked: true,
        width: 24,
        height: 6,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Emails sent, by kind', left: [byKind('EmailsSent', '', hour)], stacked: true, width: 6, height: 6 }),
      new cloudwatch.GraphWidget({ title: 'Customer answers, by kind', left: [byKind('Answers', '', hour)], stacked: true, width: 6, height: 6 }),
      new cloudwatch.GraphWidget({
        title: 'Payments and hand-offs',
        left: [customMetric('Payments', { period: hour, label: 'Payments' }), customMetric('HandOffs', { period: hour, label: 'Hand-offs' })],
        width: 6,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Needs attention, throttled steps',
        left: [
          customMetric('NeedsAttention', { period: hour, label: 'Needs attention (alarmed)' }),
          customMetric('Throttles', { period: hour, label: 'Throttled steps (retried)' }),
        ],
        width: 6,
        height: 6,
      }),
    );

    dashboard.addWidgets(row('Workflow', `Executions of \`${machine.stateMachineName}\`, one per invoice (and per restart).`));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Executions',
        left: [
          machine.metricStarted({ period: hour, label: 'Started' }),
          machine.metricSucceeded({ period: hour, label: 'Succeeded' }),
          machine.metricFailed({ period: hour, label: 'Failed' }),
          machine.metricTimedOut({ period: hour, label: 'Timed out' }),
          machine.metricAborted({ period: hour, label: 'Aborted' }),
        ],
        width: 12,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Cost driver: executions started per day',
        left: [machine.metricStarted({ period: Duration.days(1), label: 'Started per day' })],
        width: 6,
        height: 6,
      }),
      new cloudwatch.TextWidget({
        width: 6,
        height: 6,
        markdown:
          '**State transitions** are what a standard workflow is billed by. CloudWatch has no count of them per state ' +
          'machine (`AWS/States` only gives the account\'s transition *rate limits*): the started executions beside ' +
          'this note, times the transitions of one execution (its event history in the console), estimate it; Cost ' +
          'Explorer (service Step Functions) gives the bill. Waits cost nothing: a parked execution makes no transition.',
      }),
    );

    dashboard.addWidgets(row('Functions', 'Every handler: unhandled errors and timeouts, Lambda throttling, p95 duration.'));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Errors',
        left: this.functions.map((fn) => fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: fnLabel(fn) })),
        width: 8,
        height: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Throttles',
        left: this.functions.map((fn) => fn.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: fnLabel(fn) })),
        width: 8,
        height: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Duration p95 (ms)',
        left: this.functions.map((fn) => fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(95), label: fnLabel(fn) })),
        width: 8,
        height: 8,
      }),
    );

    dashboard.addWidgets(row('HTTP API', 'Billing and operator routes, customer pages.'));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Requests and errors',
        left: [stage.metricCount({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'Requests' })],
        right: [
          stage.metricClientError({ period: PERIOD, label: '4xx' }),
          stage.metricServerError({ period: PERIOD, label: '5xx (alarmed)' }),
        ],
        width: 12,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Latency (ms)',
        left: [
          stage.metricLatency({ period: PERIOD, statistic: cloudwatch.Stats.p(50), label: 'p50' }),
          stage.metricLatency({ period: PERIOD, statistic: cloudwatch.Stats.p(95), label: 'p95' }),
          stage.metricIntegrationLatency({ period: PERIOD, statistic: cloudwatch.Stats.p(95), label: 'integration p95' }),
        ],
        width: 12,
        height: 6,
      }),
    );

    dashboard.addWidgets(row('Email (SES, whole account)', 'Every email the account sends, dunning or not; the rates are those SES judges the account by.'));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Sends, deliveries, bounces, complaints',
        left: ['Send', 'Delivery'].map((name) => sesMetric(name, { period: hour, statistic: cloudwatch.Stats.SUM, label: name })),
        right: ['Bounce', 'Complaint', 'Reject'].map((name) => sesMetric(name, { period: hour, statistic: cloudwatch.Stats.SUM, label: name })),
        width: 12,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Reputation',
        left: [sesMetric('Reputation.BounceRate', { period: hour, statistic: cloudwatch.Stats.MAXIMUM, label: 'Bounce rate' })],
        right: [sesMetric('Reputation.ComplaintRate', { period: hour, statistic: cloudwatch.Stats.MAXIMUM, label: 'Complaint rate' })],
        leftAnnotations: [
          { value: SES_ALARM_THRESHOLDS.bounceRate, label: 'bounce alarm', color: cloudwatch.Color.ORANGE },
          { value: SES_REVIEW_LEVELS.bounceRate, label: 'SES review (bounces)', color: cloudwatch.Color.RED },
        ],
        rightAnnotations: [
          { value: SES_ALARM_THRESHOLDS.complaintRate, label: 'complaint alarm', color: cloudwatch.Color.ORANGE },
          { value: SES_REVIEW_LEVELS.complaintRate, label: 'SES review (complaints)', color: cloudwatch.Color.RED },
        ],
        width: 12,
        height: 6,
      }),
    );

    dashboard.addWidgets(row('Dead-letter queues', 'Deliveries that failed every retry; infra/RUNBOOK.md says how to replay each.'));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Messages waiting',
        left: this.deadLetterQueues.map((q) =>
          q.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: q.source }),
        ),
        width: 12,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Age of the oldest message (s)',
        left: this.deadLetterQueues.map((q) =>
          q.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: q.source }),
        ),
        width: 12,
        height: 6,
      }),
    );
    return dashboard;
  }
}

function sesMetric(name: string, options: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/SES', metricName: name, ...options });
}

function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(2))} %`;
}
