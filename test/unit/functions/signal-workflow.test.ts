/**
 * The start buffer's consumer (functions/signal-workflow.ts) through the real handler, with the AWS SDK mocked: each
 * message of a batch is delivered on its own; a start that Step Functions throttles is handed back to the buffer with a
 * growing delay and does not use up the message's deliveries; any other failure returns that message, and only it.
 */
import { SendTaskSuccessCommand, StartExecutionCommand, type StartExecutionCommandInput } from '@aws-sdk/client-sfn';
import { SendMessageBatchCommand, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import { DeleteCommand, type DeleteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/signal-workflow';
import { keys } from '../../../shared/adapters/dynamodb-table';
import { startState } from '../../../shared/domain/billing';
import type { InvoiceRecord } from '../../../shared/domain/invoice';
import type { WorkflowSignal } from '../../../shared/ports';
import { freshHandlerWorld, HANDLER_ENV, invoiceItem, mockAws, serveItems } from '../../support/aws-mocks';
import { invoiceRecord } from '../../support/fixtures';
import type { FixedClock } from '../../support/recording-ports';

const aws = mockAws();
const NOW = '2027-02-01T10:15:30.000Z';
const TOKEN = 'AQCEAAAAKgAAAAMAAAAA+token==';
let clock: FixedClock;

const record = (invoiceId: string, overrides: Partial<InvoiceRecord> = {}) => invoiceRecord({ invoiceId, executionName: `${invoiceId}-r1`, ...overrides });
const startOf = (r: InvoiceRecord): WorkflowSignal => ({ type: 'start', invoiceId: r.invoiceId, executionName: r.executionName });
const NOTED_AT = '2027-02-01T10:15:00.000Z';
/** The note its registration left (a start is only made while noted). */
const noteOf = (r: InvoiceRecord) => ({ ...keys.pendingStart(r.invoiceId, r.executionName), invoiceId: r.invoiceId, executionName: r.executionName, requestedAt: NOTED_AT });

let messages = 0;
function message(body: unknown): SQSRecord {
  const messageId = `msg-${++messages}`;
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1801476930000', SenderId: '123456789012', ApproximateFirstReceiveTimestamp: '1801476930000' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-3:123456789012:dunning-signals',
    awsRegion: 'eu-west-3',
  };
}
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

const named = (name: string, text = name) => Object.assign(new Error(text), { name, $metadata: { httpStatusCode: 400 } });

const starts = () => aws.sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input as StartExecutionCommandInput);
const deletes = () => aws.doc.commandCalls(DeleteCommand).map((call) => call.args[0].input as DeleteCommandInput);
const resent = () => aws.sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input as SendMessageBatchCommandInput);

beforeEach(() => {
  clock = freshHandlerWorld(aws, NOW);
  aws.doc.on(DeleteCommand).resolves({});
  aws.sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  aws.sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date(NOW) });
  aws.sfn.on(SendTaskSuccessCommand).resolves({});
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('signal-workflow: a start', () => {
  it('starts the execution under its name with the planned state and forgets the note (the STARTS# item)', async () => {
    const invoice = record('F-2027-0101');
    serveItems(aws, [invoiceItem(invoice), noteOf(invoice)]);
    const first = message(startOf(invoice));

    expect(await handler(batch(first))).toEqual({ batchItemFailures: [] });

    expect(starts()).toEqual([
      { stateMachineArn: HANDLER_ENV.STATE_MACHINE_ARN, name: 'F-2027-0101-r1', input: JSON.stringify(startState(invoice, clock.now())) },
    ]);
    // Forgotten only as read: a note written again meanwhile (a restart) would stay.
    expect(deletes()).toEqual([
      {
        TableName: HANDLER_ENV.TABLE_NAME,
        Key: keys.pendingStart('F-2027-0101', 'F-2027-0101-r1'),
        ConditionExpression: '#requestedAt = :seen',
        ExpressionAttributeNames: { '#requestedAt': 'requestedAt' },
        ExpressionAttributeValues: { ':seen': NOTED_AT },
      },
    ]);
    expect(deletes()[0]!.Key!.pk).toMatch(/^STARTS#(\d|1[0-5])$/);
    expect(resent()).toEqual([]);
  });

  it('sends a throttled start back to the buffer as attempt 1 with a short delay, keeps its note and reports no failure', async () => {
    const invoice = record('F-2027-0102');
    serveItems(aws, [invoiceItem(invoice), noteOf(invoice)]);
    aws.sfn.on(StartExecutionCommand).rejects(named('ThrottlingException', 'Rate exceeded'));

    expect(await handler(batch(message(startOf(invoice))))).toEqual({ batchItemFailures: [] });

    const sent = resent();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.QueueUrl).toBe(HANDLER_ENV.SIGNAL_QUEUE_URL);
    expect(sent[0]!.Entries).toHaveLength(1);
    const [entry] = sent[0]!.Entries!;
    expect(JSON.parse(entry!.MessageBody!)).toEqual({ ...startOf(invoice), attempt: 1 });
    expect(entry!.DelaySeconds).toBeGreaterThanOrEqual(2);
    expect(entry!.DelaySeconds).toBeLessThanOrEqual(8);
    expect(deletes()).toEqual([]);
  });

  it('waits longer for a signal throttled again: attempt 4 comes back after 16 to 64 seconds', async () => {
    const invoice = record('F-2027-0103');
    serveItems(aws, [invoiceItem(invoice), noteOf(invoice)]);
    aws.sfn.on(StartExecutionCommand).rejects(named('ThrottlingException', 'Rate exceeded'));

    expect(await handler(batch(message({ ...startOf(invoice), attempt: 3 })))).toEqual({ batchItemFailures: [] });

    const [entry] = resent()[0]!.Entries!;
    expect(JSON.parse(entry!.MessageBody!)).toEqual({ ...startOf(invoice), attempt: 4 });
    expect(entry!.DelaySeconds).toBeGreaterThanOrEqual(16);
    expect(entry!.DelaySeconds).toBeLessThanOrEqual(64);
  });

  it('returns a throttled message to the queue when the buffer refuses it back, so it is not lost', async () => {
    const invoice = record('F-2027-0104');
    serveItems(aws, [invoiceItem(invoice), noteOf(invoice)]);
    aws.sfn.on(StartExecutionCommand).rejects(named('ThrottlingException', 'Rate exceeded'));
    aws.sqs.on(SendMessageBatchCommand).rejects(named('ServiceUnavailable'));
    const only = message(startOf(invoice));

    expect(await handler(batch(only))).toEqual({ batchItemFailures: [{ itemIdentifier: only.messageId }] });
  });

  it('reports a message that failed otherwise as a batch item failure, sends nothing and keeps the note', async () => {
    const invoice = record('F-2027-0105');
    serveItems(aws, [invoiceItem(invoice), noteOf(invoice)]);
    aws.sfn.on(StartExecutionCommand).rejects(named('StateMachineDeleting', 'State machine is being deleted'));
    const only = message(startOf(invoice));

    expect(await handler(batch(only))).toEqual({ batchItemFailures: [{ itemIdentifier: only.messageId }] });

    expect(resent()).toEqual([]);
    expect(deletes()).toEqual([]);
  });
});

