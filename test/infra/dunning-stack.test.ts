/**
 * The CDK stack, synthesized without bundling and without CloudFormation's built-in validation (~0.5 s instead of
 * ~20 s); `npx cdk synth` (and the last test here, through `infra/app.ts`) keeps the full path covered.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZER_HANDLER, EVENT_HANDLERS, ROUTES, START_BUFFER, WORKFLOW_FUNCTIONS } from '../../infra/catalog';
import { API_HANDLER_NEEDS } from '../../infra/constructs/api';
import { METRICS_NAMESPACE, SES_ALARM_THRESHOLDS, SES_REVIEW_LEVELS } from '../../infra/constructs/monitoring';
import { DEFERRED_START_RETRY_POLICY } from '../../infra/constructs/schedules';
import { keys, SK } from '../../shared/adapters/dynamodb-table';
import { PROJECT_ROOT } from '../../infra/constructs/handler-function';
import { DunningStack } from '../../infra/dunning-stack';
import { readSettings } from '../../infra/settings';
import { EXAMPLE_CREDITOR } from '../../shared/lambda/config';

type Resources = Record<string, { Type: string; Properties?: any; DependsOn?: string | string[]; DeletionPolicy?: string }>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

function build(context: Record<string, unknown> = {}) {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], 'dunning:creditor': EXAMPLE_CREDITOR, ...context },
    builtinCloudFormationValidation: false,
  });
  const stack = new DunningStack(app, 'DunningStack', { settings: readSettings(app.node) });
  return { app, stack };
}

function synth(context: Record<string, unknown> = {}) {
  const { stack } = build(context);
  const template = Template.fromStack(stack);
  return { template, resources: template.toJSON().Resources as Resources };
}

const ofType = (resources: Resources, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The Lambda function of a handler, found by its description (the handler's name). */
function functionOf(resources: Resources, handler: string): [string, Resources[string]] {
  const found = ofType(resources, 'AWS::Lambda::Function').filter(([, r]) => r.Properties.Description === handler);
  expect(found, handler).toHaveLength(1);
  return found[0];
}

