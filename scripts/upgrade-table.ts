/**
 * Brings a table written by an earlier version up to date, once after deploying this one (safe to run again):
 * - the customer index keys on invoice records written before the index existed (statements, grouped emails, lists);
 * - API keys made before 2026-12-01 moved where they can be listed and revoked;
 * - deferred starts scheduled before 2026-12-02 given the input executions now start with (a wait to read).
 *
 *   npm run upgrade-table -- --table <TableName output of the stack> [--scheduler-group dunning-starts]
 *
 * Uses the standard AWS credential chain (AWS_PROFILE, AWS_REGION...).
 */
import { parseArgs } from 'node:util';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { awsClient, dynamoDbClient } from '../shared/adapters/aws-clients';
import { upgradeDeferredStarts } from '../shared/adapters/deferred-start-upgrade';
import { backfillCustomerIndex } from '../shared/adapters/customer-index-backfill';
import { migrateLegacyApiKeys } from '../shared/adapters/legacy-api-keys';

const { values } = parseArgs({ options: { table: { type: 'string' }, 'scheduler-group': { type: 'string', default: 'dunning-starts' } } });
if (!values.table) {
  console.error('Usage: npm run upgrade-table -- --table <table name>');
  process.exit(2);
}
const { scanned, updated } = await backfillCustomerIndex(dynamoDbClient(), values.table);
console.log(`${scanned} invoice record(s) without customer index keys, ${updated} indexed.`);
const { moved } = await migrateLegacyApiKeys(dynamoDbClient(), values.table);
console.log(`${moved} API key(s) moved where they can be listed and revoked.`);
const starts = await upgradeDeferredStarts(awsClient(SchedulerClient), values['scheduler-group']!);
console.log(`${starts.read} deferred start(s) scheduled, ${starts.updated} given the input executions now start with.`);
