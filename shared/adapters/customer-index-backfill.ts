/**
 * Adds the customer index keys (see ./dynamodb-table) to invoice records written before the index existed: such a
 * record gets them at its next write anyway, but until then its customer's statement, grouped emails and list miss it.
 * A maintenance task run once after deploying the index (`npm run upgrade-table`); safe to run again.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InvoiceRecord } from '../domain/invoice';
import { customerIndexKeys, GSI2_PK, GSI2_SK, keys, SK } from './dynamodb-table';

export async function backfillCustomerIndex(client: DynamoDBClient, tableName: string): Promise<{ scanned: number; updated: number }> {
  const doc = DynamoDBDocumentClient.from(client);
  let scanned = 0;
  let updated = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#sk = :invoice AND attribute_not_exists(#gpk)',
        ExpressionAttributeNames: { '#sk': SK, '#gpk': GSI2_PK },
        ExpressionAttributeValues: { ':invoice': 'INVOICE' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of (page.Items ?? []) as (InvoiceRecord & Record<string, unknown>)[]) {
      scanned++;
      const indexKeys = customerIndexKeys(item);
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.invoice(item.invoiceId),
            UpdateExpression: 'SET #gpk = :gpk, #gsk = :gsk',
            // Only the record as read: a write since then put the keys there itself (or closed the invoice).
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#gpk': GSI2_PK, '#gsk': GSI2_SK, '#version': 'version' },
            ExpressionAttributeValues: { ':gpk': indexKeys[GSI2_PK], ':gsk': indexKeys[GSI2_SK], ':version': item.version },
          }),
        );
        updated++;
      } catch (error) {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { scanned, updated };
}
