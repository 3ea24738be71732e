/**
 * The HTTP API: billing and operator routes behind an API-key authorizer, customer pages and the OpenAPI document
 * public, one function per handler of `ROUTES` (`infra/catalog.ts`).
 *
 * Defaults: one `$default` stage, auto-deployed; throttled at 50 requests/s with bursts of 100 (far above what
 * billing systems and customers send; it caps the bill of a misbehaving client); access logs in JSON kept one month,
 * with the route key rather than the path so that customer link tokens (`/r/{token}`) are never logged, and without
 * the Authorization header; the authorizer's answers cached 5 minutes per Authorization header (a revoked key keeps
 * working up to 5 minutes).
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AUTHORIZER_HANDLER, ROUTES } from '../catalog';
import type { DataConstruct } from './data';
import { constructId, HandlerFunction } from './handler-function';
import type { SchedulesConstruct } from './schedules';
import type { StartBufferConstruct } from './start-buffer';
import { grantDescribeExecutions, grantTaskResponse, type WorkflowConstruct } from './workflow';

/**
 * What each API handler may do, and nothing more:
 * - `read` / `write`: the table (write includes read);
 * - `signal`: hand starts and throttled wake-ups to the start buffer (its queue; Step Functions is called by its consumer);
 * - `schedule`: move a deferred start's one-time schedule (its creation is the buffer's);
 * - `wake`: complete a parked task, so that an event reaches the execution at once;
 * - `describe`: read the status of this state machine's executions;
 * - `documents`: store supporting documents (`invoices/<id>/documents/...` in the documents bucket, nothing else);
 * - `evidence`: read an invoice's documents and write its evidence bundle (`invoices/<id>/evidence/...`).
 * A handler added to the catalog without an entry here fails the synth: its permissions must be decided.
 */
type Need = 'read' | 'write' | 'signal' | 'schedule' | 'wake' | 'describe' | 'documents' | 'evidence';
export const API_HANDLER_NEEDS: Record<string, Need[]> = {
  // Writes the record, and hands its start (or its deferred start's schedule) to the start buffer.
  'register-invoice': ['write', 'signal'],
  // A new due date restarts the planning: the parked execution is woken, its deferred start moved, or a start signalled.
  'update-invoice': ['write', 'signal', 'schedule', 'wake'],
  // A payment after the invoice closed, or beyond what was owed, starts the short execution that tells the team.
  'record-payment': ['write', 'wake', 'signal'],
  // Every event wakes the parked execution; a throttled wake-up goes through the start buffer.
  'cancel-invoice': ['write', 'wake', 'signal'],
  'resolve-dispute': ['write', 'wake', 'signal'],
  'record-call-outcome': ['write', 'wake', 'signal'],
  // The letter's posting or receipt moves the hand-off: the parked execution plans it again.
  'record-formal-notice': ['write', 'wake', 'signal'],
  // A waiver changes no branch of the execution: the next email reads the claim as it stands.
  'waive-penalties': ['write'],
  // Answers wake the execution, which tells the team (the page itself sends no email).
  'customer-page': ['write', 'wake', 'signal'],
  // Signals a new revision's start once the current execution has ended; reads the execution's status first.
  'restart-execution': ['write', 'signal', 'describe'],
  // Stores the file, then names it on the record; no event for the execution.
  'attach-document': ['write', 'documents'],
  'get-invoice': ['read'],
  // Reads the indexes page by page (never a scan), and the records of a customer's page.
  'list-invoices': ['read'],
  // Writes the bundle as of today (a receipt, a document or a payment may have come since the hand-off), then links it.
  'get-evidence': ['read', 'evidence'],
  'get-openapi': [],
  // Operators' key management: the keys' partition only holds names, dates and hashes.
  'list-api-keys': ['read'],
  'revoke-api-key': ['write'],
  [AUTHORIZER_HANDLER]: ['read'],
};

/**
 * Handlers that need more than the defaults: the evidence bundle is made in memory (up to 30 supporting documents of
 * 3 MB and the ZIP beside them), within API Gateway's 30 seconds.
 */
const SIZES: Record<string, { memorySize: number; timeout: Duration }> = {
  'get-evidence': { memorySize: 1024, timeout: Duration.seconds(29) },
};

export interface ApiRoutesProps {
  environment: Record<string, string>;
  data: DataConstruct;
  workflow: WorkflowConstruct;
  schedules: SchedulesConstruct;
  startBuffer: StartBufferConstruct;
}

export class ApiConstruct extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** Handler name → function. */
  readonly functions: Record<string, HandlerFunction> = {};

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Preventive dunning: billing API, operator routes, customer answer pages',
      // Created below with throttling and access logs, which the default stage cannot take.
      createDefaultStage: false,
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });
  }

  /** The API's own base URL (no trailing slash): customer links use it unless a custom domain is configured. */
  get endpoint(): string {
    return this.httpApi.apiEndpoint;
  }

  /** The handlers of `ROUTES`, the authorizer, and the routes. */
  addRoutes(props: ApiRoutesProps): void {
    const handlerFor = (handler: string): HandlerFunction => {
      const existing = this.functions[handler];
      if (existing) return existing;
      const needs = API_HANDLER_NEEDS[handler];
      if (!needs) throw new Error(`No permissions decided for API handler ${handler}: add it to API_HANDLER_NEEDS`);
      const fn = new HandlerFunction(this, constructId(handler), { handler, environment: props.environment, ...SIZES[handler] });
      grant(fn, needs, props);
      this.functions[handler] = fn;
      return fn;
    };

    const authorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', handlerFor(AUTHORIZER_HANDLER), {
      authorizerName: 'api-key',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: Duration.minutes(5),
    });
    const publicRoute = new apigw.HttpNoneAuthorizer();

    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of ROUTES) {
      const fn = handlerFor(route.handler);
      let integration = integrations.get(route.handler);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${constructId(route.handler)}Integration`, fn);
        integrations.set(route.handler, integration);
      }
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration,
        authorizer: route.auth ? authorizer : publicRoute,
      });
      if (!route.auth) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: route.path.startsWith('/r/')
            ? 'Customer answer page: opened from an email with no login; the unguessable, expiring link token in the path ' +
              'is the credential, checked by the handler (bound to one invoice and contact, rate-limited per link).'
            : 'The OpenAPI description of the billing API is public on purpose: it documents the API, it holds no data.',
        });
      }
    }
  }
}

function grant(fn: HandlerFunction, needs: Need[], props: ApiRoutesProps): void {
  for (const need of needs) {
    switch (need) {
      case 'read':
        props.data.grantRead(fn);
        break;
      case 'write':
        props.data.grantReadWrite(fn);
        break;
      case 'signal':
        props.startBuffer.grantSignal(fn);
        break;
      case 'schedule':
        props.schedules.grantDeferredStarts(fn, ['update']);
        break;
      case 'wake':
        grantTaskResponse(fn, fn);
        break;
      case 'documents':
        props.data.grantWriteSupportingDocuments(fn);
        break;
      case 'evidence':
        props.data.grantEvidenceBundles(fn);
        break;
      case 'describe':
        grantDescribeExecutions(fn, fn);
        break;
    }
  }
}
