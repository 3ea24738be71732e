/**
 * Adds the customer index keys to open invoices written before the index existed (once, after deploying it):
 *
 *   npm run backfill-customer-index -- --table <TableName output of the stack>
 *
 * Uses the standard AWS credential chain (AWS_PROFILE, AWS_REGION...). Safe to run again.
 */
import { parseArgs } from 'node:util';
import { dynamoDbClient } from '../shared/adapters/aws-clients';
import { backfillCustomerIndex } from '../shared/adapters/customer-index-backfill';

const { values } = parseArgs({ options: { table: { type: 'string' } } });
if (!values.table) {
  console.error('Usage: npm run backfill-customer-index -- --table <table name>');
  process.exit(2);
}
const { scanned, updated } = await backfillCustomerIndex(dynamoDbClient(), values.table);
console.log(`${scanned} invoice record(s) without customer index keys, ${updated} open one(s) indexed.`);
