/**
 * The start buffer: Step Functions sees the pace it accepts, however many invoices a billing system registers at once.
 *
 *   API handlers ──SendMessageBatch──> signals queue ──event source mapping (10 a batch, 3 at once)──> signal-workflow
 *   park-invoice ─┘   (starts, throttled wake-ups)        └─ 25 failed deliveries ──> dead-letter queue (alarmed)
 *                                                           signal-workflow ──StartExecution / CreateSchedule /
 *                                                                             SendTaskSuccess──> Step Functions
 *   Scheduler, every 10 minutes ──> reconcile-starts: starts noted an hour ago and still unconfirmed are signalled again
 *
 * Defaults (`START_BUFFER` in infra/catalog.ts, shared with the local runtime):
 * - the queue: SQS-managed encryption, TLS only, messages kept 4 days, a visibility timeout of 180 s (six times the
 *   consumer's 30 s timeout, as AWS advises for SQS event sources);
 * - the consumer: up to 10 signals a batch, at most 3 batches at once (the mapping's maximum concurrency), failures
 *   reported per message; a throttled signal is sent again with a growing delay by the consumer itself, so throttling
 *   never uses up a message's deliveries; anything else failing 25 times lands in the dead-letter queue;
 * - the reconciliation: an EventBridge Scheduler schedule, `rate(10 minutes)`, with its own role, retry policy and
 *   dead-letter queue, as the daily digest has.
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_HANDLERS, START_BUFFER } from '../catalog';
import type { DataConstruct } from './data';
import { DeadLetterQueue } from './dead-letter-queue';
import { constructId, HandlerFunction } from './handler-function';
import type { SchedulesConstruct } from './schedules';
import { grantDescribeExecutions, grantTaskResponse, type WorkflowConstruct } from './workflow';

/** The consumer's timeout: ten Step Functions calls in parallel, each retried by the SDK, fit well within it. */
const CONSUMER_TIMEOUT = Duration.seconds(30);

export class StartBufferConstruct extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: DeadLetterQueue;
  /** Set by `addConsumer`. */
  consumer?: HandlerFunction;
  reconciler?: HandlerFunction;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      source: 'start-buffer',
      holds: 'starts and wake-ups of executions that failed 25 deliveries for a reason other than throttling',
    });
    this.queue = new sqs.Queue(this, 'Signals', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      visibilityTimeout: Duration.seconds(START_BUFFER.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: START_BUFFER.maxReceiveCount },
    });
  }

  /** The URL every handler that signals reads (`SIGNAL_QUEUE_URL`). */
  get environment(): Record<string, string> {
    return { SIGNAL_QUEUE_URL: this.queue.queueUrl };
  }

  /** Lets a handler hand signals to the buffer (and nothing else of the queue). */
  grantSignal(grantee: iam.IGrantable): void {
    this.queue.grantSendMessages(grantee);
  }

  /** The consumer, and the reconciliation with its schedule. */
  addConsumer(props: { environment: Record<string, string>; data: DataConstruct; workflow: WorkflowConstruct; schedules: SchedulesConstruct }): void {
    const consumer = new HandlerFunction(this, constructId(EVENT_HANDLERS.signalWorkflow), {
      handler: EVENT_HANDLERS.signalWorkflow,
      environment: props.environment,
      timeout: CONSUMER_TIMEOUT,
    });
    // Reads the record, forgets the start's note once made.
    props.data.grantReadWrite(consumer);
    props.workflow.stateMachine.grantStartExecution(consumer);
    // Before it schedules a deferred start, it checks that the execution does not run already (its schedule fired),
    // and moves a schedule made from an older read of the record.
    grantDescribeExecutions(this, consumer);
    props.schedules.grantDeferredStarts(consumer, ['create', 'update']);
    grantTaskResponse(this, consumer);
    // A throttled signal is sent again, later.
    this.grantSignal(consumer);
    consumer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: START_BUFFER.batchSize,
        maxConcurrency: START_BUFFER.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    this.consumer = consumer;

    const reconciler = new HandlerFunction(this, constructId(EVENT_HANDLERS.reconcileStarts), {
      handler: EVENT_HANDLERS.reconcileStarts,
      environment: props.environment,
      timeout: Duration.seconds(60),
    });
    props.data.grantRead(reconciler);
    this.grantSignal(reconciler);
    props.schedules.addRecurring({
      id: 'ReconcileStarts',
      fn: reconciler,
      description: 'Signals again the starts noted an hour ago and still unconfirmed',
      expression: `rate(${START_BUFFER.reconcileEveryMinutes} minutes)`,
      // A run missed is made up by the next one, ten minutes later.
      maxAge: Duration.minutes(START_BUFFER.reconcileEveryMinutes),
      deadLetter: { source: 'reconcile-starts', holds: 'reconciliation runs that could not be invoked, or whose handler failed every attempt' },
    });
    this.reconciler = reconciler;
  }
}
