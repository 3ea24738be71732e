/**
 * Events out: reads the table's stream (DynamoDB Streams, new items only, timeline entries only, filtered by the
 * event source mapping) and publishes each transition to the stack's EventBridge bus (shared/domain/events-out.ts).
 * A timeline entry is written once, so its INSERT comes once; a batch that fails is retried from the first record
 * not published (`batchItemFailures`), and what keeps failing lands in the mapping's dead-letter queue.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventPublisher, newTimelineItem } from '../shared/lambda/adapters';
import { getDependencies } from '../shared/lambda/dependencies';
import { publishTransitions } from '../shared/services/events-out';

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const items = event.Records.map((record) => newTimelineItem(record)).filter((item) => item !== undefined);
  const { failedAt } = await publishTransitions(getDependencies(), eventPublisher(), items);
  return { batchItemFailures: failedAt === undefined ? [] : [{ itemIdentifier: failedAt }] };
}
