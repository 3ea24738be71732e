/**
 * The start buffer on SQS (shared/adapters/sqs-signals.ts), with the SQS client mocked: signals leave ten to a batch,
 * a batch taken in part is completed by sending again only what failed, and what SQS keeps refusing is reported to the
 * caller rather than lost in silence. Also the delay before a throttled signal comes back.
 */
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { retryDelaySeconds, SqsWorkflowSignals, sqsWorkflowSignals } from '../../../shared/adapters/sqs-signals';
import type { WorkflowSignal } from '../../../shared/ports';

const QUEUE_URL = 'https://sqs.eu-west-3.amazonaws.com/123456789012/dunning-signals';
const sqs = mockClient(SQSClient);
const buffer = () => new SqsWorkflowSignals(new SQSClient({ region: 'eu-west-3', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }), QUEUE_URL);

const startOf = (n: number): WorkflowSignal => ({ type: 'start', invoiceId: `F-2027-${String(n).padStart(4, '0')}`, executionName: `F-2027-${String(n).padStart(4, '0')}-r1` });
const batches = () => sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input as SendMessageBatchCommandInput);
const bodies = (input: SendMessageBatchCommandInput) => input.Entries!.map((entry) => JSON.parse(entry.MessageBody!) as WorkflowSignal);

beforeEach(() => {
  sqs.reset();
});

describe('SqsWorkflowSignals.send', () => {
  it('sends 23 signals as three batches of 10, 10 and 3, each signal once as its JSON, in order', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const signals = Array.from({ length: 23 }, (_, index) => startOf(index + 1));

    await buffer().send(signals);

    const sent = batches();
    expect(sent.map((input) => input.Entries!.length)).toEqual([10, 10, 3]);
    expect(sent.every((input) => input.QueueUrl === QUEUE_URL)).toBe(true);
    expect(sent.flatMap(bodies)).toEqual(signals);
    expect(sent.flatMap((input) => input.Entries!.map((entry) => entry.MessageBody))).toEqual(signals.map((signal) => JSON.stringify(signal)));
    // Ids are unique within each batch, as SQS requires.
    for (const input of sent) expect(new Set(input.Entries!.map((entry) => entry.Id)).size).toBe(input.Entries!.length);
    expect(sent.flatMap((input) => input.Entries!).some((entry) => 'DelaySeconds' in entry)).toBe(false);
  });

  it('sends nothing for no signals', async () => {
    await buffer().send([]);
    expect(sqs.calls()).toEqual([]);
  });

  it('holds every signal back by the delay asked for, in whole seconds and never beyond SQS\'s 900', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
    await buffer().send([startOf(1), startOf(2)], { delaySeconds: 2.6 });
    await buffer().send([startOf(3)], { delaySeconds: 1800 });
    expect(batches().map((input) => input.Entries!.map((entry) => entry.DelaySeconds))).toEqual([[3, 3], [900]]);
  });

  it('sends again only the entries of a batch that failed, with the same bodies, and resolves once they are taken', async () => {
    const signals = Array.from({ length: 5 }, (_, index) => startOf(index + 1));
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: '0', MessageId: 'm0', MD5OfMessageBody: 'x' }, { Id: '2', MessageId: 'm2', MD5OfMessageBody: 'x' }, { Id: '4', MessageId: 'm4', MD5OfMessageBody: 'x' }],
        Failed: [
          { Id: '1', Code: 'InternalError', SenderFault: false },
          { Id: '3', Code: 'ServiceUnavailable', SenderFault: false },
        ],
      })
      .resolves({ Failed: [] });

    await buffer().send(signals, { delaySeconds: 5 });

    const sent = batches();
    expect(sent).toHaveLength(2);
    expect(bodies(sent[1]!)).toEqual([signals[1], signals[3]]);
    expect(sent[1]!.Entries!.every((entry) => entry.DelaySeconds === 5)).toBe(true);
  });

  it('gives up and throws after three attempts at an entry SQS keeps failing, naming the error', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    await expect(buffer().send([startOf(1)])).rejects.toThrow(/refused 1 signal\(s\): InternalError/);
    expect(batches()).toHaveLength(3);
  });

  it('throws at once, without sending again, on a failure that is the sender\'s fault', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '1', Code: 'InvalidParameterValue', SenderFault: true }] });
    await expect(buffer().send([startOf(1), startOf(2)])).rejects.toThrow(/InvalidParameterValue/);
    expect(batches()).toHaveLength(1);
  });

  it('passes on an error SQS answers for the whole call', async () => {
    sqs.on(SendMessageBatchCommand).rejects(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' }));
    await expect(buffer().send([startOf(1)])).rejects.toMatchObject({ name: 'ServiceUnavailable' });
  });
});

describe('sqsWorkflowSignals', () => {
  it('refuses to build a buffer without its queue URL', () => {
    expect(() => sqsWorkflowSignals(undefined)).toThrow(/SIGNAL_QUEUE_URL/);
  });
});

describe('retryDelaySeconds', () => {
  const ceiling = (attempt: number) => Math.min(300, 2 ** (Math.max(1, attempt) + 2));
  const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

  it('starts at 2 to 8 seconds and reaches 5 minutes at most', () => {
    expect(retryDelaySeconds(1, () => 0)).toBe(2);
    expect(retryDelaySeconds(1, () => 0.999)).toBe(8);
    expect(retryDelaySeconds(20, () => 0.999)).toBe(300);
    expect(retryDelaySeconds(20, () => 0)).toBe(75);
  });

  it('stays within the upper three quarters of a window that doubles with each attempt, never above 300 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2, max: 60 }), random, (attempt, r) => {
        const delay = retryDelaySeconds(attempt, () => r);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(ceiling(attempt) / 4);
        expect(delay).toBeLessThanOrEqual(ceiling(attempt));
        expect(delay).toBeLessThanOrEqual(300);
      }),
      { numRuns: 500, seed: Number(process.env.PROPERTY_SEED ?? 20270201) },
    );
  });

  it('grows with the attempt for the same draw of the jitter (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), random, (attempt, r) => {
        expect(retryDelaySeconds(attempt + 1, () => r)).toBeGreaterThanOrEqual(retryDelaySeconds(attempt, () => r));
      }),
      { numRuns: 500, seed: Number(process.env.PROPERTY_SEED ?? 20270201) },
    );
    expect(retryDelaySeconds(8, () => 0.5)).toBeGreaterThan(retryDelaySeconds(2, () => 0.5));
  });
});
