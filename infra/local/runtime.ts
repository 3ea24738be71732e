/**
 * The whole system on one machine, no AWS account: the HTTP API (every route of infra/catalog.ts, API key
 * authorizer included), DynamoDB (dynalite), SES v2 (aws-ses-v2-local with its mail viewer), the state machine on a
 * local engine, EventBridge Scheduler one-time schedules, and a virtual clock — all in one process, with the very
 * handler modules Lambda runs and their real AWS SDK clients pointed at local endpoints.
 *
 * One runtime per process: it sets process.env (endpoints, table names) and the process-wide dependency overrides.
 */
import './polyfills';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { TZDate } from '@date-fns/tz';
import { add } from 'date-fns';
import { parse as parseDuration, type Duration } from 'tinyduration';
import { localDate, wallClockInstant } from '../../shared/domain/calendar';
import { addDays, weekday } from '../../shared/domain/dates';
import { EVENT_HANDLERS, START_BUFFER } from '../catalog';
import { Activity } from './activity';
import { LocalEventBus, LocalScheduler, handleStepFunctions, type BusEvent } from './aws-endpoints';
import { LocalTableStream } from './table-stream';
import { LocalQueue } from './queue';
import { LocalReconciliation } from './reconciliation';
import { bucketFromEnv, TokenBucket, type BucketSettings } from './token-bucket';
import { LocalEngine, StepFunctionsError } from './engine';
import { createDynalite } from './dynalite';
import { LocalFunctions } from './functions';
import { LoopbackHttpHandler } from './loopback';
import { instrumentDynamoDbClient } from './metrics';
import { handleApiRequest } from './http-api';
import { RecordingMailer, type OutboxEntry } from './outbox';
import { LocalSesEvents } from './ses-events';
import { FaultInjector, startFaultyDynamoProxy, startFaultySesProxy, type FaultRates } from './faults';
import { VirtualClock } from './virtual-clock';

export const TABLE_NAME = 'dunning';
export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-3:000000000000:stateMachine:invoice-dunning';
export const SCHEDULER_ROLE_ARN = 'arn:aws:iam::000000000000:role/local-scheduler';
export const SCHEDULER_GROUP_NAME = 'dunning-starts';
export const DOCUMENTS_BUCKET = 'dunning-documents';
/** `GET /_local/documents/<key>`: a document of the local bucket (an outbox attachment, an evidence bundle). */
const DOCUMENTS_PATH = '/_local/documents/';
export const DEFAULT_API_KEY = 'local-dev-key';
const REGION = 'eu-west-3';
/** Endpoint paths on the runtime's own server (the SDK keeps an endpoint URL's path prefix). */
export const SFN_PATH = '/_aws/sfn';
export const SCHEDULER_PATH = '/_aws/scheduler';
export const EVENTS_PATH = '/_aws/events';
export const SQS_PATH = '/_aws/sqs';
/** The start buffer's queue, as the stack names it. */
const SIGNAL_QUEUE_NAME = 'dunning-signals';
/** How many emails the SES emulator's mail viewer keeps (the most recent). */
const MAIL_VIEWER_EMAILS = 1000;
/** The local bus's name, as the stack's would be. */
const EVENT_BUS_NAME = 'dunning-events';

export interface LocalRuntimeOptions {
  /** HTTP port of the API and the local endpoints; 0 = a free port (default 3000). */
  port?: number;
  /** Bearer key accepted by the API (stored hashed, like a real key). Default `local-dev-key`. */
  apiKey?: string;
  /** Keep DynamoDB data on disk in this directory (default: in memory). */
  persistDir?: string;
  /** Virtual ms per real ms: 0 = the clock only moves when told to (tests), 1 = real pace (default). */
  speed?: number;
  /** Virtual time at start (default: now). */
  startAt?: Date;
  /** Port of the SES emulator and its mail viewer; 0 = a free port (default 0). */
  sesPort?: number;
  /** How many times each simulated SES event is delivered (default 1; EventBridge delivers at least once). */
  sesEventDeliveries?: number;
  /** Run the daily operator digest at 08:00 creditor time on weekdays (default true, when the handler exists). */
  dailyDigest?: boolean;
  /** Repository root (default: two levels above this file). */
  projectRoot?: string;
  /** Log lines of the runtime itself (default console.log). */
  log?: (message: string) => void;
  /** The fault mode (infra/local/faults.ts): what fails, how often, from which seed. Default: nothing fails. */
  faults?: { rates: FaultRates; seed: number };
  /**
   * The handlers' structured log lines (Powertools, one per decision, email, answer, payment): `INFO` shows them,
   * `SILENT` (the default, as tests want) does not. Their metrics are not written locally.
   */
  handlerLogLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /**
   * The local Step Functions endpoint's token buckets (StartExecution, SendTaskSuccess), refilled on the virtual
   * clock. Default: LOCAL_START_RATE / LOCAL_START_BURST and LOCAL_SIGNAL_RATE / LOCAL_SIGNAL_BURST, else a large
   * region's 300 per second and 1,300 at once.
   */
  quotas?: { startExecution?: BucketSettings; sendTaskSuccess?: BucketSettings };
}

