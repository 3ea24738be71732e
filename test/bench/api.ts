/**
 * `api`: the register handler (functions/register-invoice.ts, in-process, its real DynamoDB store) against dynalite,
 * versus the raw DynamoDB writes one registration performs, replayed with the low-level SDK client against the same
 * emulator in the same run. The writes are captured at the emulator's HTTP level during a first registration and
 * replayed with a fresh invoice id, with the handler's own concurrency (writes the handler sent in parallel are
 * replayed in parallel). The execution start is stubbed (it is Step Functions, not DynamoDB); the read the handler
 * makes (does the invoice exist?) is part of the handler's time, not of the raw writes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { createDynalite } from '../../infra/local/dynalite';
import type { Dependencies } from '../../shared/ports';
import { median, round1 } from './bundles';

export interface ApiSection {
  registerP50Ms: number;
  rawWritesP50Ms: number;
  ratio: number;
  iterations: number;
  /** DynamoDB requests of one registration, in order, e.g. `GetItem`, `PutItem`, `PutItem ∥ PutItem`. */
  registrationRequests: string[];
  rawWrites: number;
}

const WRITE_COMMANDS: Record<string, new (input: never) => unknown> = {
  PutItem: PutItemCommand,
  UpdateItem: UpdateItemCommand,
  DeleteItem: DeleteItemCommand,
  BatchWriteItem: BatchWriteItemCommand,
};

interface Captured {
  operation: string;
  body: string;
  start: number;
  end: number;
}

function registerEvent(invoiceId: string, today: string, due: string) {
  const body = JSON.stringify({
    invoiceId,
    customer: {
      id: 'C-BENCH',
      name: 'Customer SA',
      language: 'en',
      contacts: [{ name: 'Accounts payable', email: 'ap@customer.example' }],
    },
    amount: { value: 120_000, currency: 'EUR' },
    issueDate: today,
    dueDate: due,
  });
  return {
    version: '2.0',
    routeKey: 'POST /invoices',
    rawPath: '/invoices',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench.example',
      domainPrefix: 'bench',
      http: { method: 'POST', path: '/invoices', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: randomUUID(),
      routeKey: 'POST /invoices',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      authorizer: { lambda: { keyName: 'bench' } },
    },
    body,
    isBase64Encoded: false,
  };
}

const context = {
  functionName: 'register-invoice',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

export async function benchApi(options: { iterations: number; log: (line: string) => void }): Promise<ApiSection> {
  const server = createDynalite();
  let capture: Captured[] | undefined;
  server.prependListener('request', (req: IncomingMessage, res) => {
    if (!capture) return;
    const list = capture;
    const entry: Captured = {
      operation: String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '',
      body: '',
      start: performance.now(),
      end: Infinity,
    };
    list.push(entry);
    req.on('data', (chunk: Buffer) => (entry.body += chunk.toString('utf8')));
    res.on('finish', () => (entry.end = performance.now()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const saved = { ...process.env };
  Object.assign(process.env, {
    TABLE_NAME: 'dunning',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: 'eu-west-3',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    STATE_MACHINE_ARN: 'arn:aws:states:eu-west-3:000000000000:stateMachine:invoice-dunning',
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  delete process.env.AWS_SESSION_TOKEN;
  const raw = new DynamoDBClient({ endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { tableCreateInput } = await import('../../shared/adapters/dynamodb-table');
  const { resetClients } = await import('../../shared/adapters/aws-clients');
  const { overrideDependencies, resetDependencies } = await import('../../shared/lambda/dependencies');
  try {
    await raw.send(new CreateTableCommand(tableCreateInput('dunning')));
    resetClients();
    resetDependencies();
    // Not Step Functions: only the handler and its DynamoDB store are measured.
    const workflow = {
      start: async () => undefined,
      wake: async () => true,
      scheduleStart: async () => undefined,
      rescheduleStart: async () => true,
    };
    overrideDependencies({ workflow: workflow as unknown as Dependencies['workflow'] });
    const { handler } = (await import('../../functions/register-invoice')) as unknown as {
      handler: (event: unknown, context: Context) => Promise<{ statusCode: number; body?: string }>;
    };
    const today = new Date().toISOString().slice(0, 10);
    const due = new Date(Date.now() + 40 * 86400_000).toISOString().slice(0, 10);
    const register = async (invoiceId: string) => {
      const result = await handler(registerEvent(invoiceId, today, due), context);
      if (result.statusCode !== 201) throw new Error(`register answered ${result.statusCode}: ${result.body}`);
    };

    // Capture one registration's requests (after a warm-up, so that no one-time work is captured).
    await register('BENCH-WARMUP-0');
    const captureId = 'BENCH-CAPTURE-000000';
    capture = [];
    await register(captureId);
    const captured = capture;
    capture = undefined;
    const groups: Captured[][] = [];
    for (const request of captured) {
      const group = groups[groups.length - 1];
      if (group && request.start < Math.max(...group.map((r) => r.end))) group.push(request);
      else groups.push([request]);
    }
    const registrationRequests = groups.map((group) => group.map((r) => r.operation).join(' ∥ '));
    const writeGroups = groups
      .map((group) => group.filter((r) => r.operation in WRITE_COMMANDS))
      .filter((group) => group.length > 0);
    const replay = async (invoiceId: string) => {
      for (const group of writeGroups) {
        await Promise.all(
          group.map((request) => {
            const input = JSON.parse(request.body.split(captureId).join(invoiceId)) as never;
            return raw.send(new WRITE_COMMANDS[request.operation](input) as never);
          }),
        );
      }
    };

    const registerTimes: number[] = [];
    const rawTimes: number[] = [];
    const warmup = Math.min(20, options.iterations);
    for (let i = 0; i < options.iterations + warmup; i++) {
      const id = String(i).padStart(6, '0');
      let started = performance.now();
      await register(`BENCH-REG-${id}`);
      const registerMs = performance.now() - started;
      started = performance.now();
      await replay(`BENCH-RAW-${id}`);
      const rawMs = performance.now() - started;
      if (i >= warmup) {
        registerTimes.push(registerMs);
        rawTimes.push(rawMs);
      }
    }
    const registerP50Ms = median(registerTimes);
    const rawWritesP50Ms = median(rawTimes);
    return {
      registerP50Ms: Math.round(registerP50Ms * 100) / 100,
      rawWritesP50Ms: Math.round(rawWritesP50Ms * 100) / 100,
      ratio: Math.round((registerP50Ms / rawWritesP50Ms) * 100) / 100,
      iterations: options.iterations,
      registrationRequests,
      rawWrites: writeGroups.flat().length,
    };
  } finally {
    resetDependencies();
    resetClients();
    raw.destroy();
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

export { round1 };
