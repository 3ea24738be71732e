/**
 * The table's stream records, as DynamoDB Streams delivers them to a Lambda: which ones are new timeline items, and
 * the entry each holds (the item unmarshalled, without its keys).
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { TimelineEntry } from '../domain/invoice';
import type { StreamedTimelineItem } from '../ports/events';
import { PK, SK } from './dynamodb-table';

/** A stream record, as much of it as is read here (the `aws-lambda` types describe it in full). */
interface StreamRecord {
  eventName?: string;
  dynamodb?: { SequenceNumber?: string; NewImage?: Record<string, unknown> };
}

const TIMELINE = 'TIMELINE#';
const INVOICE = 'INVOICE#';

export function newTimelineItem(record: StreamRecord): StreamedTimelineItem | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const { [PK]: pk, [SK]: sk, ...entry } = unmarshall(image as Parameters<typeof unmarshall>[0]);
  if (typeof pk !== 'string' || typeof sk !== 'string' || !sk.startsWith(TIMELINE) || !pk.startsWith(INVOICE)) return undefined;
  return { sequence: record.dynamodb?.SequenceNumber ?? '', invoiceId: pk.slice(INVOICE.length), key: sk, entry: entry as TimelineEntry };
}
