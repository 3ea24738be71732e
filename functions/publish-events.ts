/**
 * Events out: reads the table's stream (DynamoDB Streams, new items only, timeline entries only, filtered by the
 * event source mapping) and publishes each transition to the stack's EventBridge bus (shared/domain/events-out.ts).
 * A timeline entry is written once, so its INSERT comes once; a batch that fails is retried from the first record
 * not published (`batchItemFailures`), and what keeps failing lands in the mapping's dead-letter queue.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventFor, type OutgoingEvent } from '../shared/domain/events-out';
import type { InvoiceRecord, TimelineEntry } from '../shared/domain/invoice';
import { eventBridgePublisher } from '../shared/adapters/eventbridge-publisher';
import { getConfig, getDependencies } from '../shared/lambda/dependencies';

const TIMELINE = 'TIMELINE#';
const INVOICE = 'INVOICE#';

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const { eventBusName } = getConfig();
  if (!eventBusName) throw new Error('EVENT_BUS_NAME is not set');
  const publisher = eventBridgePublisher(eventBusName);
  const { store } = getDependencies();
  const invoices = new Map<string, InvoiceRecord | undefined>();
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image) continue;
    const item = unmarshall(image as Parameters<typeof unmarshall>[0]) as TimelineEntry & { pk: string; sk: string };
    if (!item.sk?.startsWith(TIMELINE) || !item.pk?.startsWith(INVOICE)) continue;
    const invoiceId = item.pk.slice(INVOICE.length);
    try {
      if (!invoices.has(invoiceId)) invoices.set(invoiceId, await store.getInvoice(invoiceId));
      const invoice = invoices.get(invoiceId);
      if (!invoice) continue;
      const { pk: _pk, sk, ...entry } = item;
      const out: OutgoingEvent | undefined = eventFor(entry as TimelineEntry, { invoiceId, customerId: invoice.customer.id, status: invoice.status }, `${invoiceId}/${sk}`);
      if (out) await publisher.publish([out]);
    } catch (error) {
      console.error(JSON.stringify({ level: 'ERROR', message: 'event not published', invoiceId, sequence: record.dynamodb?.SequenceNumber, error: String(error) }));
      // This record and the ones after it are retried; those before it are published already.
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
