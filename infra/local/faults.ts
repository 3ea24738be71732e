/**
 * The local runtime's fault mode: what goes wrong on AWS now and then, on purpose, from a seeded random source (the
 * same seed makes the same choices for the same sequence of requests; concurrent requests may arrive in another
 * order), so that the invariants can be checked under it. Faults are injected where AWS would produce them, on the
 * wire where the SDK sees them, so that the SDK's own retries, the handlers and the state machine's retries all run:
 * - DynamoDB (a proxy in front of the emulator): slow answers (up to 20 ms, which widens every race between the
 *   execution's steps and the API); throttling (`ProvisionedThroughputExceededException`) on any request, now and
 *   then for several requests in a row (past the SDK's retries, so that the product's own handling runs); a racing
 *   writer that changes an invoice's version just before a conditional write of the record; and a crash right after
 *   an email claim (the claim is written, the handler gets an error instead of the answer);
 * - SES (a proxy in front of its emulator): throttling (`TooManyRequestsException`) and short outages (a few sends
 *   in a row refused);
 * - Step Functions: `ThrottlingException` on StartExecution and SendTaskSuccess.
 * `LOCAL_FAULTS=default` (or `kind=rate,...`) and `LOCAL_FAULT_SEED` turn it on for `npm start`;
 * `GET /_local/faults` counts what was injected.
 */
import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The probability of each fault, per request (per send for SES outages: the chance that one starts). */
export interface FaultRates {
  dynamodbLatency: number;
  dynamodbThrottle: number;
  dynamodbOutage: number;
  invoiceRace: number;
  crashAfterClaim: number;
  sesThrottle: number;
  sesOutage: number;
  sfnThrottle: number;
}

export type FaultKind = keyof FaultRates;

/** Rates at which every retry layer (SDK, handler, state machine) still gets through almost always. */
export const DEFAULT_FAULT_RATES: FaultRates = {
  dynamodbLatency: 0.05,
  dynamodbThrottle: 0.03,
  dynamodbOutage: 0.002,
  invoiceRace: 0.1,
  crashAfterClaim: 0.02,
  sesThrottle: 0.05,
  sesOutage: 0.01,
  sfnThrottle: 0.2,
};

/**
 * Requests refused in a row once an outage starts: more than the SDK's three attempts of one DynamoDB call, so that
 * the product's own handling (a timeline write deferred, a step retried) runs; SES sends make one attempt each (see
 * shared/adapters/ses-mailer.ts), so three refused sends are three attempts of a step, fewer than the state machine's.
 */
const DYNAMODB_OUTAGE_REQUESTS = 4;
const SES_OUTAGE_SENDS = 3;

/** Every kind of fault at 0: the start of a custom set of rates, and of the counts of faults injected. */
const zeroPerKind = () => Object.fromEntries(Object.keys(DEFAULT_FAULT_RATES).map((kind) => [kind, 0])) as Record<FaultKind, number>;

/** `default`, or `kind=rate,kind=rate` over the defaults' kinds (unnamed kinds stay at 0). Undefined: no faults. */
export function parseFaultRates(text: string | undefined): FaultRates | undefined {
  if (!text || text === 'off' || text === '0') return undefined;
  if (text === 'default' || text === 'on' || text === '1') return { ...DEFAULT_FAULT_RATES };
  const rates: FaultRates = zeroPerKind();
  for (const part of text.split(',')) {
    const [kind, value] = part.split('=').map((s) => s.trim());
    const rate = Number(value);
    if (!(kind in rates) || !(rate >= 0 && rate <= 1)) {
      throw new Error(`LOCAL_FAULTS: "${part}" is not kind=rate with a kind among ${Object.keys(rates).join(', ')} and 0 <= rate <= 1`);
    }
    rates[kind as FaultKind] = rate;
  }
  return rates;
}

/** Decides, from a seeded random source, which requests fail, and counts the faults injected. */
export class FaultInjector {
  readonly injected = zeroPerKind();
  private state: number;

  constructor(
    readonly rates: FaultRates,
    readonly seed: number,
  ) {
    this.state = seed >>> 0 || 1;
  }

  /** True (and counted) when a fault of this kind happens now. */
  strikes(kind: FaultKind): boolean {
    if (this.rates[kind] <= 0 || this.random() >= this.rates[kind]) return false;
    this.injected[kind] += 1;
    return true;
  }

  /** A delay between 0 and `max` milliseconds, from the same random source. */
  delayMs(max: number): number {
    return Math.floor(this.random() * max);
  }

