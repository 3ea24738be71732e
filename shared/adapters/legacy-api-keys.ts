/**
 * Moves API keys made before 2026-12-01 (one partition each, `APIKEY#<hash>`) into the keys' partition, where they can
 * be listed and revoked. The authorizer still finds a key not moved yet. A maintenance task, run once after upgrading
 * (`npm run upgrade-table`); safe to run again.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keys, PK, SK } from './dynamodb-table';

export async function migrateLegacyApiKeys(client: DynamoDBClient, tableName: string): Promise<{ moved: number }> {
  const doc = DynamoDBDocumentClient.from(client);
  let moved = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#sk = :apikey AND begins_with(#pk, :prefix)',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':apikey': 'APIKEY', ':prefix': 'APIKEY#' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const { [PK]: _pk, [SK]: _sk, ...key } = item;
      try {
        // Moved once: a key already in the partition (revoked there, perhaps) is not overwritten.
        await doc.send(new PutCommand({ TableName: tableName, Item: { ...key, ...keys.apiKey(String(key.keyHash)) }, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }));
        moved++;
      } catch (error) {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      }
      await doc.send(new DeleteCommand({ TableName: tableName, Key: keys.legacyApiKey(String(key.keyHash)) }));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { moved };
}
