/**
 * API Gateway HTTP API (payload format 2.0) in front of the handler modules, for every route of infra/catalog.ts:
 * builds the APIGatewayProxyEventV2 from the request, runs the Lambda authorizer (simple responses) on `auth` routes
 * the way API Gateway does (no Authorization header → 401 without calling it; denied → 403; authorizer error → 500),
 * and turns the handler's result into the HTTP response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayEventRequestContextV2, APIGatewayProxyEventV2 } from 'aws-lambda';
import { AUTHORIZER_HANDLER, ROUTES, type Route } from '../catalog';
import type { LocalFunctions } from './functions';
import type { Clock } from '../../shared/ports';

const REGION = 'eu-west-3';
const ACCOUNT = '000000000000';
const API_ID = 'local';
const STAGE = '$default';

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
  routeKey: string;
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names, routeKey: `${route.method} ${route.path}` };
}

const COMPILED = ROUTES.map(compile);

/** Finds the route for a method and path; exact (parameter-free) routes win, like API Gateway. */
export function matchRoute(method: string, path: string): { route: CompiledRoute; pathParameters: Record<string, string> } | undefined {
  const candidates = COMPILED.filter((c) => c.route.method === method && c.pattern.test(path)).sort(
    (a, b) => a.names.length - b.names.length,
  );
  const found = candidates[0];
  if (!found) return undefined;
  const values = found.pattern.exec(path)!.slice(1);
  const pathParameters = Object.fromEntries(found.names.map((name, i) => [name, safeDecode(values[i])]));
  return { route: found, pathParameters };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const TEXT_TYPES = /^(text\/|application\/(json|[a-z0-9.+-]*\+json|xml|[a-z0-9.+-]*\+xml|javascript|x-www-form-urlencoded|graphql))/i;

/** `12/Mar/2020:19:03:58 +0000`, API Gateway's requestContext.time. */
function apiGatewayTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}

export interface HttpApiOptions {
  functions: LocalFunctions;
  clock: Clock;
  /** One line per request (route key, never the path: customer link tokens stay out of logs), as API Gateway's access log. */
  accessLog?: (line: string) => void;
}

export function buildEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  routeKey: string,
  pathParameters: Record<string, string>,
  now: Date,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookieHeader = req.headers.cookie;
  const cookies = cookieHeader
    ? cookieHeader
        .split(';')
        .map((c) => c.trim())
        .filter(Boolean)
    : undefined;
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const rawQueryString = url.search.startsWith('?') ? url.search.slice(1) : url.search;
  const contentType = headers['content-type'] ?? '';
  const isText = body.length === 0 || contentType === '' || TEXT_TYPES.test(contentType);
  const requestContext: APIGatewayEventRequestContextV2 = {
    accountId: ACCOUNT,
    apiId: API_ID,
    domainName: headers.host ?? '127.0.0.1',
    domainPrefix: (headers.host ?? '127').split('.')[0],
    http: {
      method: req.method ?? 'GET',
      path: url.pathname,
      protocol: `HTTP/${req.httpVersion}`,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      userAgent: headers['user-agent'] ?? '',
    },
    requestId: randomUUID(),
    routeKey,
    stage: STAGE,
    time: apiGatewayTime(now),
    timeEpoch: now.getTime(),
  };
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext,
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

interface StructuredResponse {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, (string | number | boolean)[]>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** Payload 2.0 response rules: an object with `statusCode` is used as is; anything else is a 200 JSON body. */
export function writeLambdaResponse(res: ServerResponse, result: unknown): void {
  if (!result || typeof result !== 'object' || !('statusCode' in result)) {
    const text = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const response = result as StructuredResponse;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(response.multiValueHeaders ?? {})) {
    headers[name.toLowerCase()] = values.map(String).join(',');
  }
  if (response.cookies?.length) headers['set-cookie'] = response.cookies;
  const body = response.body === undefined ? Buffer.alloc(0) : Buffer.from(response.body, response.isBase64Encoded ? 'base64' : 'utf8');
  headers['content-length'] = String(body.length);
  res.writeHead(response.statusCode ?? 200, headers);
  res.end(body);
}

/** Serves one request if it matches a route; returns false when no route matches (the caller answers 404). */
export async function handleApiRequest(
  options: HttpApiOptions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
): Promise<boolean> {
  const match = matchRoute(req.method ?? 'GET', url.pathname);
  if (!match) return false;
  const started = Date.now();
  res.once('finish', () => options.accessLog?.(`[api] ${match.route.routeKey} ${res.statusCode} ${Date.now() - started} ms`));
  const { route, pathParameters } = match;
  const event = buildEvent(req, url, body, route.routeKey, pathParameters, options.clock.now());

  if (route.route.auth) {
    const authorization = event.headers.authorization;
    if (!authorization) {
      sendJson(res, 401, { message: 'Unauthorized' });
      return true;
    }
    let answer: { isAuthorized?: boolean; context?: Record<string, unknown> } | undefined;
    try {
      answer = (await options.functions.invoke(AUTHORIZER_HANDLER, {
        version: '2.0',
        type: 'REQUEST',
        routeArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/${STAGE}/${route.route.method}${url.pathname}`,
        identitySource: [authorization],
        routeKey: event.routeKey,
        rawPath: event.rawPath,
        rawQueryString: event.rawQueryString,
        cookies: event.cookies ?? [],
        headers: event.headers,
        ...(event.queryStringParameters ? { queryStringParameters: event.queryStringParameters } : {}),
        requestContext: event.requestContext,
        ...(event.pathParameters ? { pathParameters: event.pathParameters } : {}),
      })) as typeof answer;
    } catch (error) {
      console.error('[api] authorizer failed', error);
      sendJson(res, 500, { message: 'Internal Server Error' });
      return true;
    }
    if (answer?.isAuthorized !== true) {
      sendJson(res, 403, { message: 'Forbidden' });
      return true;
    }
    (event.requestContext as APIGatewayEventRequestContextV2 & { authorizer?: unknown }).authorizer = {
      lambda: answer.context ?? {},
    };
  }

  let result: unknown;
  try {
    result = await options.functions.invoke(route.route.handler, event);
  } catch (error) {
    console.error(`[api] ${route.routeKey} (${route.route.handler}) threw`, error);
    sendJson(res, 500, { message: 'Internal Server Error' });
    return true;
  }
  writeLambdaResponse(res, result);
  return true;
}
