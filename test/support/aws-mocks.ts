/**
 * AWS SDK mocks for handler tests. The store adapter talks through the lib-dynamodb document client, whose commands
 * (PutCommand, GetCommand, ...) reach a `mockClient(DynamoDBDocumentClient)` and NOT a `mockClient(DynamoDBClient)`;
 * the raw DynamoDBClient mock sees only raw commands (PutItemCommand, ...). Both are mocked here.
 */
import { ConditionalCheckFailedException, DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, type GetCommandInput } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { keys, recordIndexKeys } from '../../shared/adapters/dynamodb-table';
import { resetClients } from '../../shared/adapters/aws-clients';
import { overrideDependencies, resetDependencies } from '../../shared/lambda/dependencies';
import type { InvoiceRecord } from '../../shared/domain/invoice';
import { FixedClock } from './recording-ports';

export const HANDLER_ENV = {
  AWS_REGION: 'eu-west-3',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  TABLE_NAME: 'dunning-test',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-3:123456789012:stateMachine:invoice-dunning',
  SENDER_EMAIL: 'relances@example.com',
  TEAM_EMAIL: 'credit-team@example.com',
  SES_CONFIGURATION_SET: 'dunning-events',
  PUBLIC_BASE_URL: 'https://pay.example.com',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/dunning-scheduler',
  EXECUTION_HORIZON_DAYS: '240',
  DOCUMENTS_BUCKET: 'dunning-documents-test',
  SIGNAL_QUEUE_URL: 'https://sqs.eu-west-3.amazonaws.com/123456789012/dunning-signals',
} as const;

export function mockAws() {
  return {
    ddb: mockClient(DynamoDBClient),
    doc: mockClient(DynamoDBDocumentClient),
    sfn: mockClient(SFNClient),
    ses: mockClient(SESv2Client),
    scheduler: mockClient(SchedulerClient),
    s3: mockClient(S3Client),
    events: mockClient(EventBridgeClient),
    sqs: mockClient(SQSClient),
  };
}

export type AwsMocks = ReturnType<typeof mockAws>;

/**
 * A fresh start for each test: mocks reset, the environment set, dependencies and clients rebuilt from it, and the
 * clock fixed at `now`. Returns the clock.
 */
export function freshHandlerWorld(mocks: AwsMocks, now: string, env: Record<string, string | undefined> = {}): FixedClock {
  for (const mock of Object.values(mocks)) mock.reset();
  vi.unstubAllEnvs();
  for (const [name, value] of Object.entries({ ...HANDLER_ENV, ...env })) vi.stubEnv(name, value);
  resetDependencies();
  resetClients();
  const clock = new FixedClock(now);
  overrideDependencies({ clock });
  return clock;
}

/** The invoice record as the store writes it: the document plus its key and index attributes. */
export function invoiceItem(record: InvoiceRecord): Record<string, unknown> {
  return { ...structuredClone(record), ...keys.invoice(record.invoiceId), ...recordIndexKeys(record) };
}

/** Serves GetCommand from a fixed set of items (anything else reads as absent). */
export function serveItems(mocks: AwsMocks, items: Record<string, unknown>[]): void {
  const byKey = new Map(items.map((item) => [`${item.pk}|${item.sk}`, item]));
  mocks.doc.on(GetCommand).callsFake((input: GetCommandInput) => {
    const item = byKey.get(`${input.Key?.pk}|${input.Key?.sk}`);
    return item ? { Item: structuredClone(item) } : {};
  });
}

/**
 * The error DynamoDB answers when a conditional write finds its condition false; `item` is the stored item in
 * DynamoDB JSON, as ReturnValuesOnConditionCheckFailure ALL_OLD returns it.
 */
export function conditionalCheckFailed(item?: Record<string, AttributeValue>): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400 },
    ...(item ? { Item: item } : {}),
  });
}