export interface LocalRuntime {
  url: string;
  apiKey: string;
  mailViewerUrl: string;
  clock: VirtualClock;
  engine: LocalEngine;
  scheduler: LocalScheduler;
  outbox: OutboxEntry[];
  /** Events out, as published on the local bus (`GET /_local/events`). */
  events: BusEvent[];
  endpoints: { dynamodb: string; sesv2: string; sfn: string; scheduler: string; s3: string; events: string; sqs: string };
  /** The fault mode's injector, when it is on (what it injected so far: `faults.injected`). */
  faults?: FaultInjector;
  /** The start buffer's queue (`GET /_local/queues`). */
  signalQueue: LocalQueue;
  /** The Step Functions endpoint's buckets, with how many calls each refused. */
  quotas: { startExecution: TokenBucket; sendTaskSuccess: TokenBucket };
  /** Resolves once every due timer has fired and nothing is in flight. */
  settle(): Promise<Date>;
  stop(): Promise<void>;
}

const ENV_KEYS = [
  'TABLE_NAME',
  'STATE_MACHINE_ARN',
  'SENDER_EMAIL',
  'TEAM_EMAIL',
  'PUBLIC_BASE_URL',
  'SCHEDULER_ROLE_ARN',
  'SCHEDULER_GROUP_NAME',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SESV2',
  'AWS_ENDPOINT_URL_SFN',
  'AWS_ENDPOINT_URL_SCHEDULER',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_EVENTBRIDGE',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_METRICS_DISABLED',
  'POWERTOOLS_SERVICE_NAME',
  'EVENT_BUS_NAME',
  'SIGNAL_QUEUE_URL',
  'AWS_ENDPOINT_URL_SQS',
  'DOCUMENTS_BUCKET',
  'DOCUMENTS_PATH_STYLE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
] as const;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections?.();
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The next weekday 08:00 in `timeZone` strictly after `now`. */
export function nextDigestTime(now: Date, timeZone: string, hour = 8): Date {
  for (let date = localDate(now, { timeZone }); ; date = addDays(date, 1)) {
    const candidate = wallClockInstant(date, hour, 0, timeZone);
    if (candidate.getTime() > now.getTime() && weekday(date) <= 5) return candidate;
  }
}

/** An ISO 8601 duration (P10D, PT36H, P1M), or undefined when it is not one or is negative. */
function isoDuration(text: string): Duration | undefined {
  try {
    const duration = parseDuration(text);
    return duration.negative ? undefined : duration;
  } catch {
    return undefined;
  }
}