/** Every statement of the identity policies attached to a role. */
function statementsOfRole(resources: Resources, roleLogicalId: string): Statement[] {
  return ofType(resources, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleLogicalId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

function statementsOf(resources: Resources, handler: string): Statement[] {
  const [, fn] = functionOf(resources, handler);
  return statementsOfRole(resources, fn.Properties.Role['Fn::GetAtt'][0]);
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => asArray(s.Action));

/**
 * The state machine definition as Step Functions will see it: CloudFormation's `DefinitionSubstitutions` applied,
 * each function ARN written `fn:<logical id>`.
 */
function definitionOf(resources: Resources): any {
  const [[, machine]] = ofType(resources, 'AWS::StepFunctions::StateMachine');
  const substitutions: Record<string, any> = machine.Properties.DefinitionSubstitutions ?? {};
  const text = (machine.Properties.DefinitionString as string).replace(/\$\{(\w+)\}/g, (placeholder, key: string) => {
    const value = substitutions[key];
    if (!value) throw new Error(`no substitution for ${placeholder}`);
    return `fn:${value['Fn::GetAtt'][0]}`;
  });
  return JSON.parse(text);
}

describe('DunningStack', () => {
  let resources: Resources;
  let template: Template;
  beforeAll(() => {
    ({ template, resources } = synth());
  });

  describe('workflow', () => {
    it('loads the state machine definition with every placeholder replaced by its function', () => {
      const definition = definitionOf(resources);
      const tasks = Object.entries<any>(definition.States).filter(([, s]) => s.Type === 'Task');
      const byHandler = new Map(
        Object.values(WORKFLOW_FUNCTIONS).map((handler) => [handler, `fn:${functionOf(resources, handler)[0]}`]),
      );
      for (const [name, task] of tasks) {
        expect(task.Parameters.FunctionName, name).toMatch(/^fn:/);
        expect([...byHandler.values()], name).toContain(task.Parameters.FunctionName);
      }
      expect(JSON.stringify(definition)).not.toContain('${');
      // Waits are the park function's; spot-check one substitution of each kind.
      expect(definition.States['Wait until the pre-reminder date'].Parameters.FunctionName).toBe(byHandler.get('park-invoice'));
      expect(definition.States['Send pre-reminder email'].Parameters.FunctionName).toBe(byHandler.get('send-email'));
      expect(definition.States['Plan the reminders'].Parameters.FunctionName).toBe(byHandler.get('plan-reminders'));
    });

    it('parks on interruptible waits, branches, and ends in the terminal states operators expect', () => {
      const states = Object.entries<any>(definitionOf(resources).States);
      const callbacks = states.filter(([, s]) => s.Type === 'Task' && s.Resource.endsWith('.waitForTaskToken'));
      // The waits time out at the wake-up time their state carries; the callback steps (which send themselves on) after
      // a fixed hour, far beyond their Lambda's own time, should their send be lost. None can wait forever.
      const waits = callbacks.filter(([, s]) => s.TimeoutSecondsPath === '$.wait.seconds');
      expect(waits.map(([name]) => name)).toHaveLength(5);
      for (const [name, s] of callbacks) {
        expect(s.TimeoutSecondsPath === '$.wait.seconds' || s.TimeoutSeconds === 3600, name).toBe(true);
        expect(s.Parameters.Payload['taskToken.$'], name).toBe('$$.Task.Token');
        // What they catch on purpose is never retried as a failure; a send throttled beyond the buffer's reach is
        // retried at length (an hour or so) before any retrier that ends in "Needs attention".
        const retriers = s.Retry.map((r: { ErrorEquals: string[] }) => r.ErrorEquals);
        const caught = s.Catch.flatMap((c: { ErrorEquals: string[] }) => c.ErrorEquals).filter((e: string) => e.startsWith('Dunning.'));
        expect(retriers[0], name).toEqual(expect.arrayContaining(caught));
        expect(s.Retry[0].MaxAttempts, name).toBe(0);
        expect(s.Retry[1], name).toMatchObject({ ErrorEquals: ['Dunning.Throttled'], MaxAttempts: 10, MaxDelaySeconds: 300 });
      }
      // One Choice, for what no step can know: the others send themselves on.
      expect(states.filter(([, s]) => s.Type === 'Choice').map(([name]) => name)).toEqual(['Decide the next step']);
      const succeed = states.filter(([, s]) => s.Type === 'Succeed').map(([name]) => name);
      expect(succeed).toEqual(expect.arrayContaining(['Paid', 'Cancelled', 'Handed off to legal']));
      for (const [name] of states) {
        // Sentence case, words separated by spaces: no camelCase, snake_case or ids.
        expect(name, name).toMatch(/^[A-Z][a-z]+( [A-Za-z-]+:?)*\??$/);
        expect(name, name).not.toMatch(/[a-z][A-Z]|_/);
      }
    });

    it('is a standard, traced state machine logging errors without execution data, with a readable name', () => {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: 'DunningStack-invoice-dunning',
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
      });
    });

    it('lets the state machine invoke exactly its six functions', () => {
      const [[, machine]] = ofType(resources, 'AWS::StepFunctions::StateMachine');
      const statements = statementsOfRole(resources, machine.Properties.RoleArn['Fn::GetAtt'][0]);
      const invoke = statements.filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'));
      expect(invoke).toHaveLength(1);
      const invoked = asArray(invoke[0].Resource as any[]).map((r) => r['Fn::GetAtt'][0]).sort();
      const expected = Object.values(WORKFLOW_FUNCTIONS).map((h) => functionOf(resources, h)[0]).sort();
      expect(invoked).toEqual(expected);
    });

    it('gives the email-sending functions 30 s, and the functions that zip an evidence bundle 1 GB and the time to read every document', () => {
      expect(functionOf(resources, 'send-email')[1].Properties.Timeout).toBe(30);
      expect(functionOf(resources, 'hand-off')[1].Properties).toMatchObject({ Timeout: 120, MemorySize: 1024 });
      expect(functionOf(resources, 'get-evidence')[1].Properties).toMatchObject({ Timeout: 29, MemorySize: 1024 });
      expect(functionOf(resources, 'plan-reminders')[1].Properties.Timeout).toBe(10);
    });
  });

  describe('data', () => {
    it('has one table only: redelivered SES events are recognised in it, without an idempotency table', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
    });

    it('keeps the single table on demand, encrypted, recoverable, retained, with TTL, the status and the customer index', () => {
      const tables = ofType(resources, 'AWS::DynamoDB::Table');
      const main = tables.find(([, t]) => t.Properties.KeySchema.length === 2);
      expect(main).toBeDefined();
      expect(main![1].DeletionPolicy).toBe('Retain');
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: 'byCustomer',
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['invoiceId', 'dueDate', 'status', 'nextActionAt'] },
          },
        ],
      });
    });

    it('keeps documents encrypted, private, versioned and locked in governance mode for ten years, logged elsewhere', () => {
      const [[id, bucket]] = ofType(resources, 'AWS::S3::Bucket').filter(([, b]) => b.Properties?.ObjectLockEnabled);
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.Properties).toMatchObject({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 3650 } } },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { DestinationBucketName: expect.anything(), LogFilePrefix: 'documents/' },
      });
      const transitions = bucket.Properties.LifecycleConfiguration.Rules[0].Transitions.map((t: { StorageClass: string }) => t.StorageClass);
      expect(transitions).toEqual(['STANDARD_IA', 'GLACIER_IR']);
      // TLS only: a bucket policy denies any request without it.
      const policy = ofType(resources, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket).includes(id))!;
      expect(JSON.stringify(policy[1].Properties.PolicyDocument)).toContain('aws:SecureTransport');
    });

    it('locks documents for the retention the deployment sets', () => {
      const { resources: custom } = synth({ 'dunning:documentRetentionYears': 7 });
      const [[, bucket]] = ofType(custom, 'AWS::S3::Bucket').filter(([, b]) => b.Properties?.ObjectLockEnabled);
      expect(bucket.Properties.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'GOVERNANCE', Days: 2555 });
    });
  });

  describe('HTTP API', () => {
    it('serves every route of the catalog, with the API-key authorizer on the billing and operator routes only', () => {
      const [[authorizerId]] = ofType(resources, 'AWS::ApiGatewayV2::Authorizer');
      const routes = new Map(ofType(resources, 'AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey, r.Properties]));
      expect(routes.size).toBe(ROUTES.length);
      for (const route of ROUTES) {
        const found = routes.get(`${route.method} ${route.path}`);
        expect(found, `${route.method} ${route.path}`).toBeDefined();
        if (route.auth) {
          expect(found!.AuthorizationType).toBe('CUSTOM');
          expect(found!.AuthorizerId).toEqual({ Ref: authorizerId });
        } else {
          expect(found!.AuthorizationType).toBe('NONE');
          expect(found!.AuthorizerId).toBeUndefined();
        }
      }
    });

    it('routes each path to its handler; both customer-page routes share one function', () => {
      const integrations = Object.fromEntries(ofType(resources, 'AWS::ApiGatewayV2::Integration'));
      for (const [, route] of ofType(resources, 'AWS::ApiGatewayV2::Route')) {
        const handler = ROUTES.find((r) => `${r.method} ${r.path}` === route.Properties.RouteKey)!.handler;
        const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref;
        expect(integrations[integrationId].Properties.IntegrationUri['Fn::GetAtt'][0]).toBe(functionOf(resources, handler)[0]);
      }
    });

    it('authorizes with the authorize-api-key handler, simple responses, the Authorization header, a 5-minute cache', () => {
      const [, authorizerFn] = functionOf(resources, AUTHORIZER_HANDLER);
      expect(authorizerFn).toBeDefined();
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'REQUEST',
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.Authorization'],
        AuthorizerResultTtlInSeconds: 300,
      });
    });

    it('throttles the stage and logs access without paths (link tokens) or the Authorization header', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
      const [[, stage]] = ofType(resources, 'AWS::ApiGatewayV2::Stage');
      const format: string = stage.Properties.AccessLogSettings.Format;
      expect(JSON.parse(format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey' });
      expect(format).not.toMatch(/\$context\.path|rawPath|header|authorization/i);
    });
  });

  describe('functions', () => {
    const allHandlers = [
      ...new Set([
        ...ROUTES.map((r) => r.handler),
        AUTHORIZER_HANDLER,
        ...Object.values(WORKFLOW_FUNCTIONS),
        ...Object.values(EVENT_HANDLERS),
      ]),
    ];

    const BUNDLE_MAKERS = new Set(['hand-off', 'get-evidence']);

    it('has one ARM64, traced Node.js function per handler, each with its own log group kept a month', () => {
      const functions = ofType(resources, 'AWS::Lambda::Function');
      expect(functions.length).toBe(allHandlers.length);
      for (const handler of allHandlers) {
        const [, fn] = functionOf(resources, handler);
        expect(fn.Properties.Architectures, handler).toEqual(['arm64']);
        // One Node version: Lambda runs the major the tests run on (the node@24 devDependency under npm scripts).
        expect(fn.Properties.Runtime, handler).toBe(`nodejs${process.versions.node.split('.')[0]}.x`);
        expect(fn.Properties.MemorySize, handler).toBe(BUNDLE_MAKERS.has(handler) ? 1024 : 256);
        expect(fn.Properties.TracingConfig, handler).toEqual({ Mode: 'Active' });
        expect(fn.Properties.ReservedConcurrentExecutions, handler).toBeUndefined();
        const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
        expect(resources[logGroupId].Properties.RetentionInDays, handler).toBe(30);
      }
    });

    it('gives every function the environment shared/lambda/config.ts reads', () => {
      const required = [
        'TABLE_NAME',
        'STATE_MACHINE_ARN',
        'SENDER_EMAIL',
        'TEAM_EMAIL',
        'SES_CONFIGURATION_SET',
        'PUBLIC_BASE_URL',
        'CREDITOR',
        'TEAM_LANGUAGE',
        'CREDITOR_TIME_ZONE',
        'CREDITOR_COUNTRY',
        'SEND_TIME',
        'SCHEDULER_ROLE_ARN',
        'SCHEDULER_GROUP_NAME',
        'POWERTOOLS_SERVICE_NAME',
      ];
      for (const [, fn] of ofType(resources, 'AWS::Lambda::Function')) {
        const variables = fn.Properties.Environment.Variables;
        expect(Object.keys(variables)).toEqual(expect.arrayContaining(required));
        expect(JSON.parse(variables.CREDITOR)).toMatchObject({ name: expect.any(String), iban: expect.any(String), bic: expect.any(String) });
        expect(variables.POWERTOOLS_SERVICE_NAME).toBe('dunning');
        expect(variables.SCHEDULER_GROUP_NAME).toBe('dunning-starts');
        expect(variables.DUNNING_POLICY).toBeUndefined();
        // The workflow's own functions know the state machine without referencing it (no cycle).
        expect(JSON.stringify(variables.STATE_MACHINE_ARN)).toContain(':stateMachine:DunningStack-invoice-dunning');
      }
    });

    it('uses no managed policy: each role writes logs to its own log group only', () => {
      for (const [, role] of ofType(resources, 'AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });
  });

  describe('email', () => {
    it('sends through a configuration set that publishes delivery events to the default event bus', () => {
      template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
      template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'billing@example.com' });
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: Match.objectLike({
          Enabled: true,
          MatchingEventTypes: Match.arrayEquals(['delivery', 'bounce', 'complaint', 'reject', 'deliveryDelay']),
          EventBridgeDestination: {
            EventBusArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':event-bus/default'])]) }),
          },
        }),
      });
    });

    it('routes the SES events of this configuration set to the ses-events handler', () => {
      const [sesEventsId] = functionOf(resources, EVENT_HANDLERS.sesEvents);
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.ses'],
          'detail-type': Match.arrayEquals([
            'Email Delivered',
            'Email Bounced',
            'Email Complaint Received',
            'Email Rejected',
            'Email Delivery Delayed',
          ]),
          detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: Match.stringLikeRegexp('ConfigurationSet') }] } } },
        },
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [sesEventsId, 'Arn'] } })],
      });
    });

    it('lets senders send only from the sender identity through the configuration set', () => {
      for (const handler of ['send-email', 'hand-off', 'daily-digest', 'ses-events']) {
        const send = statementsOf(resources, handler).filter((s) => asArray(s.Action).includes('ses:SendEmail'));
        expect(send, handler).toHaveLength(1);
        const targets = JSON.stringify(send[0].Resource);
        expect(targets, handler).toContain('EmailSenderIdentity');
        expect(targets, handler).toContain(':configuration-set/');
      }
      for (const handler of ['get-invoice', 'register-invoice', 'park-invoice', 'authorize-api-key', 'publish-events']) {
        expect(actionsOf(statementsOf(resources, handler)), handler).not.toContain('ses:SendEmail');
      }
    });
  });

  describe('schedules', () => {
    it('has a role the scheduler may assume for this account only, to start this state machine', () => {
      template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'dunning-starts' });
      const roles = ofType(resources, 'AWS::IAM::Role').filter(([, r]) =>
        r.Properties.AssumeRolePolicyDocument.Statement.some((s: any) => s.Principal?.Service === 'scheduler.amazonaws.com'),
      );
      // Deferred starts, the daily digest, the reconciliation of starts.
      expect(roles.length).toBe(3);
      for (const [id, role] of roles) {
        const [trust] = role.Properties.AssumeRolePolicyDocument.Statement;
        expect(trust.Condition.StringEquals['aws:SourceAccount'], id).toEqual({ Ref: 'AWS::AccountId' });
        expect(trust.Condition.ArnEquals['aws:SourceArn'], id).toBeDefined();
      }
      const starts = roles.find(([id]) => id.includes('DeferredStarts'))!;
      const statements = statementsOfRole(resources, starts[0]);
      // Start this state machine, and send a start that keeps failing to its dead-letter queue: nothing else.
      expect(statements.map((s) => s.Action)).toEqual(['states:StartExecution', 'sqs:SendMessage']);
      expect(JSON.stringify(statements[0].Resource)).toContain(':stateMachine:DunningStack-invoice-dunning');
    });

    it('runs the daily digest on business-day mornings in the creditor time zone, invoking only the digest', () => {
      const [digestId] = functionOf(resources, EVENT_HANDLERS.dailyDigest);
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 8 ? * MON-FRI *)',
        ScheduleExpressionTimezone: 'Europe/Paris',
        Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [digestId, 'Arn'] } }),
      });
      const [, schedule] = ofType(resources, 'AWS::Scheduler::Schedule').find(([, r]) => r.Properties.ScheduleExpression.startsWith('cron('))!;
      const statements = statementsOfRole(resources, schedule.Properties.Target.RoleArn['Fn::GetAtt'][0]);
      expect(statements).toEqual([
        { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [digestId, 'Arn'] } },
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulesDailyDigestDeadLetterQueue/), 'Arn'] } },
      ]);
    });

    it('runs the reconciliation of starts every ten minutes, invoking only its function, with a dead-letter queue', () => {
      const [reconcileId] = functionOf(resources, EVENT_HANDLERS.reconcileStarts);
      const [, schedule] = ofType(resources, 'AWS::Scheduler::Schedule').find(([, r]) => r.Properties.ScheduleExpression === 'rate(10 minutes)')!;
      expect(schedule.Properties.Target).toMatchObject({
        Arn: { 'Fn::GetAtt': [reconcileId, 'Arn'] },
        RetryPolicy: { MaximumEventAgeInSeconds: 600, MaximumRetryAttempts: 3 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulesReconcileStartsDeadLetterQueue/), 'Arn'] } },
      });
      const statements = statementsOfRole(resources, schedule.Properties.Target.RoleArn['Fn::GetAtt'][0]);
      expect(statements.map((st) => st.Action)).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    });
  });

  describe('start buffer', () => {
    const queueId = () => {
      const queues = ofType(resources, 'AWS::SQS::Queue').filter(([id]) => id.startsWith('StartBufferSignals'));
      expect(queues).toHaveLength(1);
      return queues[0][0];
    };
    const deadLetterId = () => ofType(resources, 'AWS::SQS::Queue').find(([id]) => id.startsWith('StartBufferDeadLetterQueue'))![0];

    it('is a queue, encrypted, TLS only, whose messages fail to a dead-letter queue after 25 deliveries', () => {
      expect(resources[queueId()].Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: START_BUFFER.visibilityTimeoutSeconds,
        MessageRetentionPeriod: 4 * 24 * 3600,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId(), 'Arn'] }, maxReceiveCount: 25 },
      });
      const policies = ofType(resources, 'AWS::SQS::QueuePolicy').filter(([, p]) => JSON.stringify(p.Properties.Queues).includes(queueId()));
      expect(policies[0][1].Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    });

    it('feeds signal-workflow ten at a time, at most three at once, failures reported per message', () => {
      const [consumerId, consumer] = functionOf(resources, EVENT_HANDLERS.signalWorkflow);
      const [[, mapping]] = ofType(resources, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.FunctionName.Ref === consumerId);
      expect(mapping.Properties).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
        BatchSize: 10,
        ScalingConfig: { MaximumConcurrency: 3 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // SQS wants the visibility timeout at least the consumer's timeout.
      expect(consumer.Properties.Timeout).toBeLessThanOrEqual(START_BUFFER.visibilityTimeoutSeconds);
    });

    it('lets the consumer start executions, create and move deferred starts, wake parked tasks and send signals back, and nothing else of the kind', () => {
      const statements = statementsOf(resources, EVENT_HANDLERS.signalWorkflow);
      const actions = actionsOf(statements);
      expect(actions).toEqual(
        expect.arrayContaining(['states:StartExecution', 'states:DescribeExecution', 'states:SendTaskSuccess', 'scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'iam:PassRole', 'sqs:SendMessage']),
      );
      expect(actions.filter((a) => a.startsWith('ses:') || a.startsWith('s3:') || a === 'scheduler:DeleteSchedule' || a === 'states:StopExecution')).toEqual([]);
      const create = statements.find((st) => actionsOf([st]).includes('scheduler:CreateSchedule'))!;
      expect(JSON.stringify(create.Resource)).toContain(':schedule/dunning-starts/*');
    });

    it('tells every function that signals where the queue is', () => {
      for (const handler of ['register-invoice', 'park-invoice', 'send-email', 'hand-off', EVENT_HANDLERS.signalWorkflow, EVENT_HANDLERS.reconcileStarts]) {
        const [, fn] = functionOf(resources, handler);
        expect(fn.Properties.Environment.Variables.SIGNAL_QUEUE_URL, handler).toEqual({ Ref: queueId() });
      }
      // The park and the callback steps hand a throttled send on their own token to the buffer.
      for (const handler of ['park-invoice', 'send-email', 'hand-off']) expect(actionsOf(statementsOf(resources, handler)), handler).toContain('sqs:SendMessage');
    });
  });

  describe('events out', () => {
    const tableId = () => ofType(resources, 'AWS::DynamoDB::Table')[0][0];
    const busId = () => {
      const buses = ofType(resources, 'AWS::Events::EventBus');
      expect(buses).toHaveLength(1);
      return buses[0][0];
    };
    const queueId = () => {
      const queues = ofType(resources, 'AWS::SQS::Queue').filter(([id]) => id.startsWith('EventsDeadLetterQueue'));
      expect(queues).toHaveLength(1);
      return queues[0][0];
    };
    const mapping = () => {
      const [publisherId] = functionOf(resources, EVENT_HANDLERS.publishEvents);
      const mappings = ofType(resources, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.FunctionName.Ref === publisherId);
      expect(mappings).toHaveLength(1);
      return mappings[0][1].Properties;
    };

    it('streams the new image of every item written to the table', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } });
    });

    it('publishes to a bus of the stack, named after it', () => {
      expect(resources[busId()].Properties.Name).toBe('DunningStack-dunning-events');
      // No resource policy: only this account puts events on it.
      template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    });

    it('feeds publish-events from the table stream, oldest first, in batches of up to 100 records or 1 s', () => {
      const [fnId, fn] = functionOf(resources, EVENT_HANDLERS.publishEvents);
      expect(mapping()).toMatchObject({
        FunctionName: { Ref: fnId },
        EventSourceArn: { 'Fn::GetAtt': [tableId(), 'StreamArn'] },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
      });
      // One batch per shard at a time: an invoice's events leave in the order they were written.
      expect(mapping().ParallelizationFactor ?? 1).toBe(1);
      expect(fn.Properties.Timeout).toBe(30);
    });

    it('passes only INSERTs of timeline entries to the function, the keys the repository writes', () => {
      const { Filters } = mapping().FilterCriteria;
      expect(Filters).toHaveLength(1);
      expect(JSON.parse(Filters[0].Pattern)).toEqual({
        eventName: ['INSERT'],
        dynamodb: { Keys: { [SK]: { S: [{ prefix: 'TIMELINE#' }] } } },
      });
      expect(keys.timeline('F-1', '2027-01-02T08:00:00.000Z', 'abcdef')[SK].startsWith('TIMELINE#')).toBe(true);
      for (const other of [keys.invoice('F-1'), keys.emailClaim('F-1', 'pre'), keys.link('h')]) {
        expect(other[SK].startsWith('TIMELINE#'), other[SK]).toBe(false);
      }
    });

    it('retries a failed record from itself on, splits failing batches, and sends what keeps failing to a dead-letter queue', () => {
      expect(mapping()).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 10,
        MaximumRecordAgeInSeconds: 86400,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(), 'Arn'] } } },
      });
    });

    it('keeps the dead-letter queue encrypted, TLS only, for 14 days', () => {
      expect(resources[queueId()].Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      const policies = ofType(resources, 'AWS::SQS::QueuePolicy').filter(([, p]) => JSON.stringify(p.Properties.Queues).includes(queueId()));
      expect(policies).toHaveLength(1);
      expect(policies[0][1].Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    });

    it('tells the function the bus name', () => {
      const [, fn] = functionOf(resources, EVENT_HANDLERS.publishEvents);
      expect(fn.Properties.Environment.Variables.EVENT_BUS_NAME).toEqual({ Ref: busId() });
    });

    it('lets publish-events put events on this bus only, read the table and its stream, and fill the dead-letter queue', () => {
      const statements = statementsOf(resources, EVENT_HANDLERS.publishEvents);
      expect(statements.filter((s) => asArray(s.Action).includes('events:PutEvents'))).toEqual([
        { Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [busId(), 'Arn'] } },
      ]);
      const get = statements.find((s) => asArray(s.Action).includes('dynamodb:GetItem'))!;
      expect(asArray(get.Resource)).toContainEqual({ 'Fn::GetAtt': [tableId(), 'Arn'] });
      const stream = statements.find((s) => asArray(s.Action).includes('dynamodb:GetRecords'))!;
      expect(stream.Resource).toEqual({ 'Fn::GetAtt': [tableId(), 'StreamArn'] });
      const send = statements.find((s) => asArray(s.Action).includes('sqs:SendMessage'))!;
      expect(send.Resource).toEqual({ 'Fn::GetAtt': [queueId(), 'Arn'] });
      // No email, no execution, no schedule, no document.
      expect(actionsOf(statements).filter((a) => /^(ses|states|scheduler|s3|iam):/.test(a))).toEqual([]);
    });

    it('lets no other function put events', () => {
      for (const [id, fn] of ofType(resources, 'AWS::Lambda::Function')) {
        if (fn.Properties.Description === EVENT_HANDLERS.publishEvents) continue;
        const actions = actionsOf(statementsOfRole(resources, fn.Properties.Role['Fn::GetAtt'][0]));
        expect(actions.filter((a) => a.startsWith('events:')), id).toEqual([]);
      }
    });
  });

  describe('dead-letter queues', () => {
    const queues = () => ofType(resources, 'AWS::SQS::Queue').filter(([id]) => id.includes('DeadLetterQueue'));
    const queueNamed = (prefix: string) => {
      const found = queues().filter(([id]) => id.startsWith(prefix));
      expect(found, prefix).toHaveLength(1);
      return found[0][0];
    };
    const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

    it('has one per asynchronous delivery: SES events, the daily digest, the deferred starts, events out, the start buffer, its reconciliation', () => {
      expect(queues().map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
        'EmailDeliveryEventsDeadLetterQueue',
        'EventsDeadLetterQueue',
        'SchedulesDailyDigestDeadLetterQueue',
        'SchedulesDeferredStartsDeadLetterQueue',
        'SchedulesReconcileStartsDeadLetterQueue',
        'StartBufferDeadLetterQueue',
      ]);
    });

    it('keeps every one encrypted, TLS only, for 14 days', () => {
      for (const [id, queue] of queues()) {
        expect(queue.Properties, id).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
        const policies = ofType(resources, 'AWS::SQS::QueuePolicy').filter(([, p]) => JSON.stringify(p.Properties.Queues).includes(id));
        expect(policies, id).toHaveLength(1);
        expect(policies[0][1].Properties.PolicyDocument.Statement, id).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });

    it('catches SES events the rule could not deliver after its retries, and those the handler failed on every attempt', () => {
      const queueId = queueNamed('EmailDeliveryEventsDeadLetterQueue');
      const [sesEventsId] = functionOf(resources, EVENT_HANDLERS.sesEvents);
      const [[ruleId, rule]] = ofType(resources, 'AWS::Events::Rule');
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: getAtt(sesEventsId),
          DeadLetterConfig: { Arn: getAtt(queueId) },
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86400 },
        }),
      ]);
      // EventBridge may send to the queue for this rule only.
      const [[, policy]] = ofType(resources, 'AWS::SQS::QueuePolicy').filter(([, p]) => JSON.stringify(p.Properties.Queues).includes(queueId));
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': getAtt(ruleId) } },
        }),
      );
      // The rule invokes the function asynchronously: a handler failing every attempt lands in the same queue.
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: sesEventsId },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: getAtt(queueId) } },
      });
    });

    it('gives the daily digest schedule a dead-letter queue and a retry policy, and the digest function the same queue on failure', () => {
      const queueId = queueNamed('SchedulesDailyDigestDeadLetterQueue');
      const [digestId] = functionOf(resources, EVENT_HANDLERS.dailyDigest);
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Target: Match.objectLike({
          Arn: getAtt(digestId),
          DeadLetterConfig: { Arn: getAtt(queueId) },
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 },
        }),
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: digestId },
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: getAtt(queueId) } },
      });
    });

    it("tells every handler the deferred starts' queue, which only the starts role may send to", () => {
      const queueId = queueNamed('SchedulesDeferredStartsDeadLetterQueue');
      for (const [id, fn] of ofType(resources, 'AWS::Lambda::Function')) {
        expect(fn.Properties.Environment.Variables.DEFERRED_START_DLQ_ARN, id).toEqual(getAtt(queueId));
      }
      const senders = ofType(resources, 'AWS::IAM::Policy')
        .filter(([, p]) => p.Properties.PolicyDocument.Statement.some((s: Statement) => JSON.stringify(s.Resource) === JSON.stringify(getAtt(queueId))))
        .flatMap(([, p]) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref));
      expect(senders).toEqual([expect.stringMatching(/^SchedulesDeferredStartsRole/)]);
      const statements = statementsOfRole(resources, senders[0]);
      expect(statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('sqs:')))).toEqual([
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: getAtt(queueId) },
      ]);
    });

    it("gives the adapter a retry policy within Scheduler's bounds for the deferred starts", () => {
      expect(DEFERRED_START_RETRY_POLICY.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(DEFERRED_START_RETRY_POLICY.MaximumEventAgeInSeconds).toBeLessThanOrEqual(86400);
      expect(DEFERRED_START_RETRY_POLICY.MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
      expect(DEFERRED_START_RETRY_POLICY.MaximumRetryAttempts).toBeLessThanOrEqual(185);
    });
  });

  describe('monitoring', () => {
    const topicId = () => {
      const topics = ofType(resources, 'AWS::SNS::Topic');
      expect(topics).toHaveLength(1);
      return topics[0][0];
    };
    const alarms = () => ofType(resources, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const alarmNamed = (name: string) => {
      const found = alarms().filter((a) => a.AlarmName === `DunningStack-${name}`);
      expect(found, name).toHaveLength(1);
      return found[0];
    };
    const countAlarm = { ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, Period: 300, Statistic: 'Sum', Threshold: 1 };
    const lambdaFunctions = () => ofType(resources, 'AWS::Lambda::Function');
    const runbookKeys = () => [...readFileSync(join(PROJECT_ROOT, 'infra/RUNBOOK.md'), 'utf8').matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);

    it('has an alarms topic encrypted with a rotated key of its own, TLS only, that CloudWatch may publish to for this stack only', () => {
      const [[keyId, key]] = ofType(resources, 'AWS::KMS::Key');
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(resources[topicId()].Properties).toMatchObject({ TopicName: 'DunningStack-alarms', KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      // The AWS-managed key would not do: its policy cannot let CloudWatch use it.
      const keyStatement = key.Properties.KeyPolicy.Statement.find((s: any) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
      expect(keyStatement.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
      expect(JSON.stringify(keyStatement.Condition.StringEquals['kms:EncryptionContext:aws:sns:topicArn'])).toContain(':DunningStack-alarms');

      const [[, policy]] = ofType(resources, 'AWS::SNS::TopicPolicy');
      expect(policy.Properties.Topics).toEqual([{ Ref: topicId() }]);
      const statements = policy.Properties.PolicyDocument.Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      const publish = statements.find((s: any) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
      expect(publish).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: topicId() } });
      expect(publish.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
      expect(JSON.stringify(publish.Condition.ArnLike['aws:SourceArn'])).toContain(':alarm:DunningStack-*');
    });

    it('subscribes the team email to it, and outputs its ARN', () => {
      const subscriptions = ofType(resources, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);
      expect(subscriptions).toEqual([{ Protocol: 'email', Endpoint: 'credit-team@example.com', TopicArn: { Ref: topicId() } }]);
      template.hasOutput('AlarmsTopicArn', { Value: { Ref: topicId() } });
    });

    it.each([
      ['oncall@example.com', 'email'],
      ['https://events.pagerduty.com/integration/abc/enqueue', 'https'],
    ])('subscribes dunning:alarmEndpoint %s too', (endpoint, protocol) => {
      const { resources: custom } = synth({ 'dunning:alarmEndpoint': endpoint, 'dunning:teamEmail': 'team@example.com' });
      const subscriptions = ofType(custom, 'AWS::SNS::Subscription').map(([, s]) => [s.Properties.Protocol, s.Properties.Endpoint]);
      expect(subscriptions).toEqual([['email', 'team@example.com'], [protocol, endpoint]]);
    });

    it('sends every alarm and its return to OK to the topic, with a runbook row named in its description', () => {
      const keys = new Set(runbookKeys());
      const used = new Set<string>();
      for (const alarm of alarms()) {
        expect(alarm.AlarmActions, alarm.AlarmName).toEqual([{ Ref: topicId() }]);
        expect(alarm.OKActions, alarm.AlarmName).toEqual([{ Ref: topicId() }]);
        expect(alarm.AlarmName, alarm.AlarmName).toMatch(/^DunningStack-/);
        const key = /Runbook: infra\/RUNBOOK\.md, "([a-z0-9-]+)"\.$/.exec(alarm.AlarmDescription)?.[1];
        expect(key, alarm.AlarmName).toBeDefined();
        expect(keys.has(key!), `${alarm.AlarmName}: no row "${key}" in infra/RUNBOOK.md`).toBe(true);
        used.add(key!);
      }
      // And no row of the runbook is about an alarm that no longer exists.
      expect([...keys].sort()).toEqual([...used].sort());
    });

    it('alarms on failed, timed-out and aborted executions of the state machine', () => {
      const [[machineId]] = ofType(resources, 'AWS::StepFunctions::StateMachine');
      for (const [name, metric] of [
        ['executions-failed', 'ExecutionsFailed'],
        ['executions-timed-out', 'ExecutionsTimedOut'],
        ['executions-aborted', 'ExecutionsAborted'],
      ]) {
        expect(alarmNamed(name), name).toMatchObject({
          ...countAlarm,
          Namespace: 'AWS/States',
          MetricName: metric,
          Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machineId } }],
          TreatMissingData: 'notBreaching',
        });
      }
    });

    it('alarms on Needs attention endings, the count the handlers emit with Powertools', () => {
      expect(alarmNamed('needs-attention')).toMatchObject({
        ...countAlarm,
        Namespace: 'PreventiveDunning',
        MetricName: 'NeedsAttention',
        Dimensions: [{ Name: 'service', Value: 'dunning' }],
        TreatMissingData: 'notBreaching',
      });
      // The dimension is the service name every handler is given.
      for (const [id, fn] of lambdaFunctions()) expect(fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME, id).toBe('dunning');
      expect(METRICS_NAMESPACE).toBe('PreventiveDunning');
    });

    it('alarms on the errors and on the throttles of every function, one alarm each', () => {
      const functions = lambdaFunctions();
      for (const metric of ['Errors', 'Throttles']) {
        const onMetric = alarms().filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === metric);
        expect(onMetric, metric).toHaveLength(functions.length);
        const watched = onMetric.map((a) => a.Dimensions.find((d: { Name: string }) => d.Name === 'FunctionName').Value.Ref).sort();
        expect(watched, metric).toEqual(functions.map(([id]) => id).sort());
        for (const alarm of onMetric) expect(alarm, alarm.AlarmName).toMatchObject({ ...countAlarm, TreatMissingData: 'notBreaching' });
      }
      // Named after the handler, so the notification says which one.
      const [sendEmailId] = functionOf(resources, 'send-email');
      expect(alarmNamed('lambda-errors-send-email').Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: sendEmailId } }]);
      expect(alarmNamed('lambda-throttles-send-email').Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: sendEmailId } }]);
    });

    it('alarms on 5xx answers of the HTTP API stage', () => {
      const [[apiId]] = ofType(resources, 'AWS::ApiGatewayV2::Api');
      const alarm = alarmNamed('api-5xx');
      expect(alarm).toMatchObject({ ...countAlarm, Namespace: 'AWS/ApiGateway', MetricName: '5xx' });
      expect(alarm.Dimensions).toEqual(expect.arrayContaining([{ Name: 'ApiId', Value: { Ref: apiId } }, { Name: 'Stage', Value: '$default' }]));
      expect(alarm.Dimensions).toHaveLength(2);
    });

    it('alarms on the account SES bounce and complaint rates a little under the levels at which SES reviews an account', () => {
      const bounce = alarmNamed('ses-bounce-rate');
      const complaint = alarmNamed('ses-complaint-rate');
      expect(bounce).toMatchObject({ Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate', Threshold: 0.04, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      expect(complaint).toMatchObject({ Namespace: 'AWS/SES', MetricName: 'Reputation.ComplaintRate', Threshold: 0.0008, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      for (const alarm of [bounce, complaint]) {
        // Account-level: no dimension.
        expect(alarm.Dimensions, alarm.AlarmName).toBeUndefined();
        expect(alarm.Statistic, alarm.AlarmName).toBe('Maximum');
      }
      expect(SES_ALARM_THRESHOLDS.bounceRate).toBeLessThan(SES_REVIEW_LEVELS.bounceRate);
      expect(SES_ALARM_THRESHOLDS.complaintRate).toBeLessThan(SES_REVIEW_LEVELS.complaintRate);
      expect(SES_REVIEW_LEVELS).toEqual({ bounceRate: 0.05, complaintRate: 0.001 });
    });

    it('alarms on the depth of every dead-letter queue', () => {
      const queues = ofType(resources, 'AWS::SQS::Queue').filter(([id]) => id.includes('DeadLetterQueue'));
      const onDepth = alarms().filter((a) => a.Namespace === 'AWS/SQS' && a.MetricName === 'ApproximateNumberOfMessagesVisible');
      expect(onDepth).toHaveLength(queues.length);
      for (const [id] of queues) {
        const alarm = onDepth.find((a) => JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }]));
        expect(alarm, id).toMatchObject({ ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1, Period: 300, Statistic: 'Maximum', TreatMissingData: 'notBreaching' });
      }
      expect(onDepth.map((a) => a.AlarmName).sort()).toEqual(
        ['daily-digest', 'deferred-starts', 'events-out', 'reconcile-starts', 'ses-events', 'start-buffer'].map((source) => `DunningStack-dlq-${source}`),
      );
    });

    it("watches events out's lag: its failures never count as Lambda errors", () => {
      const alarm = alarms().find((a) => a.MetricName === 'IteratorAge');
      expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Maximum', Threshold: 300_000 });
      expect(JSON.stringify(alarm.Dimensions)).toContain('PublishEvents');
    });

    it("watches the start buffer's backlog (throttled signals are sent again, never failed) and the starts it had to reconcile", () => {
      // The older of the queue's oldest message and a signal's own age (a throttled signal is a new message each time).
      const behind = alarms().find((a) => a.AlarmName === 'DunningStack-start-buffer-behind');
      expect(behind).toMatchObject({ Threshold: 900, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      const math = behind.Metrics.find((m: any) => m.Expression);
      expect(math.Expression).toBe('MAX([queueAge, signalAge])');
      const queueAge = behind.Metrics.find((m: any) => m.Id === 'queueAge').MetricStat;
      expect(queueAge).toMatchObject({ Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage' }, Stat: 'Maximum' });
      expect(JSON.stringify(queueAge.Metric.Dimensions)).toContain('StartBufferSignals');
      const signalAge = behind.Metrics.find((m: any) => m.Id === 'signalAge').MetricStat;
      expect(signalAge).toMatchObject({ Metric: { Namespace: 'PreventiveDunning', MetricName: 'SignalAgeSeconds' }, Stat: 'Maximum' });
      const reconciled = alarms().find((a) => a.MetricName === 'StartsReconciled');
      expect(reconciled).toMatchObject({ Namespace: 'PreventiveDunning', Statistic: 'Sum', Threshold: 1, AlarmName: 'DunningStack-starts-reconciled' });
    });

    it('has no other alarm', () => {
      // 3 execution alarms, Needs attention, 2 per function, API 5xx, 2 SES rates, events out's lag, the start buffer's
      // backlog and reconciled starts, 1 per dead-letter queue.
      const deadLetterQueues = ofType(resources, 'AWS::SQS::Queue').filter(([id]) => id.includes('DeadLetterQueue')).length;
      const expected = 3 + 1 + 2 * lambdaFunctions().length + 1 + 2 + 1 + 2 + deadLetterQueues;
      expect(alarms()).toHaveLength(expected);
    });

    describe('dashboard', () => {
      /** The dashboard body with each CloudFormation reference written `<logical id>`, parsed. */
      const body = () => {
        const dashboards = ofType(resources, 'AWS::CloudWatch::Dashboard');
        expect(dashboards).toHaveLength(1);
        const { DashboardBody } = dashboards[0][1].Properties;
        const parts: unknown[] = DashboardBody['Fn::Join'][1];
        const text = parts.map((p: any) => (typeof p === 'string' ? p : `<${p.Ref ?? p['Fn::GetAtt'].join('.')}>`)).join('');
        return JSON.parse(text) as { widgets: { type: string; y: number; properties: any }[] };
      };
      const metricsOf = (widgets: { type: string; properties: any }[]) =>
        widgets.filter((w) => w.type === 'metric').flatMap((w) => w.properties.metrics as unknown[][]);

      it('is named after the stack, with a text widget on top saying what each row is, and an output to open it', () => {
        template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'DunningStack-dunning' });
        const { widgets } = body();
        expect(widgets[0]).toMatchObject({ type: 'text', y: 0 });
        for (const row of ['alarms', 'business', 'workflow', 'functions', 'HTTP API', 'email', 'dead-letter queues']) {
          expect(widgets[0].properties.markdown, row).toContain(`**${row}**`);
        }
        expect(widgets.find((w) => w.type === 'alarm')!.properties.alarms).toHaveLength(ofType(resources, 'AWS::CloudWatch::Alarm').length);
        template.hasOutput('DashboardUrl', {});
      });

      it('graphs the open invoices by status the daily digest counts', () => {
        const searches = metricsOf(body().widgets).map((m) => (m[0] as { expression?: string })?.expression).filter(Boolean);
        expect(searches).toContainEqual(`SEARCH('{PreventiveDunning,service,status} MetricName="OpenInvoices"', 'Maximum', 86400)`);
      });

      it('graphs the counts the handlers emit, emails and answers by kind', () => {
        const metrics = metricsOf(body().widgets);
        const custom = metrics.filter((m) => m[0] === 'PreventiveDunning').map((m) => m[1]);
        expect(custom.sort()).toEqual(['HandOffs', 'NeedsAttention', 'Payments', 'Throttles']);
        for (const m of metrics.filter((m) => m[0] === 'PreventiveDunning')) expect(m.slice(2, 4)).toEqual(['service', 'dunning']);
        const searches = metrics.map((m) => (m[0] as { expression?: string })?.expression).filter(Boolean);
        for (const name of ['EmailsSent', 'Answers']) {
          expect(searches).toContainEqual(`SEARCH('{PreventiveDunning,kind,service} MetricName="${name}"', 'Sum', 3600)`);
        }
      });

      it('graphs executions, every function, the API, SES and every dead-letter queue', () => {
        const metrics = metricsOf(body().widgets);
        const names = (namespace: string) => new Set(metrics.filter((m) => m[0] === namespace).map((m) => m[1]));
        expect([...names('AWS/States')].sort()).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsTimedOut']);
        expect([...names('AWS/Lambda')].sort()).toEqual(['Duration', 'Errors', 'Throttles']);
        const functionIds = lambdaFunctions().map(([id]) => `<${id}>`).sort();
        for (const metric of ['Errors', 'Throttles', 'Duration']) {
          const graphed = metrics.filter((m) => m[0] === 'AWS/Lambda' && m[1] === metric).map((m) => m[3]).sort();
          expect(graphed, metric).toEqual(functionIds);
        }
        expect([...names('AWS/ApiGateway')].sort()).toEqual(['4xx', '5xx', 'Count', 'IntegrationLatency', 'Latency']);
        expect([...names('AWS/SES')].sort()).toEqual(['Bounce', 'Complaint', 'Delivery', 'Reject', 'Reputation.BounceRate', 'Reputation.ComplaintRate', 'Send']);
        const depths = metrics.filter((m) => m[0] === 'AWS/SQS' && m[1] === 'ApproximateNumberOfMessagesVisible');
        expect(depths).toHaveLength(ofType(resources, 'AWS::SQS::Queue').filter(([id]) => id.includes('DeadLetterQueue')).length);
      });
    });
  });

  describe('least privilege', () => {
    const allStatements = () => ofType(resources, 'AWS::IAM::Policy').flatMap(([id, p]) => p.Properties.PolicyDocument.Statement.map((s: Statement) => [id, s] as const));

    it('grants no wildcard action', () => {
      for (const [id, statement] of allStatements()) {
        for (const action of asArray(statement.Action)) expect(action, id).not.toMatch(/\*/);
      }
    });

    it('uses Resource "*" only for actions that have no resource-level permissions', () => {
      // dynamodb:ListStreams: the DynamoDB event source's grant; the action takes no resource but "*".
      const noResourceLevel = /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)|dynamodb:ListStreams)$/;
      for (const [id, statement] of allStatements()) {
        if (!asArray(statement.Resource).includes('*')) continue;
        for (const action of asArray(statement.Action)) expect(action, id).toMatch(noResourceLevel);
      }
    });

    it('lets the park and the callback steps complete tasks of this state machine only, never of "*"', () => {
      for (const handler of ['park-invoice', 'send-email', 'hand-off']) {
        const wake = statementsOf(resources, handler).filter((s) => asArray(s.Action).includes('states:SendTaskSuccess'));
        expect(wake, handler).toHaveLength(1);
        expect(asArray(wake[0].Action), handler).toContain('states:SendTaskFailure');
        expect(wake[0].Resource).not.toBe('*');
        expect(JSON.stringify(wake[0].Resource)).toContain(':stateMachine:DunningStack-invoice-dunning');
      }
    });

    it('gives read-only handlers no write action on the table', () => {
      const writes = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/;
      for (const handler of ['get-invoice', 'get-evidence', 'authorize-api-key', 'daily-digest', 'publish-events']) {
        const actions = actionsOf(statementsOf(resources, handler));
        expect(actions, handler).toContain('dynamodb:GetItem');
        expect(actions.filter((a) => writes.test(a)), handler).toEqual([]);
        expect(actions.filter((a) => a.startsWith('states:')), handler).toEqual([]);
      }
      expect(actionsOf(statementsOf(resources, 'get-openapi')).filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual([]);
    });

    it('grants documents folder by folder: copies of emails, letters, supporting documents, evidence bundles; reads only to make a bundle; no delete, no listing', () => {
      const writers = ofType(resources, 'AWS::Lambda::Function')
        .map(([logicalId, fn]) => [logicalId, statementsOfRole(resources, fn.Properties.Role['Fn::GetAtt'][0]).filter((st) => asArray(st.Action).some((a) => a.startsWith('s3:')))] as const)
        .filter(([, s3]) => s3.length > 0)
        .map(([logicalId, s3]) => [logicalId.replace(/[0-9A-F]{8}$/, ''), s3.map((st) => [st.Action, JSON.stringify(st.Resource).match(/invoices\/\*(\/\w+\/\*)?/)?.[0]])] as const)
        .sort(([a], [b]) => a.localeCompare(b));
      const bundles = [['s3:GetObject', 'invoices/*'], ['s3:PutObject', 'invoices/*/evidence/*']];
      expect(writers).toEqual([
        ['ApiAttachDocument', [['s3:PutObject', 'invoices/*/documents/*']]],
        ['ApiGetEvidence', bundles],
        ['EmailSesEvents', [['s3:PutObject', 'invoices/*/emails/*']]],
        ['WorkflowHandOff', [...bundles, ['s3:PutObject', 'invoices/*/emails/*']]],
        ['WorkflowSendEmail', [['s3:PutObject', 'invoices/*/emails/*'], ['s3:PutObject', 'invoices/*/letters/*']]],
      ]);
    });

    it('lets the handlers that act on invoices write the table and wake the execution', () => {
      for (const handler of ['record-payment', 'cancel-invoice', 'resolve-dispute', 'record-call-outcome', 'customer-page', 'update-invoice']) {
        const actions = actionsOf(statementsOf(resources, handler));
        expect(actions, handler).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'states:SendTaskSuccess']));
      }
    });

    it('lets no API handler but update move schedules, none create them, and none but the senders send email', () => {
      for (const handler of Object.keys(API_HANDLER_NEEDS).filter((h) => h !== 'update-invoice')) {
        const actions = actionsOf(statementsOf(resources, handler));
        expect(actions.filter((a) => a.startsWith('scheduler:') || a === 'iam:PassRole' || a.startsWith('ses:')), handler).toEqual([]);
      }
      expect(actionsOf(statementsOf(resources, 'update-invoice')).filter((a) => a.startsWith('scheduler:'))).toEqual(['scheduler:UpdateSchedule']);
    });

    it('lets no API handler start an execution: starts go through the start buffer, whose queue they may only send to', () => {
      const [queueId] = ofType(resources, 'AWS::SQS::Queue').find(([id]) => id.startsWith('StartBufferSignals'))!;
      for (const handler of Object.keys(API_HANDLER_NEEDS)) {
        const statements = statementsOf(resources, handler);
        expect(actionsOf(statements), handler).not.toContain('states:StartExecution');
        for (const statement of statements.filter((st) => actionsOf([st]).some((a) => a.startsWith('sqs:')))) {
          expect(actionsOf([statement]).sort(), handler).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
          expect(statement.Resource, handler).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
        }
      }
      for (const handler of ['register-invoice', 'update-invoice', 'record-payment', 'restart-execution', 'customer-page']) {
        expect(actionsOf(statementsOf(resources, handler)), handler).toContain('sqs:SendMessage');
      }
    });

    it('names the table and its two indexes, not index/*', () => {
      for (const [id, statement] of allStatements()) {
        expect(JSON.stringify(statement.Resource), id).not.toContain('/index/*');
      }
    });

    it('has no dependency cycle between resources', () => {
      const edges = new Map<string, Set<string>>();
      const collect = (value: unknown, into: Set<string>) => {
        if (Array.isArray(value)) value.forEach((v) => collect(v, into));
        else if (value && typeof value === 'object') {
          for (const [key, v] of Object.entries(value)) {
            if (key === 'Ref' && typeof v === 'string' && resources[v]) into.add(v);
            else if (key === 'Fn::GetAtt') into.add((v as string[])[0]);
            else collect(v, into);
          }
        }
      };
      for (const [id, r] of Object.entries(resources)) {
        const deps = new Set<string>(asArray(r.DependsOn ?? []));
        collect(r.Properties, deps);
        edges.set(id, deps);
      }
      const state = new Map<string, 'visiting' | 'done'>();
      const visit = (id: string, path: string[]) => {
        if (state.get(id) === 'done') return;
        if (state.get(id) === 'visiting') throw new Error(`cycle: ${[...path, id].join(' -> ')}`);
        state.set(id, 'visiting');
        for (const dep of edges.get(id) ?? []) visit(dep, [...path, id]);
        state.set(id, 'done');
      };
      for (const id of edges.keys()) visit(id, []);
    });
  });

  it('gives every function its own code asset, an index.mjs bundle', () => {
    const functions = ofType(resources, 'AWS::Lambda::Function').filter(([, r]) => r.Properties.Description);
    expect(functions.length).toBeGreaterThan(15);
    const codeKeys = functions.map(([, r]) => JSON.stringify(r.Properties.Code));
    expect(new Set(codeKeys).size).toBe(functions.length);
    for (const [, r] of functions) expect(r.Properties.Handler).toBe('index.handler');
  });

  it('leaves no CDK error or warning (deprecated APIs, unresolvable settings)', () => {
    const { stack } = build();
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('outputs the API URL, the state machine ARN, the table name and the events-out bus', () => {
    template.hasOutput('ApiUrl', {});
    template.hasOutput('StateMachineArn', { Value: { Ref: Match.stringLikeRegexp('InvoiceDunning') } });
    template.hasOutput('TableName', { Value: { Ref: Match.stringLikeRegexp('DataTable') } });
    const [[busId]] = ofType(resources, 'AWS::Events::EventBus');
    template.hasOutput('EventBusName', { Value: { Ref: busId } });
    template.hasOutput('EventBusArn', { Value: { 'Fn::GetAtt': [busId, 'Arn'] } });
  });
});

