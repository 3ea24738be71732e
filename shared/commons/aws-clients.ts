/**
 * One client per AWS service, created on first use and reused across warm Lambda invocations.
 * Endpoints are not configured here: the SDK reads AWS_ENDPOINT_URL_DYNAMODB, _SESV2, _SFN and _SCHEDULER from the
 * environment, which is how the local runtime points the very same handlers at its emulators.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';

let dynamoDb: DynamoDBClient | undefined;
let ses: SESv2Client | undefined;
let sfn: SFNClient | undefined;
let scheduler: SchedulerClient | undefined;

export function dynamoDbClient(): DynamoDBClient {
  return (dynamoDb ??= new DynamoDBClient({}));
}

export function sesClient(): SESv2Client {
  return (ses ??= new SESv2Client({}));
}

export function sfnClient(): SFNClient {
  return (sfn ??= new SFNClient({}));
}

export function schedulerClient(): SchedulerClient {
  return (scheduler ??= new SchedulerClient({}));
}

/** Forgets the clients so that a test can change the environment (endpoints, region) and get fresh ones. */
export function resetClients(): void {
  for (const client of [dynamoDb, ses, sfn, scheduler]) client?.destroy();
  dynamoDb = ses = sfn = scheduler = undefined;
}
