/**
 * How the handlers' SDK clients reach the emulators of the local runtime's own process (infra/local/loopback.ts): a
 * request to a served endpoint is handed to the emulator's request listener, with no socket, and its answer comes back
 * through the SDK's own deserializer, errors included. Anything else goes over the network. And dynalite as the
 * runtime creates it (infra/local/dynalite.ts), items kept as strings: the same answers as DynamoDB's.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynalite } from '../../infra/local/dynalite';
import { LoopbackHttpHandler } from '../../infra/local/loopback';
import { tableCreateInput } from '../../shared/adapters/dynamodb-table';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server on a free port, with the connections made to it counted (the loopback makes none). */
async function listening(server: Server): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => closed(server));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

function closed(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function loopbackHandler(): LoopbackHttpHandler {
  const loopback = new LoopbackHttpHandler();
  cleanups.push(() => loopback.close());
  return loopback;
}

/** The application's table, once ACTIVE (dynalite makes it so on its next turn). */
async function createTable(client: DynamoDBClient): Promise<void> {
  await client.send(new CreateTableCommand(tableCreateInput('dunning')));
  while ((await client.send(new DescribeTableCommand({ TableName: 'dunning' }))).Table?.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function dynamoThroughLoopback() {
  const loopback = loopbackHandler();
  const dynalite = createDynalite();
  const { url, connections } = await listening(dynalite);
  loopback.serve(url, dynalite);
  const client = new DynamoDBClient({
    endpoint: url,
    region: 'eu-west-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: loopback,
  });
  cleanups.push(() => client.destroy());
  return { client, loopback, dynalite, connections };
}

function echo(received: string[]): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push(body);
      const text = JSON.stringify({ method: req.method, url: req.url, target: req.headers['x-amz-target'], host: req.headers.host, body });
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Answer': 'echo' });
      res.end(text);
    });
  });
}

async function text(body: unknown): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

