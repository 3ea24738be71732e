/**
 * One client per AWS service, created on first use and reused across warm Lambda invocations.
 * Endpoints are not configured here: the SDK reads AWS_ENDPOINT_URL_DYNAMODB, _SESV2, _SFN and _SCHEDULER from the
 * environment, which is how the local runtime points the very same handlers at its emulators.
 * Only the DynamoDB client is imported here; a handler bundles another service's client only if it asks for it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

interface Destroyable {
  destroy(): void;
}

const clients = new Map<new (config: object) => Destroyable, Destroyable>();
let defaults: object = {};

/**
 * The shared client of a service, e.g. `awsClient(SESv2Client)`. `single: true` makes one attempt per call and no
 * retries of the SDK's own (a caller that must know whether its one request was refused: see ses-mailer.ts).
 */
export function awsClient<T extends Destroyable>(Client: new (config: object) => T, options: { single?: boolean } = {}): T {
  let client = clients.get(Client) as T | undefined;
  if (!client) {
    client = new Client(options.single ? { maxAttempts: 1 } : { ...defaults });
    clients.set(Client, client);
  }
  return client;
}

export function dynamoDbClient(): DynamoDBClient {
  return awsClient(DynamoDBClient);
}

/**
 * Configuration given to every client created from now on; the clients so far are forgotten. Lambda sets none; the
 * local runtime shortens the SDK's retry pauses, as it does the state machine's (its virtual clock has no use for
 * real-time waits).
 */
export function setClientDefaults(config: object): void {
  defaults = config;
  resetClients();
}

/** Forgets the clients so that a test can change the environment (endpoints, region) and get fresh ones. */
export function resetClients(): void {
  for (const client of clients.values()) client.destroy();
  clients.clear();
}

/** AWS's ways of saying "too fast, try again later" (Step Functions, SQS, DynamoDB, Lambda, SES). */
const THROTTLING_ERRORS = /^(ThrottlingException|Throttling|TooManyRequestsException|ProvisionedThroughputExceededException|RequestLimitExceeded|LimitExceededException|RequestThrottled)$/;

export function isThrottling(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return THROTTLING_ERRORS.test(name ?? '') || $metadata?.httpStatusCode === 429;
}
