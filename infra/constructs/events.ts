/**
 * Events out (DESIGN.md §5): every transition of an invoice, published once to an EventBridge bus of the stack, so a
 * billing system subscribes with a rule instead of polling.
 *
 *   invoice table ──stream (new images)──> event source mapping (INSERTs of TIMELINE# items only)
 *     ──> publish-events ──PutEvents──> `<stack>-dunning-events` bus ──> the subscribers' rules
 *              └─ batches that keep failing ──> dead-letter queue
 *
 * The contract on the bus: `source` `dunning`, `detail-type` the event (registered, pre-reminder sent, promise, …),
 * `detail` with `invoiceId`, `customerId`, `status`, `at`, `eventId` (stable per timeline entry: a subscriber
 * recognises a redelivery by it) and the facts of the event (shared/domain/events-out.ts).
 *
 * Defaults:
 * - the bus has a fixed name, `<stack>-dunning-events`, which subscribers in other stacks or accounts can reference;
 *   no resource policy, so only this account puts events on it;
 * - the mapping reads the stream from its oldest record (TRIM_HORIZON: nothing written before the first deploy of the
 *   mapping is skipped), up to 100 records or 1 s per batch, one batch per shard at a time (so an invoice's events
 *   leave in the order they were written); a failed record is retried from itself on (`reportBatchItemFailures`),
 *   a failing batch is split in two to isolate the bad record, 10 retries at most and never a record older than a day
 *   (the stream keeps records 24 h anyway);
 * - what still fails goes to the dead-letter queue (SQS-managed encryption, TLS only, kept 14 days): Lambda puts there
 *   the shard, the sequence-number range and the arrival times of the failed batch, not the records; the timeline
 *   entries in the table are the durable source to republish them from.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { EVENT_HANDLERS } from '../catalog';
import type { DataConstruct } from './data';
import { DeadLetterQueue } from './dead-letter-queue';
import { constructId, HandlerFunction } from './handler-function';
import { keys, SK } from '../../shared/adapters/dynamodb-table';
import { EVENT_SOURCE } from '../../shared/domain/events-out';

export interface EventsConstructProps {
  /** The common environment from `handlerEnvironment()`; `EVENT_BUS_NAME` is added for the publisher. */
  environment: Record<string, string>;
  /** The table whose stream carries the timeline entries (it must have a stream). */
  data: DataConstruct;
}

export class EventsConstruct extends Construct {
  /** Where every transition is published. */
  readonly bus: events.EventBus;
  /** The `publish-events` handler, fed by the table's stream. */
  readonly publisher: HandlerFunction;
  /** Batches the publisher could not publish after every retry (one message per failed batch). */
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: EventsConstructProps) {
    super(scope, id);

    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: `${Stack.of(this).stackName}-dunning-events`,
      description: `Dunning transitions of every invoice: source "${EVENT_SOURCE}", detail-type the event`,
    });

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      source: 'events-out',
      holds: 'batches of the table stream that publish-events could not publish after every retry',
    });

    this.publisher = new HandlerFunction(this, constructId(EVENT_HANDLERS.publishEvents), {
      handler: EVENT_HANDLERS.publishEvents,
      environment: { ...props.environment, EVENT_BUS_NAME: this.bus.eventBusName },
      // Up to 100 records a batch, each a GetItem (once per invoice) and a PutEvents call, in order.
      timeout: Duration.seconds(30),
    });
    this.bus.grantPutEventsTo(this.publisher);
    // The event's customer and status come from the invoice record.
    props.data.grantRead(this.publisher);

    // Grants the stream reads too (DescribeStream, GetRecords, GetShardIterator on this table's stream, ListStreams).
    this.publisher.addEventSource(
      new DynamoEventSource(props.data.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.deadLetterQueue),
        // Only new timeline entries become events: invoice records, claims, links and updates never invoke the function.
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            // One timeline entry, one event out (keys in shared/adapters/dynamodb-table.ts).
            dynamodb: { Keys: { [SK]: { S: lambda.FilterRule.beginsWith(keys.timelinePrefix) } } },
          }),
        ],
      }),
    );
    Validations.of(this.publisher.executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Besides the X-Ray actions, dynamodb:ListStreams (added by the DynamoDB event source) uses "*": it has no ' +
        'resource-level permissions. The stream reads name this table\'s stream, PutEvents this bus, the reads this table.',
    });
  }
}
