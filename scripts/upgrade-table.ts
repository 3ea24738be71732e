/**
 * Brings a table written by an earlier version up to date, once after deploying this one (safe to run again):
 * - the customer index keys on invoice records written before the index existed (statements, grouped emails, lists);
 * - API keys made before 2026-12-01 moved where they can be listed and revoked.
 *
 *   npm run upgrade-table -- --table <TableName output of the stack>
 *
 * Uses the standard AWS credential chain (AWS_PROFILE, AWS_REGION...).
 */
import { parseArgs } from 'node:util';
import { dynamoDbClient } from '../shared/adapters/aws-clients';
import { backfillCustomerIndex } from '../shared/adapters/customer-index-backfill';
import { migrateLegacyApiKeys } from '../shared/adapters/legacy-api-keys';

const { values } = parseArgs({ options: { table: { type: 'string' } } });
if (!values.table) {
  console.error('Usage: npm run upgrade-table -- --table <table name>');
  process.exit(2);
}
const { scanned, updated } = await backfillCustomerIndex(dynamoDbClient(), values.table);
console.log(`${scanned} invoice record(s) without customer index keys, ${updated} indexed.`);
const { moved } = await migrateLegacyApiKeys(dynamoDbClient(), values.table);
console.log(`${moved} API key(s) moved where they can be listed and revoked.`);