describe('settings', () => {
  it('come from the dunning:* context values, JSON strings included', () => {
    const { template, resources } = synth({
      'dunning:timeZone': 'America/New_York',
      'dunning:country': 'us',
      'dunning:sendTime': '10:30',
      'dunning:publicBaseUrl': 'https://pay.example.com/',
      'dunning:creditor': JSON.stringify({ ...EXAMPLE_CREDITOR, name: 'ACME SA', bic: 'ACMEFRPP' }),
      'dunning:policy': { daysBeforeDue: 12 },
      'dunning:senderEmail': 'billing@acme.example',
      'dunning:senderDomain': 'acme.example',
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpressionTimezone: 'America/New_York' });
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'acme.example' });
    const [, fn] = functionOf(resources, 'send-email');
    expect(fn.Properties.Environment.Variables).toMatchObject({
      CREDITOR_TIME_ZONE: 'America/New_York',
      CREDITOR_COUNTRY: 'US',
      SEND_TIME: '10:30',
      PUBLIC_BASE_URL: 'https://pay.example.com',
      SENDER_EMAIL: 'billing@acme.example',
      DUNNING_POLICY: '{"daysBeforeDue":12}',
    });
    expect(JSON.parse(fn.Properties.Environment.Variables.CREDITOR)).toMatchObject({ name: 'ACME SA', bic: 'ACMEFRPP' });
  });

  it('default to the API URL for customer links when no public base URL is set', () => {
    const { resources } = synth({ 'dunning:publicBaseUrl': '' });
    const [, fn] = functionOf(resources, 'customer-page');
    expect(fn.Properties.Environment.Variables.PUBLIC_BASE_URL).toEqual({
      'Fn::GetAtt': [expect.stringContaining('HttpApi'), 'ApiEndpoint'],
    });
  });

  it.each([
    ['dunning:senderEmail', 'not-an-address'],
    ['dunning:timeZone', 'Europe/Atlantis'],
    ['dunning:sendTime', '9h'],
    ['dunning:teamLanguage', 'de'],
    ['dunning:documentRetentionYears', '0'],
    ['dunning:publicBaseUrl', 'http://insecure.example.com'],
    ['dunning:creditor', '{"iban": ""}'],
    ['dunning:creditor', JSON.stringify({ ...EXAMPLE_CREDITOR, siren: '123456789' })],
    ['dunning:policy', '[1, 2]'],
    ['dunning:senderDomain', 'other.example'],
    ['dunning:alarmEndpoint', 'http://alerts.example.com/sns'],
    ['dunning:alarmEndpoint', 'on-call'],
  ])('reject %s = %s, naming the key', (key, value) => {
    const app = new App({ context: { 'dunning:creditor': EXAMPLE_CREDITOR, [key]: value } });
    expect(() => readSettings(app.node)).toThrow(key.replace('dunning:', ''));
  });
});

