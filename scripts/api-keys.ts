/**
 * Lists or revokes the billing API's keys, from the AWS account (the operator routes `GET /api-keys` and
 * `POST /api-keys/{keyId}/revoke` do the same over the API, but cannot revoke the last key in use):
 *
 *   npm run api-keys -- list --table <TableName output of the stack>
 *   npm run api-keys -- revoke <keyId> --table <TableName output of the stack>
 *
 * Uses the standard AWS credential chain (AWS_PROFILE, AWS_REGION...).
 */
import { parseArgs } from 'node:util';
import { DynamoDbInvoiceStore } from '../shared/adapters/dynamodb-store';
import { dynamoDbClient } from '../shared/adapters/aws-clients';
import { systemClock } from '../shared/ports';
import { revokeApiKey } from '../shared/services/api-keys';

const { values, positionals } = parseArgs({ options: { table: { type: 'string' } }, allowPositionals: true });
const [command, keyId] = positionals;
if (!values.table || (command !== 'list' && !(command === 'revoke' && keyId))) {
  console.error('Usage: npm run api-keys -- list --table <table name>\n       npm run api-keys -- revoke <keyId> --table <table name>');
  process.exit(2);
}
const store = new DynamoDbInvoiceStore(dynamoDbClient(), values.table);
if (command === 'list') {
  for (const key of await store.listApiKeys()) console.log(`${key.keyId}  ${key.createdAt}  ${key.revokedAt ? `revoked ${key.revokedAt}` : 'in use'}  ${key.name}`);
} else {
  const revoked = await revokeApiKey({ store, clock: systemClock }, keyId!, { allowLast: true });
  console.log(`${revoked.keyId} (${revoked.name}) revoked at ${revoked.revokedAt}; API Gateway may accept it for up to five more minutes.`);
}
