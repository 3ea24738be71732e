/**
 * One Lambda function per file in `functions/`, all built the same way. The defaults, in one place:
 *
 * - code: `functions/<handler>.ts`, bundled at synth by the local esbuild (no Docker) as `index.mjs`, exactly as
 *   `npm run bench` measures it (infra/bundling.ts says how and why);
 * - runtime Node.js 24 on ARM64 (Graviton: cheaper per ms, same speed for this I/O-bound code), the version the tests
 *   and the local runtime run on (the `node@24` devDependency);
 * - 256 MB, 10 s timeout (API Gateway gives up at 30 s anyway), no reserved concurrency;
 * - its own log group kept one month, and a role that may write only there (no managed policy);
 * - X-Ray tracing active;
 * - the common environment of `handlerEnvironment()`, which is what `shared/lambda/config.ts` reads.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundleHandlerSync } from '../bundling';
import type { DunningSettings } from '../settings';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `POWERTOOLS_SERVICE_NAME`: the `service` dimension of every metric the handlers emit, and their logs' service. */
export const SERVICE_NAME = 'dunning';

/** The Lambda runtime: the current LTS, which `npm test` and `npm start` run on too. */
export const HANDLER_RUNTIME = lambda.Runtime.NODEJS_24_X;

export interface HandlerFunctionProps {
  /** A file in `functions/`, without the extension (see `infra/catalog.ts`). */
  handler: string;
  /** The common environment from `handlerEnvironment()`. */
  environment: Record<string, string>;
  /** @default 10 seconds */
  timeout?: Duration;
  /** @default 256 */
  memorySize?: number;
}

/** The handler's bundle as a Lambda asset; CDK hashes the bundle, so an unchanged handler is not redeployed. */
function handlerCode(handler: string, country: string): lambda.Code {
  const entry = join(PROJECT_ROOT, 'functions', `${handler}.ts`);
  return lambda.Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always answers (a failed build throws with esbuild's message).
      image: DockerImage.fromRegistry('dummy'),
      // What `tryBundle` runs. CDK also keys its asset cache on these options (the `local` hook is not part of the
      // key), so without them every function would get the first function's bundle.
      command: ['tsx', 'infra/bundle-handler.ts', `functions/${handler}.ts`, 'index.mjs', country],
      local: {
        tryBundle(outputDir) {
          bundleHandlerSync(entry, join(outputDir, 'index.mjs'), country);
          return true;
        },
      },
    },
  });
}

export class HandlerFunction extends lambda.Function {
  /** The function's role, beside it in the tree: acknowledge findings about its policy here. */
  readonly executionRole: iam.Role;
  /** The handler's file name (`register-invoice`): alarm names and dashboard labels read it. */
  readonly handlerName: string;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
    // An explicit role instead of AWSLambdaBasicExecutionRole: that managed policy may create log groups and write
    // to any of them; this one writes to the function's own group only.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.handler} handler`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      // The holidays a bundle carries are those of the country the handler will read from its environment.
      code: handlerCode(props.handler, props.environment.CREDITOR_COUNTRY ?? 'FR'),
      handler: 'index.handler',
      // The handler's name: what the console lists, and how tests find a function.
      description: props.handler,
      runtime: HANDLER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: props.environment,
    });
    this.executionRole = role;
    this.handlerName = props.handler;

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray actions added by active tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) use "*": ' +
        'they have no resource-level permissions. Every other statement names its resources (test/infra checks it).',
    });
  }
}

export interface HandlerEnvironmentProps {
  settings: DunningSettings;
  tableName: string;
  documentsBucket: string;
  stateMachineArn: string;
  configurationSetName: string;
  publicBaseUrl: string;
  schedulerRoleArn: string;
  schedulerGroupName: string;
  /** Where a deferred start that EventBridge Scheduler could not make lands (the schedules' dead-letter queue). */
  deferredStartDeadLetterQueueArn: string;
  /** The start buffer's queue (starts and throttled wake-ups). */
  signalQueueUrl: string;
}

/**
 * The environment every handler gets: the names are those of `shared/lambda/config.ts` (and Powertools').
 * Handlers that do not need a value ignore it; one environment keeps the deployed functions interchangeable
 * with the local runtime, which sets the same variables.
 */
export function handlerEnvironment(props: HandlerEnvironmentProps): Record<string, string> {
  const { settings } = props;
  return {
    TABLE_NAME: props.tableName,
    DOCUMENTS_BUCKET: props.documentsBucket,
    STATE_MACHINE_ARN: props.stateMachineArn,
    SENDER_EMAIL: settings.senderEmail,
    TEAM_EMAIL: settings.teamEmail,
    TEAM_LANGUAGE: settings.teamLanguage,
    ...(settings.handOffEmail ? { HAND_OFF_EMAIL: settings.handOffEmail } : {}),
    SES_CONFIGURATION_SET: props.configurationSetName,
    PUBLIC_BASE_URL: props.publicBaseUrl,
    CREDITOR: JSON.stringify(settings.creditor),
    CREDITOR_TIME_ZONE: settings.timeZone,
    CREDITOR_COUNTRY: settings.country,
    SEND_TIME: settings.sendTime,
    ...(settings.policy ? { DUNNING_POLICY: JSON.stringify(settings.policy) } : {}),
    SCHEDULER_ROLE_ARN: props.schedulerRoleArn,
    SCHEDULER_GROUP_NAME: props.schedulerGroupName,
    // The start buffer's consumer gives it to each deferred-start schedule (DeadLetterConfig of CreateSchedule).
    DEFERRED_START_DLQ_ARN: props.deferredStartDeadLetterQueueArn,
    SIGNAL_QUEUE_URL: props.signalQueueUrl,
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  };
}

/** `register-invoice` → `RegisterInvoice`: construct ids that read like the handler's name. */
export function constructId(handler: string): string {
  return handler.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
}
