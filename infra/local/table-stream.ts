/**
 * DynamoDB Streams for the local runtime (the emulator has none): every timeline item the handlers' client creates
 * becomes an INSERT stream record, delivered in order to `functions/publish-events.ts` as the event source mapping does
 * on AWS (same filter: new timeline items only; a batch that reports a failure is delivered again from that record).
 * The records come from the successful conditional PutItem that creates each timeline item, seen by a middleware on
 * the handlers' DynamoDB client, through which every write of the system goes.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Activity } from './activity';

const TIMELINE = 'TIMELINE#';

/** A PutItem's input as the client sends it (attribute values in DynamoDB's JSON). */
type PutInput = { Item?: Record<string, { S?: string }>; ConditionExpression?: string };
/** Attempts of one record before it is set aside, as the mapping's retries then its dead-letter queue would. */
const ATTEMPTS = 5;
const BATCH = 100;

export class LocalTableStream {
  private readonly queue: DynamoDBRecord[] = [];
  private sequence = 0;
  private pumping = false;
  /** Records the function kept failing on (the dead-letter queue's content on AWS). */
  readonly deadLetters: DynamoDBRecord[] = [];

  constructor(
    private readonly options: {
      activity: Activity;
      invoke: (event: DynamoDBStreamEvent) => Promise<unknown>;
      log: (line: string) => void;
    },
  ) {}

  /** Watches the client's writes (the handlers' shared client). */
  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if ((context as { commandName?: string }).commandName === 'PutItemCommand') this.recordPut(args.input as PutInput);
        return result;
      },
      { step: 'build', priority: 'low', name: 'localTableStream', override: true },
    );
  }

  private recordPut({ Item, ConditionExpression }: PutInput): void {
    // A timeline item is only ever put if absent: a put that succeeded created it.
    if (!Item?.sk?.S?.startsWith(TIMELINE) || !ConditionExpression?.includes('attribute_not_exists')) return;
    this.queue.push({
      eventID: String(++this.sequence),
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: { Keys: { pk: Item.pk!, sk: Item.sk }, NewImage: Item, SequenceNumber: String(this.sequence).padStart(21, '0'), StreamViewType: 'NEW_IMAGE' },
    } as DynamoDBRecord);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    const done = this.options.activity.enter();
    try {
      const failures = new Map<string, number>();
      while (this.queue.length) {
        const batch = this.queue.slice(0, BATCH);
        let failed: string | undefined;
        try {
          const response = (await this.options.invoke({ Records: batch })) as DynamoDBBatchResponse | undefined;
          failed = response?.batchItemFailures?.[0]?.itemIdentifier;
        } catch (error) {
          this.options.log(`[stream] publish-events failed: ${String(error)}`);
          failed = batch[0]!.dynamodb!.SequenceNumber;
        }
        const index = failed === undefined ? batch.length : Math.max(0, batch.findIndex((r) => r.dynamodb?.SequenceNumber === failed));
        this.queue.splice(0, index);
        if (failed === undefined) continue;
        const attempts = (failures.get(failed) ?? 0) + 1;
        failures.set(failed, attempts);
        // The mapping's retries are not immediate either: a throttled table gets a moment.
        await new Promise((resolve) => setTimeout(resolve, 20 * attempts));
        if (attempts >= ATTEMPTS) {
          this.deadLetters.push(this.queue.shift()!);
          this.options.log(`[stream] record ${failed} set aside after ${attempts} attempts`);
        }
      }
    } finally {
      this.pumping = false;
      done();
    }
  }
}
