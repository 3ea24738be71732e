/**
 * The local start buffer (infra/local/queue.ts) and Step Functions' throttling (infra/local/token-bucket.ts) on the
 * virtual clock, with no real sleeping: the queue answers the real SQS client (its MD5 checks included) and feeds its
 * consumer as the stack's event source mapping does — bounded batches, bounded concurrency, failed messages back after
 * the visibility timeout, then to the dead letters; the buckets refuse beyond their burst and refill with virtual time.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueueDoesNotExist, SendMessageBatchCommand, SendMessageCommand, SQSClient, TooManyEntriesInBatchRequest, EmptyBatchRequest } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { Activity } from '../../infra/local/activity';
import { LocalQueue, type LocalQueueOptions } from '../../infra/local/queue';
import { bucketFromEnv, LARGE_REGION_BUCKET, TokenBucket } from '../../infra/local/token-bucket';
import { VirtualClock } from '../../infra/local/virtual-clock';
import { SqsWorkflowSignals } from '../../shared/adapters/sqs-signals';
import type { WorkflowSignal } from '../../shared/ports';

const START = new Date('2027-03-31T22:00:00.000Z'); // a month-end evening
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

interface Delivery {
  atMs: number;
  bodies: string[];
  receiveCounts: number[];
}

interface World {
  clock: VirtualClock;
  activity: Activity;
  queue: LocalQueue;
  sqs: SQSClient;
  deliveries: Delivery[];
  /** How many deliveries ran at once, at most. */
  maxConcurrent: () => number;
  send: (bodies: string[], delaySeconds?: number) => Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A queue behind a real HTTP endpoint, its consumer `consume` (tracked as activity, as the runtime's invocations are),
 * on a frozen virtual clock.
 */
async function queueWorld(consume: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>, options: Partial<LocalQueueOptions> = {}): Promise<World> {
  const activity = new Activity();
  const clock = new VirtualClock({ startAt: START, speed: 0, waitForIdle: () => activity.idle() });
  let queue: LocalQueue | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => queue!.handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_aws/sqs`;
  const deliveries: Delivery[] = [];
  let running = 0;
  let maxRunning = 0;
  queue = new LocalQueue({
    name: 'dunning-signals',
    endpoint,
    activity,
    clock,
    consume: (event) =>
      activity.track(async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        deliveries.push({ atMs: clock.nowMs(), bodies: event.Records.map((r) => r.body), receiveCounts: event.Records.map((r) => Number(r.attributes.ApproximateReceiveCount)) });
        try {
          return await consume(event);
        } finally {
          running -= 1;
        }
      }),
    batchSize: 10,
    maxConcurrency: 3,
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 3,
    ...options,
  });
  const sqs = new SQSClient({ endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  cleanups.push(() => {
    clock.stop();
    sqs.destroy();
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const send = async (bodies: string[], delaySeconds?: number) => {
    for (let from = 0; from < bodies.length; from += 10) {
      const entries = bodies.slice(from, from + 10).map((body, index) => ({ Id: String(index), MessageBody: body, ...(delaySeconds ? { DelaySeconds: delaySeconds } : {}) }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: queue!.url, Entries: entries }));
    }
  };
  return { clock, activity, queue, sqs, deliveries, maxConcurrent: () => maxRunning, send };
}

const ok = async (): Promise<SQSBatchResponse> => ({ batchItemFailures: [] });
const failing = (shouldFail: (body: string, receiveCount: number) => boolean) => async (event: SQSEvent): Promise<SQSBatchResponse> => ({
  batchItemFailures: event.Records.filter((r) => shouldFail(r.body, Number(r.attributes.ApproximateReceiveCount))).map((r) => ({ itemIdentifier: r.messageId })),
});
const delivered = (world: World) => world.deliveries.flatMap((d) => d.bodies);

describe('LocalQueue: the event source mapping', () => {
  it('delivers a month-end burst in batches of at most ten with at most three deliveries at once, each message once', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const world = await queueWorld(async () => {
      await gate;
      return { batchItemFailures: [] };
    });
    const signals: WorkflowSignal[] = Array.from({ length: 45 }, (_, index) => ({ type: 'start', invoiceId: `F-${index}`, executionName: `F-${index}-r1` }));

    // The application's own adapter, through the real SDK.
    await new SqsWorkflowSignals(world.sqs, world.queue.url).send(signals);
    expect(world.queue.sent).toBe(45);
    // Consumers held: three at work, the rest waiting.
    expect(world.deliveries).toHaveLength(3);
    expect(world.queue.depth).toEqual({ visible: 45 - world.deliveries.flatMap((d) => d.bodies).length, inFlight: world.deliveries.flatMap((d) => d.bodies).length, dead: 0 });

    open();
    await world.clock.settle();

    expect(world.maxConcurrent()).toBe(3);
    expect(Math.max(...world.deliveries.map((d) => d.bodies.length))).toBe(10);
    expect(world.deliveries.every((d) => d.bodies.length >= 1 && d.bodies.length <= 10)).toBe(true);
    expect(delivered(world).sort()).toEqual(signals.map((signal) => JSON.stringify(signal)).sort());
    expect(world.queue.depth).toEqual({ visible: 0, inFlight: 0, dead: 0 });
    expect(world.queue.deliveries).toBe(world.deliveries.length);
  });

  it('brings a failed message back only once its visibility timeout has passed on the clock, and only that message', async () => {
    const world = await queueWorld(failing((body, count) => body === 'throttled' && count === 1));
    await world.send(['throttled', 'fine']);
    await world.clock.settle();
    expect(delivered(world).sort()).toEqual(['fine', 'throttled']);

    await world.clock.advance(29_000);
    expect(delivered(world)).toHaveLength(2);
    expect(world.queue.depth).toEqual({ visible: 0, inFlight: 0, dead: 0 });

    await world.clock.advance(1_000);
    expect(world.deliveries.at(-1)).toEqual({ atMs: START.getTime() + 30_000, bodies: ['throttled'], receiveCounts: [2] });
    await world.clock.advance(600_000);
    expect(delivered(world)).toHaveLength(3);
    expect(world.queue.deadLetters).toEqual([]);
  });

  it('brings back every message of a batch whose consumer throws, and none of another batch', async () => {
    const world = await queueWorld(async (event) => {
      if (event.Records.some((r) => r.body === 'b' && r.attributes.ApproximateReceiveCount === '1')) throw new Error('Task timed out after 30.00 seconds');
      return { batchItemFailures: [] };
    }, { maxConcurrency: 1 });
    // One send: the single consumer is busy with the first message while the next two wait, then takes them together.
    await world.send(['a', 'b', 'c']);
    await world.clock.settle();
    expect(world.deliveries.map((d) => d.bodies)).toEqual([['a'], ['b', 'c']]);

    await world.clock.advance(30_000);
    const again = world.deliveries.slice(2);
    expect(again.flatMap((d) => d.bodies).sort()).toEqual(['b', 'c']);
    expect(again.every((d) => d.atMs === START.getTime() + 30_000 && d.receiveCounts.every((count) => count === 2))).toBe(true);
    await world.clock.advance(600_000);
    expect(delivered(world)).toHaveLength(5);
    expect(world.queue.deadLetters).toEqual([]);
  });

  it('moves a message to the dead letters after maxReceiveCount failed deliveries, and delivers it no more', async () => {
    const world = await queueWorld(failing((body) => body === 'poison'));
    await world.send(['poison']);
    await world.clock.settle();
    await world.clock.advance(3_600_000);

    expect(world.deliveries.map((d) => [d.atMs - START.getTime(), d.receiveCounts[0]])).toEqual([
      [0, 1],
      [30_000, 2],
      [60_000, 3],
    ]);
    expect(world.queue.deadLetters).toEqual([{ messageId: expect.any(String), body: 'poison', receiveCount: 3 }]);
    expect(world.queue.depth).toEqual({ visible: 0, inFlight: 0, dead: 1 });
  });

  it('holds a message sent with DelaySeconds until the clock reaches it', async () => {
    const world = await queueWorld(ok);
    await new SqsWorkflowSignals(world.sqs, world.queue.url).send([{ type: 'wake', invoiceId: 'F-2027-0042', attempt: 2 }], { delaySeconds: 20 });
    await world.clock.settle();
    await world.clock.advance(19_999);
    expect(world.deliveries).toEqual([]);

    await world.clock.advance(1);
    expect(world.deliveries).toEqual([{ atMs: START.getTime() + 20_000, bodies: [JSON.stringify({ type: 'wake', invoiceId: 'F-2027-0042', attempt: 2 })], receiveCounts: [1] }]);
  });

  it('keeps the clock\'s settle waiting while messages wait for a free consumer', async () => {
    const world = await queueWorld(ok, { maxConcurrency: 1, batchSize: 1 });
    await world.send(['1', '2', '3', '4', '5']);
    await world.clock.settle();
    expect(delivered(world)).toEqual(['1', '2', '3', '4', '5']);
    expect(world.activity.inFlight).toBe(0);
  });
});

describe('LocalQueue: the SQS wire format', () => {
  it('answers SendMessage and SendMessageBatch with the MD5 of each body that the SDK checks, non-ASCII text included', async () => {
    const world = await queueWorld(ok);
    const bodies = ['{"type":"start","invoiceId":"F-2027-0042","executionName":"F-2027-0042-r1"}', 'Créance de 1 234,56 € — relance préventive', '日本語'];

    const single = await world.sqs.send(new SendMessageCommand({ QueueUrl: world.queue.url, MessageBody: bodies[1] }));
    expect(single.MD5OfMessageBody).toBe(md5(bodies[1]!));
    expect(single.MessageId).toMatch(/^[0-9a-f-]{36}$/);

    const batch = await world.sqs.send(new SendMessageBatchCommand({ QueueUrl: world.queue.url, Entries: bodies.map((body, index) => ({ Id: `e${index}`, MessageBody: body })) }));
    expect(batch.Failed ?? []).toEqual([]);
    expect(batch.Successful!.map((entry) => [entry.Id, entry.MD5OfMessageBody])).toEqual(bodies.map((body, index) => [`e${index}`, md5(body)]));
    expect(new Set(batch.Successful!.map((entry) => entry.MessageId)).size).toBe(3);

    await world.clock.settle();
    expect(delivered(world).sort()).toEqual([bodies[1]!, ...bodies].sort());
  });

  it('answers the SQS JSON protocol on the wire: the content type, a request id and the MD5 per entry', async () => {
    const world = await queueWorld(ok);
    const response = await fetch(world.queue.url.replace(/\/000000000000\/.*$/, ''), {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessageBatch' },
      body: JSON.stringify({ QueueUrl: world.queue.url, Entries: [{ Id: 'a', MessageBody: 'héllo' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(response.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(await response.json()).toEqual({ Successful: [{ Id: 'a', MessageId: expect.any(String), MD5OfMessageBody: md5('héllo') }], Failed: [] });
  });

  it('refuses a queue it does not hold and a delay beyond 900 seconds as the sender\'s mistakes, delivering nothing', async () => {
    const world = await queueWorld(ok);
    const unknown = await world.sqs.send(new SendMessageCommand({ QueueUrl: `${world.queue.url}-other`, MessageBody: 'x' })).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400 }, name: 'QueueDoesNotExist' });
    const tooLong = await world.sqs.send(new SendMessageCommand({ QueueUrl: world.queue.url, MessageBody: 'x', DelaySeconds: 901 })).catch((e: unknown) => e);
    expect(tooLong).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400 }, message: expect.stringMatching(/DelaySeconds/) });
    await world.clock.settle();
    expect(world.queue.sent).toBe(0);
    expect(world.deliveries).toEqual([]);
  });

  it('names its refusals as SQS does, so that the SDK throws its own exceptions: QueueDoesNotExist, TooManyEntriesInBatchRequest, EmptyBatchRequest', async () => {
    const world = await queueWorld(ok);
    const unknown = await world.sqs.send(new SendMessageCommand({ QueueUrl: `${world.queue.url}-other`, MessageBody: 'x' })).catch((e: unknown) => e);
    const eleven = await world.sqs
      .send(new SendMessageBatchCommand({ QueueUrl: world.queue.url, Entries: Array.from({ length: 11 }, (_, index) => ({ Id: String(index), MessageBody: 'x' })) }))
      .catch((e: unknown) => e);
    const none = await world.sqs.send(new SendMessageBatchCommand({ QueueUrl: world.queue.url, Entries: [] })).catch((e: unknown) => e);
    expect({ unknown: (unknown as Error).name, eleven: (eleven as Error).name, none: (none as Error).name }).toEqual({
      unknown: 'QueueDoesNotExist',
      eleven: 'TooManyEntriesInBatchRequest',
      none: 'EmptyBatchRequest',
    });
    expect(unknown).toBeInstanceOf(QueueDoesNotExist);
    expect(eleven).toBeInstanceOf(TooManyEntriesInBatchRequest);
    expect(none).toBeInstanceOf(EmptyBatchRequest);
    expect(world.queue.sent).toBe(0);
  });
});

describe('TokenBucket', () => {
  const bucketOn = (settings: { rate: number; burst: number }) => {
    const clock = new VirtualClock({ startAt: START, speed: 0 });
    cleanups.push(() => clock.stop());
    return { clock, bucket: new TokenBucket(settings, () => clock.nowMs()) };
  };
  const takes = (bucket: TokenBucket, n: number) => Array.from({ length: n }, () => bucket.take());

  it('allows a burst at once and refuses the next call, counting the refusal', () => {
    const { bucket } = bucketOn({ rate: 2, burst: 5 });
    expect(takes(bucket, 5)).toEqual([true, true, true, true, true]);
    expect(bucket.take()).toBe(false);
    expect(bucket.throttled).toBe(1);
  });

  it('refills at its rate per second of virtual time', async () => {
    const { clock, bucket } = bucketOn({ rate: 2, burst: 5 });
    takes(bucket, 5);
    await clock.advance(499);
    expect(bucket.take()).toBe(false);
    await clock.advance(1);
    expect(takes(bucket, 2)).toEqual([true, false]);
    await clock.advance(1_000);
    expect(takes(bucket, 3)).toEqual([true, true, false]);
  });

  it('never holds more than its burst, however long it was quiet', async () => {
    const { clock, bucket } = bucketOn({ rate: 300, burst: 4 });
    takes(bucket, 4);
    await clock.advance(3_600_000);
    expect(takes(bucket, 5)).toEqual([true, true, true, true, false]);
  });

  it('does not refill while the clock stands still', () => {
    const { bucket } = bucketOn({ rate: 1000, burst: 1 });
    expect(takes(bucket, 3)).toEqual([true, false, false]);
    expect(bucket.throttled).toBe(2);
  });
});

describe('bucketFromEnv', () => {
  it('reads LOCAL_START_RATE and LOCAL_START_BURST for StartExecution, and LOCAL_SIGNAL_* for SendTaskSuccess', () => {
    const env = { LOCAL_START_RATE: '2.5', LOCAL_START_BURST: '7', LOCAL_SIGNAL_RATE: '40', LOCAL_SIGNAL_BURST: '100' };
    expect(bucketFromEnv('START', env)).toEqual({ rate: 2.5, burst: 7 });
    expect(bucketFromEnv('SIGNAL', env)).toEqual({ rate: 40, burst: 100 });
  });

  it('keeps the largest regions\' quota for what is unset or empty', () => {
    expect(bucketFromEnv('START', {})).toEqual(LARGE_REGION_BUCKET);
    expect(bucketFromEnv('START', { LOCAL_START_RATE: '', LOCAL_START_BURST: '9' })).toEqual({ rate: LARGE_REGION_BUCKET.rate, burst: 9 });
    expect(LARGE_REGION_BUCKET).toEqual({ rate: 300, burst: 1300 });
  });

  it.each(['0', '-1', 'abc', 'Infinity', 'NaN', '1e400'])('refuses %s as a rate or a burst, naming the variable', (value) => {
    expect(() => bucketFromEnv('START', { LOCAL_START_RATE: value })).toThrow(new RangeError(`LOCAL_START_RATE must be a positive number, got "${value}"`));
    expect(() => bucketFromEnv('SIGNAL', { LOCAL_SIGNAL_BURST: value })).toThrow(/LOCAL_SIGNAL_BURST must be a positive number/);
  });
});
