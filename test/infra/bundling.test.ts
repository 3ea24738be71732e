import { execFile, spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerBuildOptions, holidayYears, SDK_PARTS_NEVER_LOADED_IN_LAMBDA } from '../../infra/bundling';
import * as library from '../../shared/domain/calendar';
import { addDays } from '../../shared/domain/dates';
import { pdfText } from '../support/pdf-text';
import { callEveryOperation } from './support/sdk-calls';

/** The calendar module as a Lambda bundle carries it: with the precomputed holidays instead of the library. */
let bundled: typeof library;
let source: string;
const dir = mkdtempSync(join(tmpdir(), 'dunning-bundle-'));

beforeAll(async () => {
  const outfile = join(dir, 'calendar.mjs');
  await build(handlerBuildOptions('shared/domain/calendar.ts', outfile, 'FR'));
  source = readFileSync(outfile, 'utf8');
  bundled = await import(pathToFileURL(outfile).href);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('handler bundles', () => {
  it('leave the holidays library and its time-zone and astronomy data out', () => {
    expect(source).not.toMatch(/moment|astronomia|vsop87/i);
    expect(source.length).toBeLessThan(200_000);
  });

  it('know the same business days as the holidays library for every day of the years they carry', () => {
    const calendar = library.DEFAULT_CALENDAR;
    const years = holidayYears();
    for (let date = `${years[0]}-01-01`; date < `${years.at(-1)! + 1}-01-01`; date = addDays(date, 1)) {
      expect(bundled.isBusinessDay(date, calendar), date).toBe(library.isBusinessDay(date, calendar));
    }
  });

  it('plan the pre-reminder exactly as the unbundled code does', () => {
    const calendar = library.DEFAULT_CALENDAR;
    for (const due of ['2027-05-17', '2027-04-08', '2028-01-04', '2027-11-21']) {
      expect(bundled.preReminderInstant(due, 10, calendar)).toBe(library.preReminderInstant(due, 10, calendar));
    }
  });

  it('refuse a year they do not carry, saying that a redeploy extends the table', () => {
    const beyond = `${holidayYears().at(-1)! + 1}-06-15`;
    expect(() => bundled.isBusinessDay(beyond, library.DEFAULT_CALENDAR)).toThrow(/redeploy/);
  });
});

/** Runs `code` (an ES module) in a fresh node, in a folder with no node_modules, with Lambda's credential variables. */
function runInLambdaLikeFolder(folder: string, code: string) {
  const script = join(folder, 'probe.mjs');
  writeFileSync(script, code);
  return spawnSync(process.execPath, [script], {
    cwd: folder,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'eu-west-3',
      AWS_ACCESS_KEY_ID: 'AKIDLAMBDA',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
      TABLE_NAME: 'dunning',
      STATE_MACHINE_ARN: 'arn:aws:states:eu-west-3:000000000000:stateMachine:invoice-dunning',
    },
  });
}

describe('handler bundles without the SDK parts Lambda never uses', () => {
  const folder = mkdtempSync(join(tmpdir(), 'dunning-lambda-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('load, and sign with the credentials Lambda puts in the environment, where those parts cannot be found', async () => {
    const entry = join(folder, 'entry.ts');
    writeFileSync(
      entry,
      `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
       import { SESv2Client } from '@aws-sdk/client-sesv2';
       import { SFNClient } from '@aws-sdk/client-sfn';
       import { SchedulerClient } from '@aws-sdk/client-scheduler';
       export const clients = [DynamoDBClient, SESv2Client, SFNClient, SchedulerClient].map((Client) => new Client({}));`,
    );
    await build({ ...handlerBuildOptions(entry, join(folder, 'clients.mjs')), absWorkingDir: process.cwd(), nodePaths: [join(process.cwd(), 'node_modules')] });
    const bundle = readFileSync(join(folder, 'clients.mjs'), 'utf8');
    for (const part of SDK_PARTS_NEVER_LOADED_IN_LAMBDA) expect(bundle).toContain(`import("${part}")`);
    expect(bundle).not.toMatch(/credential-provider-(ini|sso|process|web-identity)|AssumeRoleWithWebIdentity/);

    const run = runInLambdaLikeFolder(
      folder,
      `import { clients } from './clients.mjs';
       const keys = await Promise.all(clients.map((client) => client.config.credentials()));
       console.log(JSON.stringify(keys.map((k) => [k.accessKeyId, k.sessionToken])));`,
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(Array(4).fill(['AKIDLAMBDA', 'session']));
  });

  it('say so, rather than look elsewhere, when the environment holds no credentials', async () => {
    const run = runInLambdaLikeFolder(
      folder,
      `import { clients } from './clients.mjs';
       delete process.env.AWS_ACCESS_KEY_ID;
       process.env.AWS_PROFILE = 'someone';
       try { await clients[0].config.credentials(); } catch (error) { console.log(String(error)); }`,
    );
    expect(run.stdout).toMatch(/Unable to find environment variable credentials/);
  });

  it('render the formal-notice letter with the fonts they carry, WOFF2 decoder left out', async () => {
    const entry = join(folder, 'letter.ts');
    const root = process.cwd();
    writeFileSync(
      entry,
      `import { computeClaim } from '${root}/shared/domain/claim';
       import { claimInput } from '${root}/shared/domain/invoice-claim';
       import { EXAMPLE_CREDITOR } from '${root}/shared/lambda/config';
       import { renderFormalNoticeLetter } from '${root}/shared/rendering/letters/formal-notice';
       import { invoiceRecord } from '${root}/test/support/fixtures';
       const invoice = invoiceRecord();
       const claim = computeClaim(claimInput(invoice, { timeZone: 'Europe/Paris' }), '2027-04-15');
       export const letter = () => renderFormalNoticeLetter({ creditor: EXAMPLE_CREDITOR, invoice, language: 'fr', contactName: 'Claire Martin', claim, date: '2027-04-15', channel: 'registered_letter' });`,
    );
    await build(handlerBuildOptions(entry, join(folder, 'letter.mjs')));
    const bundle = readFileSync(join(folder, 'letter.mjs'), 'utf8');
    expect(bundle).toContain('WOFF2 fonts cannot be read in a Lambda bundle');
    // 0.75 MB, of which 0.29 MB are the two fonts in base64; brotli's dictionary would add 0.49 MB.
    expect(bundle.length).toBeLessThan(900_000);

    const run = runInLambdaLikeFolder(
      folder,
      `import { writeFileSync } from 'node:fs';
       import { letter } from './letter.mjs';
       const { filename, pdf } = await letter();
       writeFileSync(filename, pdf);
       console.log(filename);`,
    );
    expect(run.status, run.stderr).toBe(0);
    const { pages } = await pdfText(readFileSync(join(folder, run.stdout.trim())));
    expect(pages).toHaveLength(1);
    expect(pages[0].flat).toContain('Objet : mise en demeure de payer la facture F-2027-0042');
  });

  // send-email and attach-document carry the S3 client, which imports event-stream code statically: it must be bundled.
  it.each(['register-invoice', 'send-email', 'attach-document', 'publish-events'])('load a real handler (%s) with no package to find beside it', async (handler) => {
    await build(handlerBuildOptions(`functions/${handler}.ts`, join(folder, `${handler}.mjs`)));
    const run = runInLambdaLikeFolder(folder, `const { handler } = await import('./${handler}.mjs'); console.log(typeof handler);`);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('function');
  });
});

interface WireRequest {
  method: string;
  url: string;
  contentType?: string;
  target?: string;
  body: string;
}

/** AWS's answers to sdk-calls.ts, in each service's wire protocol; they depend on the request only, not on order. */
function cannedAnswer(request: WireRequest): { status: number; headers: Record<string, string>; body: object } {
  const json = (status: number, body: object, headers: Record<string, string> = {}) => ({ status, headers, body });
  const awsJson = { 'content-type': 'application/x-amz-json-1.0' };
  switch (request.target) {
    case 'DynamoDB_20120810.PutItem':
      return json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed' }, awsJson);
    case 'DynamoDB_20120810.GetItem':
      return json(200, { Item: { pk: { S: 'F/1' }, n: { N: '3' }, list: { L: [{ N: '1' }, { S: 'a' }] } } }, awsJson);
    case 'DynamoDB_20120810.UpdateItem':
      return json(200, {}, awsJson);
    case 'DynamoDB_20120810.Query':
      return json(200, { Items: [{ pk: { S: 'F/1' } }], Count: 1, ScannedCount: 1 }, awsJson);
    case 'AWSStepFunctions.StartExecution':
      return json(200, { executionArn: 'arn:aws:states:eu-west-3:1:execution:m:F-1-r1', startDate: 1800000000.5 }, awsJson);
    case 'AWSStepFunctions.DescribeExecution':
      return json(400, { __type: 'com.amazonaws.states#ExecutionDoesNotExist', message: 'no such execution' }, awsJson);
    case 'AWSStepFunctions.SendTaskSuccess':
      return json(400, { __type: 'com.amazonaws.states#TaskTimedOut', message: 'too late' }, awsJson);
    case 'AWSEvents.PutEvents':
      return json(200, { FailedEntryCount: 1, Entries: [{ EventId: 'e-1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }] }, { 'content-type': 'application/x-amz-json-1.1' });
  }
  if (request.url.startsWith('/schedules/')) {
    return request.method === 'POST'
      ? json(200, { ScheduleArn: 'arn:aws:scheduler:eu-west-3:1:schedule/dunning/start-F-1-r1' })
      : json(404, { Message: 'Schedule not found' }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
  }
  if (request.url === '/v2/email/outbound-emails') {
    return request.body.includes('"x"')
      ? json(400, { message: 'Email address is not verified.' }, { 'x-amzn-errortype': 'MessageRejected' })
      : json(200, { MessageId: 'm-1' });
  }
  return json(400, { message: `unexpected ${request.method} ${request.url}` });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('bundled AWS clients', () => {
  const folder = mkdtempSync(join(tmpdir(), 'dunning-wire-'));
  let server: Server;
  let endpoint: string;
  let recorded: WireRequest[] = [];

  beforeAll(async () => {
    server = createServer(async (incoming, outgoing) => {
      const request: WireRequest = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        contentType: incoming.headers['content-type'],
        target: incoming.headers['x-amz-target'] as string | undefined,
        // The SDK fills Scheduler's idempotency token with a fresh UUID on each call.
        body: (await readBody(incoming)).replace(/"ClientToken":"[0-9a-f-]{36}"/, '"ClientToken":"<uuid>"'),
      };
      recorded.push(request);
      const answer = cannedAnswer(request);
      outgoing.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  it('send the same requests as the published SDK and read the answers the same way', async () => {
    recorded = [];
    const published = await callEveryOperation(endpoint);
    const publishedRequests = recorded;

    recorded = [];
    const bundle = join(folder, 'sdk-calls.mjs');
    await build(handlerBuildOptions('test/infra/support/sdk-calls-main.ts', bundle));
    const { stdout } = await promisify(execFile)(process.execPath, [bundle, endpoint], { env: { PATH: process.env.PATH ?? '' } });

    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(published)));
    expect(recorded).toEqual(publishedRequests);
    // The answers were read, not merely survived: results and the errors the adapters branch on.
    expect(published).toMatchObject({
      put: { error: expect.stringMatching(/^ConditionalCheckFailedException/) },
      get: { result: { Item: { pk: 'F/1', n: 3, list: [1, 'a'] } } },
      startExecution: { result: { executionArn: expect.stringContaining('F-1-r1') } },
      describeExecution: { error: expect.stringMatching(/^ExecutionDoesNotExist/) },
      sendTaskSuccess: { error: expect.stringMatching(/^TaskTimedOut/) },
      createSchedule: { result: { ScheduleArn: expect.stringContaining('start-F-1-r1') } },
      updateSchedule: { error: expect.stringMatching(/^ResourceNotFoundException/) },
      sendEmail: { result: { MessageId: 'm-1' } },
      sendEmailRejected: { error: expect.stringMatching(/^MessageRejected/) },
      putEvents: { result: { FailedEntryCount: 1, Entries: [{ EventId: 'e-1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }] } },
    });
    expect(publishedRequests).toHaveLength(Object.keys(published).length);
  });

  it('carry only the operations that are called, not the rest of each service, nor its package.json', () => {
    const bundle = readFileSync(join(folder, 'sdk-calls.mjs'), 'utf8');
    expect(bundle).toContain('SendEmail');
    expect(bundle).toMatch(/name:"@aws-sdk\/client-sesv2",version:"\d+\.\d+\.\d+"/);
    expect(bundle).not.toContain('api-extractor');
    for (const uncalled of ['BatchGetMetricData', 'CreateContactList', 'ListStateMachines', 'DeleteScheduleGroup', 'PutPartnerEvents', 'CreateArchive']) {
      expect(bundle).not.toContain(uncalled);
    }
  });
});
