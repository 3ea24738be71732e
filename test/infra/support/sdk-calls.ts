/**
 * One call of each AWS operation the handlers make, against `endpoint`: test/infra/bundling.test.ts runs it with the
 * published SDK and as a bundle built like a handler, and compares what each put on the wire and made of the answers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { DescribeExecutionCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

type Outcome = { result: unknown } | { error: string };

export async function callEveryOperation(endpoint: string): Promise<Record<string, Outcome>> {
  const config = { endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 };
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(config), { marshallOptions: { removeUndefinedValues: true } });
  const sfn = new SFNClient(config);
  const scheduler = new SchedulerClient(config);
  const ses = new SESv2Client(config);
  const eventBridge = new EventBridgeClient(config);
  const schedule = {
    Name: 'start-F-1-r1',
    ScheduleExpression: 'at(2028-01-02T08:00:00)',
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    ActionAfterCompletion: 'DELETE' as const,
    Target: {
      Arn: 'arn:aws:scheduler:::aws-sdk:sfn:startExecution',
      RoleArn: 'arn:aws:iam::1:role/r',
      Input: '{"a":1}',
      // What the deferred starts carry (infra/constructs/schedules.ts): their dead-letter queue and retry policy.
      DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-3:1:dlq' },
      RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 185 },
    },
  };
  const calls: Record<string, () => Promise<unknown>> = {
    put: () =>
      documents.send(
        new PutCommand({ TableName: 't', Item: { pk: 'F/1', n: 3, list: [1, 'a'], gone: undefined }, ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    get: () => documents.send(new GetCommand({ TableName: 't', Key: { pk: 'F/1' }, ConsistentRead: true })),
    update: () =>
      documents.send(
        new UpdateCommand({ TableName: 't', Key: { pk: 'F/1' }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': 2 } }),
      ),
    query: () =>
      documents.send(
        new QueryCommand({ TableName: 't', IndexName: 'byStatus', KeyConditionExpression: 's = :s', ExpressionAttributeValues: { ':s': 'OPEN' } }),
      ),
    startExecution: () => sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:eu-west-3:1:stateMachine:m', name: 'F-1-r1', input: '{}' })),
    describeExecution: () => sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:eu-west-3:1:execution:m:F-1-r1' })),
    sendTaskSuccess: () => sfn.send(new SendTaskSuccessCommand({ taskToken: 'token', output: '{}' })),
    createSchedule: () => scheduler.send(new CreateScheduleCommand({ ...schedule, GroupName: 'dunning' })),
    updateSchedule: () => scheduler.send(new UpdateScheduleCommand(schedule)),
    sendEmail: () =>
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'billing@example.com',
          Destination: { ToAddresses: ['a@example.com'] },
          Content: { Simple: { Subject: { Data: 'Facture', Charset: 'UTF-8' }, Body: { Text: { Data: 'été' }, Html: { Data: '<p>été</p>' } } } },
          EmailTags: [{ Name: 'invoice', Value: 'F-1' }],
          ConfigurationSetName: 'dunning',
        }),
      ),
    // Two entries, the second refused: the publisher reads each entry's ErrorCode.
    putEvents: () =>
      eventBridge.send(
        new PutEventsCommand({
          Entries: ['F-1', 'F-2'].map((invoiceId) => ({
            EventBusName: 'DunningStack-dunning-events',
            Source: 'dunning',
            DetailType: 'Promise made',
            Detail: JSON.stringify({ invoiceId, at: '2027-01-02T08:00:00.000Z' }),
            Time: new Date('2027-01-02T08:00:00.000Z'),
          })),
        }),
      ),
    sendEmailRejected: () =>
      ses.send(new SendEmailCommand({ FromEmailAddress: 'billing@example.com', Destination: { ToAddresses: ['x'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } })),
  };
  const outcomes: Record<string, Outcome> = {};
  for (const [name, call] of Object.entries(calls)) {
    try {
      const { $metadata: _, ...result } = (await call()) as { $metadata: unknown };
      outcomes[name] = { result };
    } catch (error) {
      outcomes[name] = { error: `${(error as Error).name}: ${(error as Error).message}` };
    }
  }
  return outcomes;
}