describe('the loopback to the emulators of the process', () => {
  it('lets a DynamoDB client use dynalite with no connection: items written, read back and queried in key order', async () => {
    const { client, loopback, connections } = await dynamoThroughLoopback();
    await createTable(client);
    const requests = loopback.served.inProcess;
    const name = 'Société Générale — 1 234,56 € ✓ 👍';
    for (const sk of ['TIMELINE#2027-01-02', 'INVOICE', 'TIMELINE#2027-01-01', 'EMAIL#x']) {
      await client.send(new PutItemCommand({ TableName: 'dunning', Item: { pk: { S: 'INVOICE#A-1' }, sk: { S: sk }, name: { S: name } } }));
    }
    const { Items } = await client.send(
      new QueryCommand({ TableName: 'dunning', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'INVOICE#A-1' } } }),
    );
    expect(Items?.map((item) => item.sk?.S)).toEqual(['EMAIL#x', 'INVOICE', 'TIMELINE#2027-01-01', 'TIMELINE#2027-01-02']);
    const { Item } = await client.send(new GetItemCommand({ TableName: 'dunning', Key: { pk: { S: 'INVOICE#A-1' }, sk: { S: 'INVOICE' } } }));
    expect(Item?.name?.S).toBe(name);
    expect(loopback.served).toEqual({ inProcess: requests + 6, network: 0 });
    expect(connections()).toBe(0);
  });

  it('gives the SDK a refusal as DynamoDB words it: a lost conditional write is ConditionalCheckFailedException, HTTP 400', async () => {
    const { client } = await dynamoThroughLoopback();
    await createTable(client);
    const item = { pk: { S: 'INVOICE#A-1' }, sk: { S: 'INVOICE' } };
    const put = () => client.send(new PutItemCommand({ TableName: 'dunning', Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    await put();
    await expect(put()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } });
  });

  it('hands the listener the method, the path with its query, the headers and the body, and the SDK its status, headers and body', async () => {
    const loopback = loopbackHandler();
    const received: string[] = [];
    const server = echo(received);
    const { url, connections } = await listening(server);
    loopback.serve(url, server);
    const { response } = await loopback.handle({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: Number(new URL(url).port),
      path: '/_aws/sfn/',
      query: { NamePrefix: 'inv oice', State: ['ENABLED', 'DISABLED'] },
      headers: { 'X-Amz-Target': 'AWSStepFunctions.SendTaskSuccess' },
      body: '{"taskToken":"AQ…"}',
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-answer': 'echo' });
    expect(JSON.parse(await text(response.body))).toEqual({
      method: 'POST',
      url: '/_aws/sfn/?NamePrefix=inv+oice&State=ENABLED&State=DISABLED',
      target: 'AWSStepFunctions.SendTaskSuccess',
      host: `127.0.0.1:${new URL(url).port}`,
      body: '{"taskToken":"AQ…"}',
    });
    expect(loopback.served).toEqual({ inProcess: 1, network: 0 });
    expect(connections()).toBe(0);
  });

  it('sends over the network what it does not serve: another endpoint, and a streamed body even to a served one', async () => {
    const loopback = loopbackHandler();
    const otherRequests: string[] = [];
    const servedRequests: string[] = [];
    const other = await listening(echo(otherRequests));
    const servedServer = echo(servedRequests);
    const served = await listening(servedServer);
    loopback.serve(served.url, servedServer);
    const request = (url: string, body: unknown) =>
      loopback.handle({ method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', port: Number(new URL(url).port), path: '/bucket/key', query: {}, headers: {}, body });

    await request(other.url, 'to another endpoint');
    await request(served.url, Readable.from([Buffer.from('a streamed upload')]));
    await request(served.url, 'a served request');

    expect(otherRequests).toEqual(['to another endpoint']);
    expect(servedRequests).toEqual(['a streamed upload', 'a served request']);
    expect([other.connections(), served.connections()]).toEqual([1, 1]);
    expect(loopback.served).toEqual({ inProcess: 1, network: 2 });
  });

  it('fails a request to an emulator that has stopped as the network would, rather than reach into its closed store', async () => {
    const { client, dynalite } = await dynamoThroughLoopback();
    await createTable(client);
    await closed(dynalite);
    await expect(client.send(new GetItemCommand({ TableName: 'dunning', Key: { pk: { S: 'INVOICE#A-1' }, sk: { S: 'INVOICE' } } }))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

/** The heap's live size after full collections (V8's `gc`, exposed for the test). */
function liveHeapBytes(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

describe('dynalite as the local runtime creates it', () => {
  it('lets go of older versions of an item once queries end, whether read to the end or cut short by a Limit', async () => {
    const { client } = await dynamoThroughLoopback();
    await createTable(client);
    const put = (round: number) =>
      client.send(
        new PutItemCommand({
          TableName: 'dunning',
          // 300 KB, one byte per character, different every round: each older version is a string of its own.
          Item: { pk: { S: 'INVOICE#A-1' }, sk: { S: 'INVOICE' }, notes: { S: `${round}:`.padEnd(300_000, 'x') } },
        }),
      );
    const query = (limit?: number) =>
      client.send(
        new QueryCommand({
          TableName: 'dunning',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'INVOICE#A-1' } },
          ...(limit ? { Limit: limit } : {}),
        }),
      );
    // A second item in the partition, so that a query with Limit 1 is cut short rather than read to its end.
    await client.send(new PutItemCommand({ TableName: 'dunning', Item: { pk: { S: 'INVOICE#A-1' }, sk: { S: 'LINE#1' } } }));
    await put(0);
    await query();
    const before = liveHeapBytes();
    for (let round = 1; round <= 60; round++) {
      await query(round % 2 === 0 ? 1 : undefined);
      await put(round);
    }
    const { Items } = await query();
    expect(Items?.[0]?.notes?.S?.startsWith('60:')).toBe(true);
    // An iterator left open holds the tree as it was when the query began: 60 versions of 300 KB would be 18 MB.
    expect(liveHeapBytes() - before).toBeLessThan(6_000_000);
  });
});