describe('cdk-nag AwsSolutions', () => {
  // cdk-nag 3 reports through CDK's validation-plugin API, not through annotations: `Annotations.findError` would
  // be empty whatever the findings. The pack is asked directly, then through a synth as `cdk synth` does.
  it('reports nothing unacknowledged', () => {
    const { app } = build();
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  it('would catch a new wildcard: the check above is not vacuous', () => {
    const { app, stack } = build();
    const extra = new iam.Role(stack, 'Extra', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    extra.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    const rules = new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName);
    expect(rules).toContain('AwsSolutions-IAM5[Action::dynamodb:*]');
  });

  it('lets a synth with the checks registered succeed (a finding would fail it)', () => {
    const { app } = build();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});

describe('infra/app.ts', () => {
  it('synthesizes DunningStack with cdk.json context, cdk-nag and CloudFormation validation (no bundling)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'dunning-cdk-'));
    try {
      const { context } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8'));
      const run = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'infra/app.ts')], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          CDK_OUTDIR: outdir,
          CDK_CONTEXT_JSON: JSON.stringify({ ...context, 'aws:cdk:bundling-stacks': [] }),
        },
      });
      expect(run.stderr + run.stdout).not.toMatch(/Validation failed|Error/);
      expect(run.status).toBe(0);
      expect(existsSync(join(outdir, 'DunningStack.template.json'))).toBe(true);
      const template = JSON.parse(readFileSync(join(outdir, 'DunningStack.template.json'), 'utf8'));
      const identity = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::SES::EmailIdentity');
      expect(identity.Properties.EmailIdentity).toBe(context['dunning:senderEmail']);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
