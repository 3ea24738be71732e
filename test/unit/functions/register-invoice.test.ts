/**
 * POST /invoices through the real handler, with the AWS SDK mocked: bad input is refused with a JSON 4xx before
 * anything is written; a good body is written conditionally, its start noted first and handed to the start buffer —
 * never a Step Functions call in the request.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/register-invoice';
import { conditionalCheckFailed, freshHandlerWorld, HANDLER_ENV, mockAws, serveItems } from '../../support/aws-mocks';
import { registration } from '../../support/fixtures';
import { apiEvent, lambdaContext } from '../../support/http-events';

const aws = mockAws();

beforeEach(() => {
  freshHandlerWorld(aws, '2027-02-01T10:15:00.000Z');
});

afterAll(() => {
  vi.unstubAllEnvs();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  handler(apiEvent({ method: 'POST', path: '/invoices', body, headers }), lambdaContext());

const parsed = (result: { body?: string }) => JSON.parse(result.body ?? 'null');

/** Nothing written: at most a conditional create that DynamoDB refused because the invoice exists. */
function expectNothingWritten() {
  for (const call of aws.doc.commandCalls(PutCommand)) {
    expect(call.args[0].input.ConditionExpression).toBe('attribute_not_exists(#pk)');
  }
  expect(aws.ddb.commandCalls(PutItemCommand)).toEqual([]);
  expect(aws.sfn.commandCalls(StartExecutionCommand)).toEqual([]);
  expect(aws.sqs.commandCalls(SendMessageBatchCommand)).toEqual([]);
}

/** The conditional create is refused (the invoice exists); the start's note, unconditional, is written. */
function invoiceExists() {
  aws.doc.on(PutCommand).callsFake((input: PutCommandInput) => {
    if (input.ConditionExpression) throw conditionalCheckFailed();
    return {};
  });
}

const notes = () => aws.doc.commandCalls(PutCommand).map((call) => call.args[0].input as PutCommandInput).filter((input) => String(input.Item?.pk).startsWith('STARTS#'));

