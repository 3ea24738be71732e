/**
 * An in-process DynamoDB emulator (dynalite) with the application table created, for tests that need real
 * conditional writes. Each call gets its own server and in-memory store.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import { createDynalite } from '../../infra/local/dynalite';
import { tableCreateInput } from '../../shared/adapters/dynamodb-table';

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  tableName: string;
  stop(): Promise<void>;
}

export async function startDynalite(tableName = 'dunning-test'): Promise<LocalDynamo> {
  // Tables are ACTIVE at once (createDynalite's zero delays), not CREATING for half a second.
  const server = createDynalite();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(new CreateTableCommand(tableCreateInput(tableName)));
  return {
    endpoint,
    client,
    tableName,
    async stop() {
      client.destroy();
      // Keep-alive sockets would hold close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
