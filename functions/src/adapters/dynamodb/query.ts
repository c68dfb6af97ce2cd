import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Item } from './items.ts';
import { TABLE } from './table-design.ts';

/** Every item of one partition (of the table, or of `indexName` keyed by `key`), page after page. */
export async function queryPartition(
  doc: DynamoDBDocumentClient,
  tableName: string,
  value: string,
  indexName?: string,
  key: string = TABLE.partitionKey,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        ...(indexName ? { IndexName: indexName } : {}),
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': key },
        ExpressionAttributeValues: { ':v': value },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
