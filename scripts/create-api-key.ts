/**
 * Creates a billing API key and stores only its SHA-256 in the table. The key is printed once; keep it in the billing
 * system's secret store.
 *
 *   npm run create-api-key -- --name erp-production --table <TableName output of the stack>
 *
 * Uses the standard AWS credential chain (AWS_PROFILE, AWS_REGION...).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DynamoDbInvoiceStore } from '../shared/adapters/dynamodb-store';
import { dynamoDbClient } from '../shared/adapters/aws-clients';
import { sha256 } from '../shared/domain/hashing';

const { values } = parseArgs({ options: { name: { type: 'string' }, table: { type: 'string' } } });
if (!values.name || !values.table) {
  console.error('Usage: npm run create-api-key -- --name <who uses it> --table <table name>');
  process.exit(2);
}
const key = `dk_${randomBytes(32).toString('base64url')}`;
await new DynamoDbInvoiceStore(dynamoDbClient(), values.table).putApiKey({
  keyHash: sha256(key),
  name: values.name,
  createdAt: new Date().toISOString(),
});
console.log(`API key for ${values.name} (shown once):\n${key}`);