describe('signal-workflow: what is not a signal', () => {
  it.each([
    ['text that is not JSON', 'start F-2027-0106 please'],
    ['JSON of another shape', { type: 'stop', invoiceId: 'F-2027-0106' }],
    ['a start without an execution name', { type: 'start', invoiceId: 'F-2027-0106' }],
    ['a start under a name Step Functions would refuse', { type: 'start', invoiceId: 'F-2027-0106', executionName: 'F/2027/0106 r1' }],
  ])('drops %s without a failure and without touching AWS', async (_label, body) => {
    expect(await handler(batch(message(body)))).toEqual({ batchItemFailures: [] });
    expect(aws.doc.calls()).toEqual([]);
    expect(aws.sfn.calls()).toEqual([]);
    expect(aws.sqs.calls()).toEqual([]);
    expect(aws.scheduler.calls()).toEqual([]);
  });
});

describe('signal-workflow: a batch', () => {
  it('handles each message on its own: only the failing one comes back, the throttled one is sent again, the others are done', async () => {
    const started = record('F-2027-0111');
    const failing = record('F-2027-0112');
    const throttled = record('F-2027-0113');
    const parked = record('F-2027-0114', { parkedToken: TOKEN, pendingEvents: [{ seq: 1, type: 'payment', at: NOW }] });
    serveItems(aws, [...[started, failing, throttled, parked].map(invoiceItem), ...[started, failing, throttled].map(noteOf)]);
    aws.sfn.on(StartExecutionCommand).callsFake((input: StartExecutionCommandInput) => {
      if (input.name === failing.executionName) throw named('AccessDeniedException', 'not authorized');
      if (input.name === throttled.executionName) throw named('ThrottlingException', 'Rate exceeded');
      return { executionArn: `arn:${input.name}`, startDate: new Date(NOW) };
    });
    const messages = [message(startOf(started)), message(startOf(failing)), message('not a signal'), message(startOf(throttled)), message({ type: 'wake', invoiceId: parked.invoiceId })];

    const result = await handler(batch(...messages));

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: messages[1]!.messageId }] });
    expect(starts().map((input) => input.name).sort()).toEqual([started, failing, throttled].map((r) => r.executionName).sort());
    expect(deletes().map((input) => input.Key)).toEqual([keys.pendingStart(started.invoiceId, started.executionName)]);
    expect(resent().flatMap((input) => input.Entries!.map((entry) => JSON.parse(entry.MessageBody!)))).toEqual([{ ...startOf(throttled), attempt: 1 }]);
    expect(aws.sfn.commandCalls(SendTaskSuccessCommand).map((call) => call.args[0].input)).toEqual([{ taskToken: TOKEN, output: JSON.stringify({ woken: 'pending' }) }]);
  });
});
