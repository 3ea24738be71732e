/**
 * The start buffer's queue, locally: an SQS endpoint (AWS JSON 1.0: `SendMessage` and `SendMessageBatch`, with
 * `DelaySeconds`) for the handlers' own SQS client, and the event source mapping that feeds its consumer — batches of
 * up to `batchSize`, at most `maxConcurrency` invocations at once, failed messages back after their visibility
 * timeout, delays and timeouts on the virtual clock, and to the dead-letter list after `maxReceiveCount` deliveries. Messages waiting to be delivered count as activity, so the clock's settle waits for them.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Activity } from './activity';
import type { VirtualClock } from './virtual-clock';

const ACCOUNT = '000000000000';
const REGION = 'eu-west-3';
const SQS_JSON = 'application/x-amz-json-1.0';

interface Message {
  messageId: string;
  body: string;
  md5: string;
  sentAtMs: number;
  receiveCount: number;
  /** While delivered: the receipt handle of this delivery. */
  receipt?: string;
}

export interface LocalQueueOptions {
  name: string;
  /** The endpoint's base URL (`AWS_ENDPOINT_URL_SQS`): the queue's URL is `<base>/<account>/<name>`. */
  endpoint: string;
  activity: Activity;
  clock: VirtualClock;
  /** The consumer (the handler the stack's event source mapping invokes). */
  consume: (event: SQSEvent) => Promise<unknown>;
  batchSize: number;
  maxConcurrency: number;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  log?: (message: string) => void;
}

/** An SQS refusal: `code` as the JSON protocol names it, `queryCode` as the `x-amzn-query-error` header does. */
class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly queryCode: string = `AWS.SimpleQueueService.${code}`,
  ) {
    super(message);
  }
}

/** SQS's DelaySeconds: 0 to 900. */
function delayOf(value: unknown): number {
  const seconds = Number(value ?? 0);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 900) throw new SqsError('InvalidParameterValue', 'DelaySeconds must be an integer from 0 to 900', 'InvalidParameterValue');
  return seconds;
}

export class LocalQueue {
  readonly url: string;
  readonly arn: string;
  private ready: Message[] = [];
  private readonly delivered = new Map<string, Message>();
  private running = 0;
  /** Messages that used up their deliveries (the stack's dead-letter queue). */
  readonly deadLetters: { messageId: string; body: string; receiveCount: number }[] = [];
  /** Messages ever sent, and deliveries ever made. */
  sent = 0;
  deliveries = 0;
  private pendingWork: (() => void) | undefined;

  constructor(private readonly options: LocalQueueOptions) {
    this.url = `${options.endpoint}/${ACCOUNT}/${options.name}`;
    this.arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${options.name}`;
  }

  /** How many messages are waiting, in delivery, or invisible until a retry. */
  get depth(): { visible: number; inFlight: number; dead: number } {
    return { visible: this.ready.length, inFlight: this.delivered.size, dead: this.deadLetters.length };
  }

  handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
    try {
      const request = JSON.parse(body || '{}') as Record<string, unknown>;
      if (request.QueueUrl !== undefined && request.QueueUrl !== this.url) {
        throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue');
      }
      switch (operation) {
        case 'SendMessage':
          return this.send(res, 200, this.enqueue(String(request.MessageBody ?? ''), delayOf(request.DelaySeconds)));
        case 'SendMessageBatch': {
          const entries = (request.Entries ?? []) as { Id: string; MessageBody: string; DelaySeconds?: number }[];
          if (entries.length === 0) throw new SqsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
          if (entries.length > 10) throw new SqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${entries.length}.`);
          const successful = entries.map((entry) => ({ Id: entry.Id, ...this.enqueue(entry.MessageBody, delayOf(entry.DelaySeconds)) }));
          return this.send(res, 200, { Successful: successful, Failed: [] });
        }
        default:
          throw new SqsError('UnsupportedOperation', `The local queue does not implement ${operation || target}`);
      }
    } catch (error) {
      if (error instanceof SqsError) return this.send(res, 400, { __type: `com.amazonaws.sqs#${error.code}`, message: error.message }, error.queryCode);
      if (error instanceof SyntaxError) return this.send(res, 400, { __type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'Malformed JSON' });
      throw error;
    }
  }

  private send(res: ServerResponse, status: number, body: unknown, queryError?: string): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': SQS_JSON,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
      ...(queryError ? { 'x-amzn-query-error': `${queryError};Sender` } : {}),
    });
    res.end(text);
  }

  private enqueue(body: string, delaySeconds: number): { MessageId: string; MD5OfMessageBody: string } {
    const message: Message = {
      messageId: randomUUID(),
      body,
      md5: createHash('md5').update(body).digest('hex'),
      sentAtMs: this.options.clock.nowMs(),
      receiveCount: 0,
    };
    this.sent += 1;
    if (delaySeconds > 0) this.options.clock.at(message.sentAtMs + delaySeconds * 1000, () => this.redeliver(message), `${this.options.name}: delayed`);
    else this.redeliver(message);
    return { MessageId: message.messageId, MD5OfMessageBody: message.md5 };
  }

  /** Starts as many deliveries as the concurrency allows; the activity counts what is waiting for one. */
  private pump(): void {
    while (this.running < this.options.maxConcurrency && this.ready.length > 0) {
      const batch = this.ready.splice(0, this.options.batchSize);
      this.running += 1;
      void this.deliver(batch).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
    // Messages still waiting for a free consumer keep the system busy, as a non-empty queue would on AWS.
    if (this.ready.length > 0 && !this.pendingWork) this.pendingWork = this.options.activity.enter();
    if (this.ready.length === 0 && this.pendingWork) {
      this.pendingWork();
      this.pendingWork = undefined;
    }
  }

  private async deliver(batch: Message[]): Promise<void> {
    const now = this.options.clock.nowMs();
    for (const message of batch) {
      message.receiveCount += 1;
      message.receipt = randomUUID();
      this.delivered.set(message.receipt, message);
    }
    this.deliveries += 1;
    const event: SQSEvent = {
      Records: batch.map((message) => ({
        messageId: message.messageId,
        receiptHandle: message.receipt!,
        body: message.body,
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAtMs),
          SenderId: ACCOUNT,
          ApproximateFirstReceiveTimestamp: String(now),
        },
        messageAttributes: {},
        md5OfBody: message.md5,
        eventSource: 'aws:sqs',
        eventSourceARN: this.arn,
        awsRegion: REGION,
      })),
    };
    let failedIds: Set<string>;
    try {
      const response = (await this.options.consume(event)) as SQSBatchResponse | undefined;
      failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      // A consumer that throws fails its whole batch, as Lambda's event source mapping treats it.
      this.options.log?.(`[queue] ${this.options.name}: consumer failed: ${String(error)}`);
      failedIds = new Set(batch.map((message) => message.messageId));
    }
    for (const message of batch) {
      this.delivered.delete(message.receipt!);
      message.receipt = undefined;
      if (!failedIds.has(message.messageId)) continue;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.deadLetters.push({ messageId: message.messageId, body: message.body, receiveCount: message.receiveCount });
        this.options.log?.(`[queue] ${this.options.name}: message ${message.messageId} moved to the dead-letter queue after ${message.receiveCount} deliveries`);
        continue;
      }
      this.options.clock.at(this.options.clock.nowMs() + this.options.visibilityTimeoutSeconds * 1000, () => this.redeliver(message), `${this.options.name}: retry`);
    }
  }

  private redeliver(message: Message): void {
    this.ready.push(message);
    this.pump();
  }
}
