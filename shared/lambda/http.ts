/**
 * The plumbing every API handler shares: parse the body with zod, map domain errors to JSON error answers,
 * never answer 5xx for the caller's mistakes.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { DomainError, ValidationError } from '../domain/errors';
import { describeIssues, InvoiceId } from '../domain/schemas';
import { appendLogKeys, flushTelemetry, powertoolsTelemetry } from '../adapters/powertools';

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: { lambda?: Record<string, unknown> } };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function errorResult(error: DomainError): HttpResult {
  return json(error.status, {
    error: { code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) },
  });
}

/** The request body as text, decoded from base64 when API Gateway encoded it. */
export function bodyText(event: HttpEvent): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** Parses a JSON body against a schema, or throws a 400 that says where and what. */
export function parseJsonBody<S extends z.ZodMiniType>(event: HttpEvent, schema: S): z.infer<S> {
  const contentType = event.headers?.['content-type'] ?? '';
  if (contentType && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new DomainError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(bodyText(event));
  } catch {
    throw new ValidationError('The body is not valid JSON.');
  }
  return parseWith(schema, raw);
}

export function parseWith<S extends z.ZodMiniType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new ValidationError('The request is not valid.', describeIssues(result.error));
  return result.data;
}

/** The `{invoiceId}` path parameter, validated (ids may hold `/`, sent as %2F). */
export function invoiceIdParam(event: HttpEvent): string {
  const raw = event.pathParameters?.invoiceId ?? '';
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // keep the raw value: the schema will refuse it
  }
  return parseWith(InvoiceId, decoded);
}

/** Domain errors become their 4xx answers; anything else is logged and becomes an opaque 500. */
export function toErrorResult(error: unknown, routeKey?: string): HttpResult {
  if (error instanceof DomainError) return errorResult(error);
  powertoolsTelemetry().error('Unhandled error', { route: routeKey, error: String(error), stack: (error as Error)?.stack });
  return json(500, { error: { code: 'internal_error', message: 'Something went wrong on our side; retrying is safe.' } });
}

/**
 * Wraps an API handler in middy with what every route shares: its request id and route on every log line (never the
 * path: customer link tokens stay out of logs), the error mapping, and the invocation's metrics flushed at its end.
 */
export function httpHandler(handle: (event: HttpEvent) => Promise<HttpResult>) {
  return middy<HttpEvent, HttpResult>(handle).use({
    before: async (request) => {
      appendLogKeys({ requestId: request.event?.requestContext?.requestId, route: request.event?.routeKey });
    },
    after: async () => flushTelemetry(),
    onError: async (request) => {
      request.response = toErrorResult(request.error, request.event?.routeKey);
      flushTelemetry();
    },
  });
}
