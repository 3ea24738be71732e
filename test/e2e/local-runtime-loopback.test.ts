/**
 * How the handlers' SDK clients reach the emulators of the local runtime's own process (infra/local/loopback.ts): a
 * request to a served endpoint is handed to the emulator's request listener, with no socket, and its answer comes back
 * through the SDK's own deserializer, errors included. Anything else goes over the network. And dynalite as the
 * runtime creates it (infra/local/dynalite.ts), items kept as strings: the same answers as DynamoDB's.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynalite } from '../../infra/local/dynalite';
import { LoopbackHttpHandler, type RequestListener } from '../../infra/local/loopback';
import { tableCreateInput } from '../../shared/adapters/dynamodb-table';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An endpoint no process listens on: only the loopback can answer there. */
const NOWHERE = 'http://127.0.0.1:9';

/** The application's table, once ACTIVE (dynalite makes it so on its next turn). */
async function createTable(client: DynamoDBClient): Promise<void> {
  await client.send(new CreateTableCommand(tableCreateInput('dunning')));
  while ((await client.send(new DescribeTableCommand({ TableName: 'dunning' }))).Table?.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function dynamoThroughLoopback(): { client: DynamoDBClient; loopback: LoopbackHttpHandler } {
  const loopback = new LoopbackHttpHandler();
  const dynalite = createDynalite({ createTableMs: 0 });
  loopback.serve(NOWHERE, dynalite.listeners('request')[0] as RequestListener);
  const client = new DynamoDBClient({
    endpoint: NOWHERE,
    region: 'eu-west-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: loopback,
  });
  cleanups.push(() => {
    client.destroy();
    loopback.close();
  });
  return { client, loopback };
}

async function listening(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function echo(received: string[]): RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push(body);
      const text = JSON.stringify({ method: req.method, url: req.url, target: req.headers['x-amz-target'], host: req.headers.host, body });
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Answer': 'echo' });
      res.end(text);
    });
  };
}

async function text(body: unknown): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

describe('the loopback to the emulators of the process', () => {
  it('lets a DynamoDB client use a dynalite that listens on no port: items written, read back and queried in key order', async () => {
    const { client, loopback } = dynamoThroughLoopback();
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
  });

  it('gives the SDK a refusal as DynamoDB words it: a lost conditional write is ConditionalCheckFailedException, HTTP 400', async () => {
    const { client } = dynamoThroughLoopback();
    await createTable(client);
    const item = { pk: { S: 'INVOICE#A-1' }, sk: { S: 'INVOICE' } };
    const put = () => client.send(new PutItemCommand({ TableName: 'dunning', Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    await put();
    await expect(put()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } });
  });

  it('hands the listener the method, the path with its query, the headers and the body, and the SDK its status, headers and body', async () => {
    const loopback = new LoopbackHttpHandler();
    cleanups.push(() => loopback.close());
    const received: string[] = [];
    loopback.serve(NOWHERE, echo(received));
    const { response } = await loopback.handle({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 9,
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
      host: '127.0.0.1:9',
      body: '{"taskToken":"AQ…"}',
    });
    expect(loopback.served).toEqual({ inProcess: 1, network: 0 });
  });

  it('sends over the network what it does not serve: another endpoint, and a streamed body even to a served one', async () => {
    const overNetwork: string[] = [];
    const inProcess: string[] = [];
    const { url } = await listening(echo(overNetwork));
    const { port } = new URL(url);
    const loopback = new LoopbackHttpHandler();
    cleanups.push(() => loopback.close());
    const request = (body: unknown, path = '/') =>
      loopback.handle({ method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', port: Number(port), path, query: {}, headers: {}, body });

    await request('to another endpoint');
    loopback.serve(url, echo(inProcess));
    await request(Readable.from([Buffer.from('a streamed upload')]), '/bucket/key');
    await request('a served request');

    expect(overNetwork).toEqual(['to another endpoint', 'a streamed upload']);
    expect(inProcess).toEqual(['a served request']);
    expect(loopback.served).toEqual({ inProcess: 1, network: 2 });
  });
});
