/**
 * POST /invoices through the real handler, with the AWS SDK mocked: bad input is refused with a JSON 4xx before
 * anything is written; a good body is written conditionally and its execution started under its name.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/register-invoice';
import { initialState } from '../../../shared/domain/execution-state';
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
}

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

    const starts = aws.sfn.commandCalls(StartExecutionCommand);
    expect(starts).toHaveLength(1);
    expect(starts[0].args[0].input).toEqual({
      stateMachineArn: HANDLER_ENV.STATE_MACHINE_ARN,
      name: 'F-2027-0042-r1',
      // Already planned: the execution goes straight to its first wait, until the pre-reminder time.
      input: JSON.stringify({
        ...initialState('F-2027-0042', 1),
        next: 'wait',
        wait: { until: '2027-03-19T08:00:00.000Z', seconds: (Date.parse('2027-03-19T08:00:00.000Z') - Date.parse('2027-02-01T10:15:00.000Z')) / 1000 },
      }),
    });
  });

  it('answers the same body again with 200 and the stored invoice, writing nothing new', async () => {
    aws.doc.on(PutCommand).resolves({});
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
    serveItems(aws, []);
    await post(registration);
    const stored = aws.doc.commandCalls(PutCommand).map((call) => call.args[0].input as PutCommandInput).find((input) => input.Item?.sk === 'INVOICE')!.Item!;

    aws.doc.resetHistory();
    aws.doc.on(PutCommand).rejects(conditionalCheckFailed());
    serveItems(aws, [stored]);
    const again = await post(registration);

    expect(again.statusCode).toBe(200);
    expect(parsed(again)).toMatchObject({ invoiceId: 'F-2027-0042', status: 'scheduled', executionName: 'F-2027-0042-r1' });
    // Only the conditional create, refused; the start is asked again, harmlessly (the name already runs).
    const puts = aws.doc.commandCalls(PutCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0].args[0].input.ConditionExpression).toBe('attribute_not_exists(#pk)');
    expect(aws.ddb.commandCalls(PutItemCommand)).toEqual([]);
  });

  it('answers 409 for another body under a registered id', async () => {
    aws.doc.on(PutCommand).resolves({});
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
    serveItems(aws, []);
    await post(registration);
    const stored = aws.doc.commandCalls(PutCommand).map((call) => call.args[0].input as PutCommandInput).find((input) => input.Item?.sk === 'INVOICE')!.Item!;

    aws.doc.resetHistory();
    aws.sfn.resetHistory();
    aws.doc.on(PutCommand).rejects(conditionalCheckFailed());
    serveItems(aws, [stored]);
    const result = await post({ ...registration, amount: { value: 99_900, currency: 'EUR' } });

    expect(result.statusCode).toBe(409);
    expect(parsed(result).error.code).toBe('invoice_exists');
    expectNothingWritten();
  });
});
