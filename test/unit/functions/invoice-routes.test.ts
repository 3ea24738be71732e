/**
 * The invoice routes' HTTP contract: JSON 404s for unknown invoices, invoice ids with a `/` sent as %2F.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SendTaskFailureCommand } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand, QueryCommand, type GetCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as getInvoice } from '../../../functions/get-invoice';
import { handler as recordPayment } from '../../../functions/record-payment';
import { freshHandlerWorld, invoiceItem, mockAws, serveItems } from '../../support/aws-mocks';
import { invoiceRecord, registration } from '../../support/fixtures';
import { apiEvent, lambdaContext } from '../../support/http-events';

const aws = mockAws();

beforeEach(() => {
  freshHandlerWorld(aws, '2027-03-25T10:00:00.000Z');
  aws.doc.on(QueryCommand).resolves({ Items: [] });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

const parsed = (result: { body?: string }) => JSON.parse(result.body ?? 'null');

describe('GET /invoices/{invoiceId}', () => {
  it('answers 404 with a JSON error for an unknown invoice', async () => {
    serveItems(aws, []);
    const result = await getInvoice(
      apiEvent({ method: 'GET', path: '/invoices/F-2099-0001', route: '/invoices/{invoiceId}', pathParameters: { invoiceId: 'F-2099-0001' } }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(404);
    expect(result.headers?.['content-type']).toMatch(/^application\/json/);
    expect(parsed(result)).toEqual({ error: { code: 'not_found', message: expect.stringContaining('F-2099-0001') } });
  });

  it('decodes an invoice id sent with %2F and answers with the invoice and its timeline', async () => {
    const id = 'F/2027/0042';
    const record = invoiceRecord({ invoiceId: id, registration: { ...registration, invoiceId: id } });
    serveItems(aws, [invoiceItem(record)]);
    aws.doc.on(QueryCommand).resolves({
      Items: [{ pk: `INVOICE#${id}`, sk: 'TIMELINE#2027-02-01T10:15:00.000Z#000000', type: 'registered', at: '2027-02-01T10:15:00.000Z' }],
    });

    const result = await getInvoice(
      apiEvent({ method: 'GET', path: '/invoices/F%2F2027%2F0042', route: '/invoices/{invoiceId}', pathParameters: { invoiceId: 'F%2F2027%2F0042' } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    expect((aws.doc.commandCalls(GetCommand)[0].args[0].input as GetCommandInput).Key).toEqual({ pk: 'INVOICE#F/2027/0042', sk: 'INVOICE' });
    expect(parsed(result)).toMatchObject({ invoiceId: id, status: 'scheduled', timeline: [{ type: 'registered', at: '2027-02-01T10:15:00.000Z' }] });
    // Key attributes never leave the adapter.
    expect(parsed(result).timeline[0]).not.toHaveProperty('pk');
  });

  it('refuses an invoice id outside the allowed characters with 400', async () => {
    const result = await getInvoice(
      apiEvent({ method: 'GET', path: '/invoices/F%3B2027', route: '/invoices/{invoiceId}', pathParameters: { invoiceId: 'F%3B2027' } }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(400);
    expect(aws.doc.commandCalls(GetCommand)).toEqual([]);
  });
});

describe('POST /invoices/{invoiceId}/payments', () => {
  it('answers 404 for an unknown invoice and writes nothing', async () => {
    serveItems(aws, []);
    const result = await recordPayment(
      apiEvent({
        method: 'POST',
        path: '/invoices/F-2099-0001/payments',
        route: '/invoices/{invoiceId}/payments',
        pathParameters: { invoiceId: 'F-2099-0001' },
        body: { amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-03-25', reference: 'VIR-2027-0317' },
      }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(404);
    expect(parsed(result).error.code).toBe('not_found');
    expect(aws.doc.commandCalls(PutCommand)).toEqual([]);
    expect(aws.ddb.commandCalls(PutItemCommand)).toEqual([]);
    expect(aws.sfn.commandCalls(SendTaskSuccessCommand)).toEqual([]);
  });

  it('records a full payment and ends the parked execution straight into Paid, with its token', async () => {
    const record = invoiceRecord({ status: 'awaiting_reply', phase: 'awaiting_reply', parkedToken: 'AQCEAAAAKgAAAAMAAAAA+tok/en==' });
    serveItems(aws, [invoiceItem(record)]);
    aws.doc.on(PutCommand).resolves({});
    aws.sfn.on(SendTaskFailureCommand).resolves({});

    const result = await recordPayment(
      apiEvent({
        method: 'POST',
        path: '/invoices/F-2027-0042/payments',
        route: '/invoices/{invoiceId}/payments',
        pathParameters: { invoiceId: 'F-2027-0042' },
        body: { amount: { value: 123_456, currency: 'EUR' }, paidAt: '2027-03-25', reference: 'VIR-2027-0317' },
      }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    expect(parsed(result)).toMatchObject({ status: 'paid', outstanding: { value: 0, currency: 'EUR' } });
    const put = aws.doc.commandCalls(PutCommand).find((call) => call.args[0].input.Item?.sk === 'INVOICE')!.args[0].input;
    expect(put).toMatchObject({ ConditionExpression: '#version = :expected', ExpressionAttributeValues: { ':expected': 1 }, Item: { version: 2, status: 'paid' } });
    expect(aws.sfn.commandCalls(SendTaskFailureCommand).map((call) => call.args[0].input)).toEqual([
      { taskToken: 'AQCEAAAAKgAAAAMAAAAA+tok/en==', error: 'Dunning.Paid', cause: 'The invoice is paid.' },
    ]);
    expect(aws.sfn.commandCalls(SendTaskSuccessCommand)).toEqual([]);
  });
});
