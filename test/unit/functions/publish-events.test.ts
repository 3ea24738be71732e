/** publish-events: the table's stream in, EventBridge out (aws-sdk-client-mock for both sides of the handler). */
import { PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/publish-events';
import { keys } from '../../../shared/adapters/dynamodb-table';
import { freshHandlerWorld, invoiceItem, mockAws, serveItems } from '../../support/aws-mocks';
import { invoiceRecord } from '../../support/fixtures';

const aws = mockAws();
const record = invoiceRecord({ status: 'promised' });

beforeEach(() => {
  freshHandlerWorld(aws, '2027-03-25T10:00:00.000Z', { EVENT_BUS_NAME: 'dunning-events-test' });
  serveItems(aws, [invoiceItem(record)]);
  aws.events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

/** A stream record of a new item, as DynamoDB Streams delivers it. */
function inserted(sequence: string, item: Record<string, unknown>) {
  return { eventName: 'INSERT' as const, dynamodb: { SequenceNumber: sequence, NewImage: marshall(item, { removeUndefinedValues: true }) as never } };
}

const timelineItem = (type: string, at: string, detail: Record<string, unknown> = {}) => ({ ...keys.timeline(record.invoiceId, at, '00abcd'), type, at, ...detail });

const published = () => aws.events.commandCalls(PutEventsCommand).flatMap((call) => (call.args[0].input as PutEventsCommandInput).Entries ?? []);

describe('publish-events', () => {
  it('publishes each new timeline transition to the bus, with the invoice as it stands, and nothing else', async () => {
    const event: DynamoDBStreamEvent = {
      Records: [
        inserted('1', timelineItem('promise', '2027-03-25T09:00:00.000Z', { promisedDate: '2027-03-31', source: 'customer', message: 'texte libre' })),
        inserted('2', timelineItem('page_viewed', '2027-03-25T09:01:00.000Z')),
        inserted('3', { ...keys.emailClaim(record.invoiceId, 'k'), claimedAt: '2027-03-25T09:02:00.000Z' }),
      ],
    };

    expect(await handler(event)).toEqual({ batchItemFailures: [] });

    expect(published()).toEqual([
      {
        EventBusName: 'dunning-events-test',
        Source: 'dunning',
        DetailType: 'promise',
        Time: new Date('2027-03-25T09:00:00.000Z'),
        Detail: JSON.stringify({
          eventId: `${record.invoiceId}/TIMELINE#2027-03-25T09:00:00.000Z#00abcd`,
          invoiceId: record.invoiceId,
          customerId: record.customer.id,
          status: 'promised',
          at: '2027-03-25T09:00:00.000Z',
          promisedDate: '2027-03-31',
          source: 'customer',
        }),
      },
    ]);
  });

  it('reports the first record it could not publish, so that it and the ones after it come again, and only they', async () => {
    aws.events.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] }).rejects(new Error('throttled'));
    const event: DynamoDBStreamEvent = {
      Records: [
        inserted('10', timelineItem('promise', '2027-03-25T09:00:00.000Z')),
        inserted('11', timelineItem('dispute', '2027-03-25T09:05:00.000Z', { reason: 'defective' })),
        inserted('12', timelineItem('question', '2027-03-25T09:06:00.000Z')),
      ],
    };
    expect(await handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: '11' }] });
  });

  it('sends again the entries EventBridge refused in a batch, and no others', async () => {
    aws.events
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-2' }] });
    await handler({ Records: [inserted('20', timelineItem('cancelled', '2027-03-25T09:00:00.000Z', { reason: 'Avoir' }))] });
    expect(published().map((entry) => entry.DetailType)).toEqual(['cancelled', 'cancelled']);
  });
});