  /** mulberry32: small, fast and good enough to pick faults; the same seed gives the same choices in the same order. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** A request as the proxy received it, and what it may answer instead of the service. */
interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface ProxiedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * An HTTP proxy in front of a local service: `intercept` sees each request with a function that forwards it, and
 * answers either what the service answered or a fault of its own. Resolves with the proxy's URL.
 */
async function startProxy(
  target: string,
  intercept: (request: ProxiedRequest, forward: () => Promise<ProxiedAnswer>) => Promise<ProxiedAnswer>,
): Promise<{ url: string; server: Server }> {
  const { hostname, port } = new URL(target);
  const forward = (request: ProxiedRequest) =>
    new Promise<ProxiedAnswer>((resolve, reject) => {
      const headers = { ...request.headers, host: `${hostname}:${port}` };
      const outgoing = httpRequest({ hostname, port, method: request.method, path: request.path, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 500, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      intercept(request, () => forward(request)).then(
        (answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const DYNAMODB_ERROR = 'com.amazonaws.dynamodb.v20120810#';

/** A DynamoDB error as the service writes it (AWS JSON 1.0). */
function dynamoError(status: number, type: string, message: string): ProxiedAnswer {
  const body = Buffer.from(JSON.stringify({ __type: `${DYNAMODB_ERROR}${type}`, message }));
  return { status, headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(body.length) }, body };
}

interface DynamoRequest {
  Item?: Record<string, { S?: string }>;
  ExpressionAttributeValues?: Record<string, unknown>;
  TableName?: string;
}

/**
 * The DynamoDB faults, in front of the emulator: slow answers, throttling, racing writers and crashes after email
 * claims. `emulator` is the emulator's own client (the racing writer goes straight to it).
 */
export function startFaultyDynamoProxy(target: string, emulator: DynamoDBClient, faults: FaultInjector) {
  let outage = 0;
  return startProxy(target, async (request, forward) => {
    if (faults.strikes('dynamodbLatency')) await new Promise((resolve) => setTimeout(resolve, faults.delayMs(20)));
    if (outage === 0 && faults.strikes('dynamodbOutage')) outage = DYNAMODB_OUTAGE_REQUESTS;
    if (outage > 0) {
      outage -= 1;
      return dynamoError(400, 'ProvisionedThroughputExceededException', 'Injected fault: throttled, several requests in a row.');
    }
    if (faults.strikes('dynamodbThrottle')) return dynamoError(400, 'ProvisionedThroughputExceededException', 'Injected fault: the request rate is too high.');
    const operation = String(request.headers['x-amz-target'] ?? '').split('.').pop();
    const put = operation === 'PutItem' ? (JSON.parse(request.body.toString('utf8')) as DynamoRequest) : undefined;
    const sortKey = put?.Item?.sk?.S ?? '';
    if (sortKey === 'INVOICE' && put?.ExpressionAttributeValues?.[':expected'] && faults.strikes('invoiceRace')) {
      // Another writer changes the record first: its version moves on, and this conditional write must lose.
      await emulator
        .send(
          new UpdateItemCommand({
            TableName: put.TableName,
            Key: { pk: { S: put.Item!.pk!.S! }, sk: { S: 'INVOICE' } },
            UpdateExpression: 'SET #version = #version + :one',
            ConditionExpression: 'attribute_exists(#version)',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':one': { N: '1' } },
          }),
        )
        .catch(() => undefined);
    }
    const answer = await forward();
    if (answer.status === 200 && sortKey.startsWith('EMAIL#') && faults.strikes('crashAfterClaim')) {
      // The claim is written; the handler dies before it learns so (it gets an error it does not retry).
      return dynamoError(400, 'InjectedCrash', 'Injected fault: the handler stopped right after claiming an email.');
    }
    return answer;
  });
}

/**
 * The SES faults, in front of the SES emulator: throttling (429 TooManyRequestsException) and outages that refuse
 * several sends in a row (503), on SendEmail only (the mail viewer and its store are left alone).
 */
export function startFaultySesProxy(target: string, faults: FaultInjector) {
  let outage = 0;
  const refuse = (status: number, type: string, message: string): ProxiedAnswer => {
    const body = Buffer.from(JSON.stringify({ message }));
    return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': type, 'content-length': String(body.length) }, body };
  };
  return startProxy(target, async (request, forward) => {
    if (request.method !== 'POST' || !request.path.includes('/outbound-emails')) return forward();
    if (outage === 0 && faults.strikes('sesOutage')) outage = SES_OUTAGE_SENDS;
    if (outage > 0) {
      outage -= 1;
      return refuse(503, 'ServiceUnavailableException', 'Injected fault: SES is unavailable.');
    }
    if (faults.strikes('sesThrottle')) return refuse(429, 'TooManyRequestsException', 'Injected fault: maximum sending rate exceeded.');
    return forward();
  });
}
