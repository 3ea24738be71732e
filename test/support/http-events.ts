/**
 * API Gateway HTTP API (payload 2.0) events and a Lambda context, as the handlers receive them in AWS.
 */
import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import type { HttpEvent } from '../../shared/lambda/http';

export interface ApiEventOptions {
  method?: string;
  /** The request path as sent, e.g. `/invoices/F%2F2027%2F0042/payments`. */
  path: string;
  /** The route, e.g. `/invoices/{invoiceId}/payments`; defaults to the path. */
  route?: string;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  /** An object is sent as JSON (with `content-type: application/json` unless headers say otherwise); a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export function apiEvent({ method = 'GET', path, route, pathParameters, queryStringParameters, body, headers = {} }: ApiEventOptions): HttpEvent {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const lowerHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const allHeaders: Record<string, string> = {
    host: 'api.example.com',
    'user-agent': 'billing-system/1.0',
    ...(text !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
    ...lowerHeaders,
  };
  const routeKey = `${method} ${route ?? path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: queryStringParameters ? new URLSearchParams(queryStringParameters).toString() : '',
    headers: allHeaders,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    ...(text !== undefined ? { body: text } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1234567',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: allHeaders['user-agent'] },
      requestId: 'req-0001',
      routeKey,
      stage: '$default',
      time: '19/Mar/2027:08:00:00 +0000',
      timeEpoch: Date.parse('2027-03-19T08:00:00Z'),
    },
  };
}

/** The Lambda authorizer's event (payload 2.0) for a request carrying these headers. */
export function authorizerEvent(headers: Record<string, string> = {}): APIGatewayRequestAuthorizerEventV2 {
  const lowerHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-3:123456789012:api1234567/$default/POST/invoices',
    identitySource: lowerHeaders.authorization ? [lowerHeaders.authorization] : [],
    routeKey: 'POST /invoices',
    rawPath: '/invoices',
    rawQueryString: '',
    cookies: [],
    headers: lowerHeaders,
    queryStringParameters: {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1234567',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method: 'POST', path: '/invoices', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'billing-system/1.0' },
      requestId: 'req-0002',
      routeKey: 'POST /invoices',
      stage: '$default',
      time: '19/Mar/2027:08:00:00 +0000',
      timeEpoch: Date.parse('2027-03-19T08:00:00Z'),
    },
    pathParameters: {},
    stageVariables: {},
  };
}

export function lambdaContext(functionName = 'dunning-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-3:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2027/03/19/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
