/**
 * The execution's park and check tasks, with the AWS SDK mocked: no event written before a park is missed, and a
 * retried check never takes a second event.
 */
import { SendTaskSuccessCommand, SendTaskFailureCommand } from '@aws-sdk/client-sfn';
import { PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as checkNews } from '../../../functions/check-news';
import { handler as parkInvoice } from '../../../functions/park-invoice';
import type { ExecutionState } from '../../../shared/domain/execution-state';
import type { WorkflowEvent } from '../../../shared/domain/invoice';
import { freshHandlerWorld, invoiceItem, mockAws, serveItems } from '../../support/aws-mocks';
import { invoiceRecord } from '../../support/fixtures';

const aws = mockAws();
const TASK_TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAfZ3J+kq/4Bw==';
const NOW = '2027-03-24T10:00:00.000Z';

beforeEach(() => {
  freshHandlerWorld(aws, NOW);
  aws.doc.on(PutCommand).resolves({});
  aws.sfn.on(SendTaskSuccessCommand).resolves({});
});

afterAll(() => {
  vi.unstubAllEnvs();
});

const state = (overrides: Partial<ExecutionState> = {}): ExecutionState => ({
  invoiceId: 'F-2027-0042',
  revision: 1,
  step: 4,
  phase: 'awaiting_reply',
  next: 'wait',
  ...overrides,
});

const event = (seq: number, type: WorkflowEvent['type'], detail?: Record<string, string>): WorkflowEvent => ({
  seq,
  type,
  at: '2027-03-23T15:00:00.000Z',
  ...(detail ? { detail } : {}),
});

const invoicePuts = () =>
  aws.doc
    .commandCalls(PutCommand)
    .map((call) => call.args[0].input as PutCommandInput)
    .filter((input) => input.Item?.sk === 'INVOICE');

describe('park-invoice', () => {
  it('wakes itself at once with the same token when an event is already pending, and stores no token', async () => {
    const record = invoiceRecord({
      status: 'promised',
      phase: 'awaiting_reply',
      nextActionAt: '2027-03-31T22:00:00.000Z',
      pendingEvents: [event(1, 'promise')],
      lastEventSeq: 1,
    });
    serveItems(aws, [invoiceItem(record)]);

    await parkInvoice({ state: state(), taskToken: TASK_TOKEN });

    expect(aws.sfn.commandCalls(SendTaskSuccessCommand).map((call) => call.args[0].input.taskToken)).toEqual([TASK_TOKEN]);
    expect(invoicePuts()).toEqual([]);
  });

  it('wakes itself at once when its wake-up time has already come', async () => {
    const record = invoiceRecord({ status: 'awaiting_reply', phase: 'awaiting_reply', nextActionAt: NOW });
    serveItems(aws, [invoiceItem(record)]);
    await parkInvoice({ state: state(), taskToken: TASK_TOKEN });
    expect(aws.sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    expect(invoicePuts()).toEqual([]);
  });

  it('ends itself at once straight into Paid for a paid invoice', async () => {
    serveItems(aws, [invoiceItem(invoiceRecord({ status: 'paid', phase: 'closed', nextActionAt: undefined }))]);
    aws.sfn.on(SendTaskFailureCommand).resolves({});
    await parkInvoice({ state: state(), taskToken: TASK_TOKEN });
    expect(aws.sfn.commandCalls(SendTaskFailureCommand).map((call) => call.args[0].input)).toEqual([{ taskToken: TASK_TOKEN, error: 'Dunning.Paid', cause: 'The invoice is paid.' }]);
    expect(aws.sfn.commandCalls(SendTaskSuccessCommand)).toEqual([]);
  });

  it('stores its token on the record, conditionally on the version read, when nothing is pending', async () => {
    const record = invoiceRecord({ status: 'awaiting_reply', phase: 'awaiting_reply', nextActionAt: '2027-03-31T22:00:00.000Z', version: 7 });
    serveItems(aws, [invoiceItem(record)]);

    await parkInvoice({ state: state(), taskToken: TASK_TOKEN });

    const puts = invoicePuts();
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: { ':expected': 7 },
      Item: { parkedToken: TASK_TOKEN, version: 8 },
    });
    expect(aws.sfn.commandCalls(SendTaskSuccessCommand)).toEqual([]);
  });

  it('refuses to run without a task token', async () => {
    await expect(parkInvoice({ state: state() })).rejects.toThrow(/task token/);
  });
});

describe('check-news', () => {
  it('takes the oldest pending event once and remembers its answer for this step', async () => {
    const question = event(2, 'question', { message: 'Quel IBAN ?', from: 'compta@boulangerie-martin.fr' });
    const record = invoiceRecord({
      status: 'promised',
      phase: 'awaiting_reply',
      promise: { date: '2027-04-05', method: 'transfer', afterDueDate: true, at: '2027-03-23T15:00:00.000Z', source: 'customer' },
      nextActionAt: '2027-03-31T22:00:00.000Z',
      parkedToken: TASK_TOKEN,
      pendingEvents: [event(1, 'promise'), question],
      lastEventSeq: 2,
    });
    serveItems(aws, [invoiceItem(record)]);

    const answer = await checkNews({ state: state({ step: 4 }) });

    expect(answer).toMatchObject({ next: 'promise', step: 5, phase: 'promised', event: { type: 'promise', seq: 1 } });
    const puts = invoicePuts();
    expect(puts).toHaveLength(1);
    expect(puts[0].Item).toMatchObject({ pendingEvents: [question], phase: 'promised', lastCheck: { step: 4, result: answer } });
    expect(puts[0].Item?.parkedToken).toBeUndefined();
  });

  it('returns the stored answer to a retried check of the same step without taking another event', async () => {
    const earlier: ExecutionState = { ...state({ step: 5, phase: 'promised', next: 'promise' }), event: { type: 'promise', seq: 1 } };
    const record = invoiceRecord({
      status: 'promised',
      phase: 'promised',
      nextActionAt: '2027-04-09T07:00:00.000Z',
      pendingEvents: [event(2, 'question', { message: 'Quel IBAN ?' })],
      lastEventSeq: 2,
      lastCheck: { step: 4, result: earlier },
    });
    serveItems(aws, [invoiceItem(record)]);

    expect(await checkNews({ state: state({ step: 4 }) })).toEqual(earlier);
    expect(invoicePuts()).toEqual([]);
  });
});