describe('POST /invoices with a bad body', () => {
  it('refuses a due date that does not exist with 400 and says where', async () => {
    const result = await post({ ...registration, dueDate: '2027-02-30' });
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toMatch(/^application\/json/);
    expect(parsed(result)).toEqual({
      error: {
        code: 'validation_failed',
        message: expect.any(String),
        details: expect.arrayContaining([{ path: 'dueDate', message: 'not a real calendar date' }]),
      },
    });
    expectNothingWritten();
  });

  it('refuses a negative amount with 400 and says where', async () => {
    const result = await post({ ...registration, amount: { value: -12_000, currency: 'EUR' } });
    expect(result.statusCode).toBe(400);
    const { error } = parsed(result);
    expect(error.code).toBe('validation_failed');
    expect(error.details).toContainEqual({ path: 'amount.value', message: expect.any(String) });
    expectNothingWritten();
  });

  it('refuses an unknown field with 400 naming the field', async () => {
    const result = await post({ ...registration, discountPercent: 5 });
    expect(result.statusCode).toBe(400);
    const { error } = parsed(result);
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([{ path: expect.any(String), message: expect.stringContaining('discountPercent') }]);
    expectNothingWritten();
  });

  it('refuses a body that is not JSON with 400', async () => {
    const result = await post('{"invoiceId": "F-2027-0042", ', { 'content-type': 'application/json' });
    expect(result.statusCode).toBe(400);
    expect(parsed(result).error).toMatchObject({ code: 'validation_failed', message: 'The body is not valid JSON.' });
    expectNothingWritten();
  });

  it('refuses a body that is not sent as JSON with 415', async () => {
    const result = await post(new URLSearchParams({ invoiceId: 'F-2027-0042' }).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(result.statusCode).toBe(415);
    expect(parsed(result).error).toMatchObject({ code: 'unsupported_media_type', message: expect.any(String) });
    expectNothingWritten();
  });
});

describe('POST /invoices with a good body', () => {
  it('writes the invoice only if absent, starts its execution under its name and answers 201', async () => {
    serveItems(aws, []);
    aws.doc.on(PutCommand).resolves({});
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });

    const result = await post(registration);

    expect(result.statusCode).toBe(201);
    expect(result.headers?.location).toBe('/invoices/F-2027-0042');
    expect(parsed(result)).toMatchObject({
      invoiceId: 'F-2027-0042',
      status: 'scheduled',
      executionName: 'F-2027-0042-r1',
      preReminderAt: '2027-03-19T08:00:00.000Z',
    });

    const invoicePuts = aws.doc.commandCalls(PutCommand).map((call) => call.args[0].input as PutCommandInput).filter((input) => input.Item?.sk === 'INVOICE');
    expect(invoicePuts).toHaveLength(1);
    expect(invoicePuts[0]).toMatchObject({
      TableName: HANDLER_ENV.TABLE_NAME,
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
      Item: { pk: 'INVOICE#F-2027-0042', sk: 'INVOICE', status: 'scheduled', version: 1 },
    });

    // The start is noted before the invoice is written, so that a crash between the two still leaves it to be made.
    const puts = aws.doc.commandCalls(PutCommand).map((call) => call.args[0].input as PutCommandInput);
    expect(puts.findIndex((input) => String(input.Item?.pk).startsWith('STARTS#'))).toBeLessThan(puts.findIndex((input) => input.Item?.sk === 'INVOICE'));
    expect(notes()).toEqual([expect.objectContaining({ Item: expect.objectContaining({ sk: 'F-2027-0042-r1', invoiceId: 'F-2027-0042', requestedAt: '2027-02-01T10:15:00.000Z' }) })]);
    // The start goes to the buffer; Step Functions is not called in the request.
    expect(aws.sfn.commandCalls(StartExecutionCommand)).toEqual([]);
    const sent = aws.sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(sent).toEqual([
      {
        QueueUrl: HANDLER_ENV.SIGNAL_QUEUE_URL,
        Entries: [{ Id: '0', MessageBody: JSON.stringify({ since: '2027-02-01T10:15:00.000Z', type: 'start', invoiceId: 'F-2027-0042', executionName: 'F-2027-0042-r1' }) }],
      },
    ]);
  });

  it('answers 201 once the invoice is written even when the start buffer is down: the note is left for the reconciliation', async () => {
    serveItems(aws, []);
    aws.doc.on(PutCommand).resolves({});
    aws.sqs.on(SendMessageBatchCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));

    const result = await post(registration);

    expect(result.statusCode).toBe(201);
    expect(notes()).toHaveLength(1);
    expect(aws.sfn.commandCalls(StartExecutionCommand)).toEqual([]);
  });

  it('answers the same body again with 200 and the stored invoice, writing nothing new', async () => {
    aws.doc.on(PutCommand).resolves({});
    serveItems(aws, []);
    await post(registration);
    const stored = aws.doc.commandCalls(PutCommand).map((call) => call.args[0].input as PutCommandInput).find((input) => input.Item?.sk === 'INVOICE')!.Item!;

    aws.doc.resetHistory();
    aws.sqs.resetHistory();
    invoiceExists();
    serveItems(aws, [stored]);
    const again = await post(registration);

    expect(again.statusCode).toBe(200);
    expect(parsed(again)).toMatchObject({ invoiceId: 'F-2027-0042', status: 'scheduled', executionName: 'F-2027-0042-r1' });
    // The conditional create, refused, beside the start's note; the start is asked again, harmlessly (once started,
    // the name is taken).
    const invoicePuts = aws.doc.commandCalls(PutCommand).filter((call) => call.args[0].input.Item?.sk === 'INVOICE');
    expect(invoicePuts).toHaveLength(1);
    expect(invoicePuts[0]!.args[0].input.ConditionExpression).toBe('attribute_not_exists(#pk)');
    expect(aws.ddb.commandCalls(PutItemCommand)).toEqual([]);
    expect(aws.sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });

  it('answers 409 for another body under a registered id', async () => {
    aws.doc.on(PutCommand).resolves({});
    serveItems(aws, []);
    await post(registration);
    const stored = aws.doc.commandCalls(PutCommand).map((call) => call.args[0].input as PutCommandInput).find((input) => input.Item?.sk === 'INVOICE')!.Item!;

    aws.doc.resetHistory();
    aws.sqs.resetHistory();
    invoiceExists();
    serveItems(aws, [stored]);
    const result = await post({ ...registration, amount: { value: 99_900, currency: 'EUR' } });

    expect(result.statusCode).toBe(409);
    expect(parsed(result).error.code).toBe('invoice_exists');
    // Nothing of the invoice written, nothing started: only the note, which the buffer or the reconciliation drops
    // (its execution exists already).
    expect(aws.doc.commandCalls(PutCommand).filter((call) => !String(call.args[0].input.Item?.pk).startsWith('STARTS#')).every((call) => call.args[0].input.ConditionExpression)).toBe(true);
    expect(aws.sfn.commandCalls(StartExecutionCommand)).toEqual([]);
    expect(aws.sqs.commandCalls(SendMessageBatchCommand)).toEqual([]);
  });
});
