import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ChangeEvent } from '../../ports/resolution-store.ts';
import { documentClient } from './document-client.ts';
import type { Item } from './items.ts';

const DAY_MS = 86_400_000;

/**
 * Recent write-backs in the table, one partition per UTC day (`CHANGES#<day>`, sort key
 * `<at>#<event id>`), each holding the item image the write produced: what an API instance with
 * an in-process resolution index queries every few seconds instead of scanning the table. Items
 * carry `expiresAt` (epoch seconds, `retentionDays` on) for a TTL to remove them; nothing reads
 * a day older than a cold start's scan.
 */
export class DynamoDbChangeLog {
  readonly #doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: { retentionDays: number; now: () => number } = { retentionDays: 2, now: Date.now },
  ) {
    this.#doc = documentClient(client);
  }

  async append(events: readonly ChangeEvent[]): Promise<void> {
    const now = this.options.now();
    const at = new Date(now).toISOString();
    const expiresAt = Math.floor(now / 1000) + this.options.retentionDays * 86_400;
    for (const event of events) {
      const item: Item = {
        pk: `CHANGES#${at.slice(0, 10)}`,
        sk: `${at}#${event.id}`,
        type: 'change',
        name: event.name,
        newImage: event.newImage,
        oldImage: event.oldImage,
        expiresAt,
      };
      await this.#doc.send(new PutCommand({ TableName: this.tableName, Item: item }));
    }
  }

  /** Changes stamped at or after `at`, oldest first, across the days from `at`'s to today. */
  async since(at: string): Promise<ChangeEvent[]> {
    const events: ChangeEvent[] = [];
    const today = new Date(this.options.now()).toISOString().slice(0, 10);
    for (let day = at.slice(0, 10); day <= today; day = nextDay(day)) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.#doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk >= :at',
            ExpressionAttributeValues: { ':pk': `CHANGES#${day}`, ':at': at },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) events.push(changeOf(item));
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return events;
  }
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

function changeOf(item: Item): ChangeEvent {
  const sk = String(item.sk);
  return {
    id: sk.slice(sk.indexOf('#') + 1),
    name: item.name as ChangeEvent['name'],
    ...(item.newImage ? { newImage: item.newImage as Record<string, unknown> } : {}),
    ...(item.oldImage ? { oldImage: item.oldImage as Record<string, unknown> } : {}),
  };
}