async function createTable(endpoint: string, log: (message: string) => void): Promise<void> {
  const { tableCreateInput } = await import('../../shared/adapters/dynamodb-table');
  const client = new DynamoDBClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const input = tableCreateInput(TABLE_NAME);
    try {
      await client.send(new CreateTableCommand(input));
    } catch (error) {
      if ((error as Error).name !== 'ResourceInUseException') throw error;
      log(`[dynamodb] table ${input.TableName} exists (kept from the data directory)`);
    }
    for (let i = 0; i < 100; i++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
      if (Table?.TableStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    client.destroy();
  }
}

export async function createLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const log = options.log ?? ((message: string) => console.log(message));
  const projectRoot = options.projectRoot ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const activity = new Activity();
  const clock = new VirtualClock({
    startAt: options.startAt,
    speed: options.speed ?? 1,
    waitForIdle: () => activity.idle(),
  });
  const functions = new LocalFunctions(projectRoot, activity);
  const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log(`[runtime] stop: ${String(error)}`);
      }
    }
    cleanups.length = 0;
  };

  try {
    // DynamoDB emulator.
    if (options.persistDir) mkdirSync(options.persistDir, { recursive: true });
    const dynamoServer = createDynalite(options.persistDir ? { path: resolve(options.persistDir) } : {});
    const dynamoPort = await listen(dynamoServer, 0);
    cleanups.push(
      () =>
        new Promise<void>((resolveClose) => {
          dynamoServer.closeAllConnections?.();
          dynamoServer.close(() => resolveClose());
        }),
    );
    const emulatorUrl = `http://127.0.0.1:${dynamoPort}`;
    const faults = options.faults ? new FaultInjector(options.faults.rates, options.faults.seed) : undefined;
    let dynamoUrl = emulatorUrl;
    if (faults) {
      const emulator = new DynamoDBClient({ endpoint: emulatorUrl, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      const proxy = await startFaultyDynamoProxy(emulatorUrl, emulator, faults);
      dynamoUrl = proxy.url;
      cleanups.push(() => {
        emulator.destroy();
        return close(proxy.server);
      });
      log(`[faults] on, seed ${faults.seed}: ${JSON.stringify(faults.rates)}`);
    }

    // SES v2 emulator (and its mail viewer).
    const { default: sesServer } = (await import('aws-ses-v2-local')) as unknown as {
      default: (config: { host: string; port: number }) => Promise<Server>;
    };
    const ses = await sesServer({ host: '127.0.0.1', port: options.sesPort ?? 0 });
    const sesPort = (ses.address() as AddressInfo).port;
    cleanups.push(() => close(ses));
    let sesUrl = `http://127.0.0.1:${sesPort}`;
    if (faults) {
      const proxy = await startFaultySesProxy(sesUrl, faults);
      sesUrl = proxy.url;
      cleanups.push(() => close(proxy.server));
    }

    // S3 emulator for the documents bucket (emails as sent): s3rver keeps objects in a folder, a temporary one unless
    // the data is kept on disk.
    const s3Dir = options.persistDir ? resolve(options.persistDir, 's3') : mkdtempSync(join(tmpdir(), 'dunning-s3-'));
    mkdirSync(s3Dir, { recursive: true });
    const s3rverModule: string = 's3rver';
    const { default: S3rver } = (await import(s3rverModule)) as {
      default: new (options: Record<string, unknown>) => { run(): Promise<AddressInfo>; close(): Promise<void> };
    };
    // s3rver knows one access key (S3RVER); the handlers sign with the runtime's ('local'), which it is taught here.
    const accountModule: string = 's3rver/lib/models/account';
    const { DUMMY_ACCOUNT } = (await import(accountModule)) as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };
    DUMMY_ACCOUNT.createKeyPair('local', 'local');
    const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Dir, configureBuckets: [{ name: DOCUMENTS_BUCKET }] });
    const s3Address = await s3.run();
    cleanups.push(async () => {
      await s3.close();
      if (!options.persistDir) rmSync(s3Dir, { recursive: true, force: true });
    });
    const s3Url = `http://127.0.0.1:${s3Address.port}`;

    // The API, the local Step Functions and Scheduler endpoints and the /_local routes, on one server.
    let ready: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
    const server = createServer((req, res) => {
      if (!ready) return sendJson(res, 503, { message: 'The local runtime is starting' });
      ready(req, res).catch((error: unknown) => {
        log(`[runtime] ${req.method} ${req.url} failed: ${String(error)}`);
        if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
        else res.end();
      });
    });
    const port = await listen(server, options.port ?? 3000);
    cleanups.push(() => close(server));
    const url = `http://127.0.0.1:${port}`;
    const endpoints = {
      dynamodb: dynamoUrl,
      sesv2: sesUrl,
      sfn: `${url}${SFN_PATH}`,
      scheduler: `${url}${SCHEDULER_PATH}`,
      s3: s3Url,
      events: `${url}${EVENTS_PATH}`,
      sqs: `${url}${SQS_PATH}`,
    };

    // The environment the handlers read (before any handler module or AWS client is created).
    cleanups.push(() => {
      for (const key of ENV_KEYS) {
        if (savedEnv[key] === undefined) delete process.env[key];
        else process.env[key] = savedEnv[key];
      }
    });
    Object.assign(process.env, {
      TABLE_NAME,
      STATE_MACHINE_ARN,
      SENDER_EMAIL: process.env.SENDER_EMAIL || 'billing@example.com',
      TEAM_EMAIL: process.env.TEAM_EMAIL || 'credit-team@example.com',
      PUBLIC_BASE_URL: url,
      SCHEDULER_ROLE_ARN,
      SCHEDULER_GROUP_NAME,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_SESV2: endpoints.sesv2,
      AWS_ENDPOINT_URL_SFN: endpoints.sfn,
      AWS_ENDPOINT_URL_SCHEDULER: endpoints.scheduler,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.events,
      AWS_ENDPOINT_URL_SQS: endpoints.sqs,
      SIGNAL_QUEUE_URL: `${endpoints.sqs}/000000000000/${SIGNAL_QUEUE_NAME}`,
      EVENT_BUS_NAME,
      POWERTOOLS_SERVICE_NAME: 'dunning',
      POWERTOOLS_LOG_LEVEL: options.handlerLogLevel ?? 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      DOCUMENTS_BUCKET,
      DOCUMENTS_PATH_STYLE: 'true',
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    delete process.env.AWS_SESSION_TOKEN;

    await createTable(emulatorUrl, log);

    const { dynamoDbClient, setClientDefaults } = await import('../../shared/adapters/aws-clients');
    const { getConfig, getDependencies, overrideDependencies, resetDependencies } = await import(
      '../../shared/lambda/dependencies'
    );
    const { s3Documents, sesMailer } = await import('../../shared/lambda/adapters');
    // The emulators of this process are reached without a socket (the fault mode's DynamoDB proxy still over one).
    const loopback = new LoopbackHttpHandler();
    loopback.serve(emulatorUrl, dynamoServer);
    loopback.serve(url, server);
    cleanups.push(() => loopback.close());
    // The SDK's own retries (three attempts, as on AWS) without its real-time pauses of up to seconds.
    setClientDefaults({ retryStrategy: new ConfiguredRetryStrategy(3, (attempt: number) => 5 * attempt), requestHandler: loopback });
    resetDependencies();
    // DynamoDB request units for test/bench (the handlers' client; document clients share its middleware).
    instrumentDynamoDbClient(dynamoDbClient());
    // Events out: the table's stream (new timeline items) → functions/publish-events.ts → the bus, as on AWS.
    const bus = new LocalEventBus();
    if (functions.exists(EVENT_HANDLERS.publishEvents)) {
      new LocalTableStream({ activity, invoke: (event) => functions.invoke(EVENT_HANDLERS.publishEvents, event), log }).attach(dynamoDbClient());
    }
    cleanups.push(() => {
      resetDependencies();
      setClientDefaults({});
    });
    // SES configuration-set events (EventBridge → functions/ses-events.ts on AWS), following the mailbox simulator.
    const sesEvents = functions.exists(EVENT_HANDLERS.sesEvents)
      ? new LocalSesEvents({
          activity,
          clock,
          invoke: (event) => functions.invoke(EVENT_HANDLERS.sesEvents, event),
          isRecorded: async (messageId) => (await getDependencies().store.findEmailByMessageId(messageId)) !== undefined,
          log,
          deliveries: options.sesEventDeliveries,
        })
      : undefined;
    if (sesEvents) cleanups.push(() => sesEvents.stop());
    // The SES emulator keeps every email it is sent, whole, for its mail viewer: the most recent ones are enough there
    // (`/_local/outbox` keeps them all, without their attachments).
    const sesStoreModule: string = 'aws-ses-v2-local/dist/store.js';
    const { getStoreReadonly } = (await import(sesStoreModule)) as { getStoreReadonly: () => { emails: unknown[] } };
    const trimSesStore = () => {
      const { emails } = getStoreReadonly();
      if (emails.length > MAIL_VIEWER_EMAILS) emails.splice(0, emails.length - MAIL_VIEWER_EMAILS);
    };
    const mailer = new RecordingMailer(
      getDependencies({ mailer: sesMailer }).mailer,
      clock,
      (entry) => {
        trimSesStore();
        sesEvents?.emailSent({ messageId: entry.messageId, from: process.env.SENDER_EMAIL, to: entry.to, subject: entry.subject, tags: entry.tags });
      },
      (key) => `${url}${DOCUMENTS_PATH}${key}`,
    );
    overrideDependencies({ clock, mailer });
    // Made once: with LOCAL_DATA_DIR, a key revoked in an earlier run stays revoked.
    const keyHash = createHash('sha256').update(apiKey).digest('hex');
    if (!(await getDependencies().store.getApiKey(keyHash))) {
      await getDependencies().store.putApiKey({ keyHash, name: 'local', createdAt: clock.now().toISOString() });
    }

    const engine = new LocalEngine({
      projectRoot,
      stateMachineArn: STATE_MACHINE_ARN,
      clock,
      activity,
      invoke: (name, payload) => functions.invoke(name, payload),
      log,
    });
    const quotas = {
      startExecution: new TokenBucket(options.quotas?.startExecution ?? bucketFromEnv('START'), () => clock.nowMs()),
      sendTaskSuccess: new TokenBucket(options.quotas?.sendTaskSuccess ?? bucketFromEnv('SIGNAL'), () => clock.nowMs()),
    };
    const scheduler = new LocalScheduler(engine, clock, log, quotas.startExecution);
    // The start buffer: its queue, and its consumer at the stack's pace (batch size, concurrency, retries).
    const signalQueue = new LocalQueue({
      name: SIGNAL_QUEUE_NAME,
      endpoint: endpoints.sqs,
      activity,
      clock,
      consume: (event) => functions.invoke(EVENT_HANDLERS.signalWorkflow, event),
      batchSize: START_BUFFER.batchSize,
      maxConcurrency: START_BUFFER.maxConcurrency,
      visibilityTimeoutSeconds: START_BUFFER.visibilityTimeoutSeconds,
      maxReceiveCount: START_BUFFER.maxReceiveCount,
      log,
    });
    const reconciliation = new LocalReconciliation({
      clock,
      everyMinutes: START_BUFFER.reconcileEveryMinutes,
      run: () => functions.invoke(EVENT_HANDLERS.reconcileStarts, {}),
      log,
    });
    reconciliation.attach(dynamoDbClient());
    cleanups.push(() => {
      reconciliation.stop();
      clock.stop();
      engine.stopAll();
    });

    // The daily operator digest (EventBridge Scheduler cron on AWS): weekdays 08:00, creditor time.
    if (options.dailyDigest !== false && functions.exists(EVENT_HANDLERS.dailyDigest)) {
      const timeZone = getConfig().calendar.timeZone;
      const scheduleDigest = () => {
        clock.at(
          nextDigestTime(clock.now(), timeZone),
          async () => {
            scheduleDigest();
            try {
              await functions.invoke(EVENT_HANDLERS.dailyDigest, {});
            } catch (error) {
              log(`[digest] daily-digest failed: ${String(error)}`);
            }
          },
          'daily digest',
        );
      };
      scheduleDigest();
    }

    const handleClock = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
      if (req.method === 'GET') return sendJson(res, 200, { now: clock.now().toISOString(), speed: clock.speedFactor });
      if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'GET or POST' } });
      let request: { advance?: unknown; to?: unknown };
      try {
        request = JSON.parse(body.toString('utf8') || '{}') as typeof request;
      } catch {
        return sendJson(res, 400, { error: { code: 'validation_failed', message: 'The body must be JSON' } });
      }
      try {
        if (typeof request.advance === 'string') {
          const duration = isoDuration(request.advance);
          if (!duration) {
            return sendJson(res, 400, {
              error: { code: 'validation_failed', message: `advance must be an ISO 8601 duration such as P10D or PT36H` },
            });
          }
          // Calendar units (P1M, P1Y) are added on the calendar in UTC, not as a fixed number of milliseconds.
          const target = new Date(add(new TZDate(clock.now().getTime(), 'UTC'), duration).getTime());
          await clock.setTo(target);
        } else if (typeof request.to === 'string' && !Number.isNaN(Date.parse(request.to))) {
          await clock.setTo(new Date(request.to));
        } else if (request.advance === undefined && request.to === undefined) {
          await clock.settle();
        } else {
          return sendJson(res, 400, {
            error: { code: 'validation_failed', message: 'Send {"advance": "P10D"} or {"to": "2025-01-31T09:00:00Z"}' },
          });
        }
      } catch (error) {
        if (error instanceof RangeError) return sendJson(res, 400, { error: { code: 'validation_failed', message: error.message } });
        throw error;
      }
      return sendJson(res, 200, { now: clock.now().toISOString() });
    };

    ready = async (req, res) => {
      const requestUrl = new URL(req.url ?? '/', url);
      const path = requestUrl.pathname;
      const body = await readBody(req);
      if (path === SFN_PATH || path.startsWith(`${SFN_PATH}/`)) {
        return handleStepFunctions(engine, req, res, body.toString('utf8'), faults, quotas);
      }
      if (path === SQS_PATH || path.startsWith(`${SQS_PATH}/`)) return signalQueue.handle(req, res, body.toString('utf8'));
      if (path === '/_local/queues' && req.method === 'GET') {
        return sendJson(res, 200, {
          [SIGNAL_QUEUE_NAME]: { url: signalQueue.url, sent: signalQueue.sent, deliveries: signalQueue.deliveries, ...signalQueue.depth, deadLetters: signalQueue.deadLetters },
          quotas: Object.fromEntries(Object.entries(quotas).map(([name, bucket]) => [name, { ...bucket.settings, throttled: bucket.throttled }])),
          reconciliationRuns: reconciliation.runs,
        });
      }
      if (path === EVENTS_PATH || path.startsWith(`${EVENTS_PATH}/`)) return bus.handle(req, res, body.toString('utf8'));
      if (path === '/_local/events' && req.method === 'GET') return sendJson(res, 200, bus.events);
      if (path === SCHEDULER_PATH || path.startsWith(`${SCHEDULER_PATH}/`)) {
        return scheduler.handle(req, res, path.slice(SCHEDULER_PATH.length) || '/', requestUrl.searchParams, body.toString('utf8'));
      }
      if (path === '/_local/clock') return handleClock(req, res, body);
      if (path === '/_local/outbox' && req.method === 'GET') return sendJson(res, 200, mailer.outbox);
      if (path === '/_local/outbox' && req.method === 'DELETE') {
        mailer.outbox.length = 0;
        return sendJson(res, 200, mailer.outbox);
      }
      if (path.startsWith(DOCUMENTS_PATH) && req.method === 'GET') {
        // Keys are URL-safe as written (invoiceDocumentKey): the path after the prefix is the key itself.
        const document = await getDependencies({ documents: s3Documents }).documents.get(path.slice(DOCUMENTS_PATH.length));
        if (!document) return sendJson(res, 404, { error: { code: 'not_found', message: 'No such document.' } });
        res.writeHead(200, { 'content-type': document.contentType, 'content-length': document.body.byteLength });
        return void res.end(document.body);
      }
      if (path === '/_local/executions' && req.method === 'GET') return sendJson(res, 200, engine.list());
      if (path.startsWith('/_local/executions/') && req.method === 'GET') {
        try {
          return sendJson(res, 200, engine.history(decodeURIComponent(path.slice('/_local/executions/'.length))));
        } catch (error) {
          if (error instanceof StepFunctionsError) return sendJson(res, 404, { error: { code: 'not_found', message: error.message } });
          throw error;
        }
      }
      if (path === '/_local/faults' && req.method === 'GET') {
        return sendJson(res, 200, faults ? { seed: faults.seed, rates: faults.rates, injected: faults.injected } : { off: true });
      }
      if (path === '/_local/schedules' && req.method === 'GET') {
        return sendJson(res, 200, { schedules: scheduler.list(), deadLetters: scheduler.deadLetters, timers: clock.pending() });
      }
      if (path === '/_local' || path === '/_local/') {
        return sendJson(res, 200, {
          api: url,
          openapi: `${url}/openapi.json`,
          mailViewer: `http://127.0.0.1:${sesPort}/`,
          clock: `${url}/_local/clock`,
          outbox: `${url}/_local/outbox`,
          events: `${url}/_local/events`,
          executions: `${url}/_local/executions`,
          schedules: `${url}/_local/schedules`,
          queues: `${url}/_local/queues`,
        });
      }
      if (await handleApiRequest({ functions, clock, ...(options.handlerLogLevel && options.handlerLogLevel !== 'SILENT' ? { accessLog: log } : {}) }, req, res, requestUrl, body)) return;
      return sendJson(res, 404, { message: 'Not Found' });
    };

    return {
      url,
      apiKey,
      mailViewerUrl: `http://127.0.0.1:${sesPort}/`,
      clock,
      engine,
      scheduler,
      outbox: mailer.outbox,
      events: bus.events,
      endpoints,
      ...(faults ? { faults } : {}),
      signalQueue,
      quotas,
      settle: () => clock.settle(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
