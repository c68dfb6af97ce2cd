import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GAP_LIMITS, mergeTop } from '../../core/resolutions/gaps.ts';
import type { Feedback, Resolution, SearchGap, WriteResult } from '../../core/resolutions/model.ts';
import { instant } from '../../core/resolutions/model.ts';
import { emptyUsage, type RunbookUsage, usageBySignals } from '../../core/resolutions/usage.ts';
import type { DeadLetter, ResolutionStore } from '../../ports/resolution-store.ts';
import { documentClient } from './document-client.ts';
import {
  deadLetterItem,
  deadLetterOf,
  feedbackItem,
  feedbackOf,
  type Item,
  resolutionItem,
  resolutionKey,
  resolutionOf,
  searchGapOf,
  signalOfItem,
} from './items.ts';
import { queryPartition } from './query.ts';
import { createTableInput, TABLE } from './table-design.ts';

/** The bounded list of the most-searched gaps, kept up to date as gaps are written. */
const TOP_KEY = { pk: 'GAP#SEARCH', sk: 'TOP' } as const;

/** Normalises a query for counting gaps: "VPN  won't connect" and "vpn won't connect" are one gap. */
function normaliseQuery(query: string): string {
  return query.toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 200);
}

/**
 * The ResolutionStore on DynamoDB. Uses only single-item operations and queries (no
 * transactions), so it runs unchanged on DynamoDB and on dynalite.
 */
export class DynamoDbResolutionStore implements ResolutionStore {
  readonly #doc: DynamoDBDocumentClient;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.#doc = documentClient(client);
  }

  /** Creates the table when it does not exist (the local default; on AWS the CDK stack does). */
  async ensureTable(): Promise<void> {
    try {
      await this.#doc.send(new DescribeTableCommand({ TableName: this.tableName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      await this.#doc.send(new CreateTableCommand(createTableInput(this.tableName)));
      // A new table takes writes once it is ACTIVE (dynalite too, a timer tick later): a write
      // sent before that is answered "resource not found".
      await waitUntilTableExists({ client: this.client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: this.tableName });
    }
  }

  async putResolution(resolution: Resolution): Promise<{ result: WriteResult; resolution: Resolution; previous?: Resolution }> {
    try {
      const { Attributes } = await this.#doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: resolutionItem(resolution),
          // Only a newer closedAt may replace what is stored: replays and late, older updates
          // from a ticket system's retry queue are no-ops.
          ConditionExpression: 'attribute_not_exists(pk) OR closedAtMs < :closedAtMs',
          ExpressionAttributeValues: { ':closedAtMs': instant(resolution.closedAt) },
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (!Attributes) return { result: 'created', resolution };
      return { result: 'updated', resolution, previous: resolutionOf(Attributes) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = await this.getResolution(resolution.source, resolution.ticketId);
      if (!stored) throw error;
      return { result: 'unchanged', resolution: stored };
    }
  }

  async getResolution(source: string, ticketId: string): Promise<Resolution | undefined> {
    const { Item: item } = await this.#doc.send(
      new GetCommand({ TableName: this.tableName, Key: resolutionKey(source, ticketId), ConsistentRead: true }),
    );
    return item ? resolutionOf(item) : undefined;
  }

  async *#scan(type: string): AsyncIterable<Item> {
    // The knowledge-gap report and index rebuilds read everything of one type; a Scan is the
    // honest tool for that occasional, whole-table read.
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#type = :type',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':type': type },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) yield item;
      start = page.LastEvaluatedKey;
    } while (start);
  }

  async *listResolutions(): AsyncIterable<Resolution> {
    for await (const item of this.#scan('resolution')) yield resolutionOf(item);
  }

  async addFeedback(feedback: Feedback): Promise<{ created: boolean }> {
    const { Attributes } = await this.#doc.send(
      new PutCommand({ TableName: this.tableName, Item: feedbackItem(feedback), ReturnValues: 'ALL_OLD' }),
    );
    return { created: !Attributes };
  }

  async *listFeedback(): AsyncIterable<Feedback> {
    for await (const item of this.#scan('feedback')) yield feedbackOf(item);
  }

  /**
   * Counted from the runbook's partition of the by-runbook index: its tickets (a re-linked ticket
   * moves partition with its `gsi1pk`) and its feedback (one item per vote, replaced on change),
   * with the same rules the resolution index applies to every signal. The index is eventually
   * consistent on DynamoDB (a write shows within about a second); dynalite answers at once.
   */
  async usage(runbookId: string): Promise<RunbookUsage> {
    const signals = (await this.byRunbook(runbookId)).flatMap((item) => signalOfItem(item) ?? []);
    return usageBySignals(signals).get(runbookId) ?? emptyUsage();
  }

  async recordSearchGap(query: string, tier: string | undefined, at: string, by = 'anonymous'): Promise<void> {
    const normalised = normaliseQuery(query);
    // Within the searcher's allowance for the day: a flood plants (and stores) only so many.
    if (!(await this.#withinAllowance(`${at.slice(0, 10)}#${by}`))) return;
    // Once per searcher: a repeat from the same agent or key changes nothing.
    if (!(await this.#putIfAbsent({ pk: 'GAP#SEEN', sk: `${normalised}#${by}`, type: 'gap-seen', at }))) return;
    const { Attributes } = await this.#doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: 'GAP#SEARCH', sk: `Q#${normalised}` },
        UpdateExpression: `ADD #count :one SET #query = :query, lastAt = :at, #type = :type${tier ? ', tier = :tier' : ''}`,
        ExpressionAttributeNames: { '#count': 'count', '#query': 'query', '#type': 'type' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':query': normalised,
          ':at': at,
          ':type': 'search-gap',
          ...(tier ? { ':tier': tier } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (Attributes) await this.#updateTop(searchGapOf(Attributes));
  }

  async #putIfAbsent(item: Item): Promise<boolean> {
    try {
      await this.#doc.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async #withinAllowance(key: string): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: 'GAP#ALLOWANCE', sk: key },
          UpdateExpression: 'ADD n :one',
          ConditionExpression: 'attribute_not_exists(n) OR n < :max',
          ExpressionAttributeValues: { ':one': 1, ':max': GAP_LIMITS.perSearcherPerDay },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Merges one query's count into the bounded top list, one item written with optimistic
   * concurrency. A lost race is retried; after a few, the next search of that query catches up.
   */
  async #updateTop(gap: SearchGap): Promise<void> {
    for (let attempt = 0; attempt < 4; attempt++) {
      const { Item } = await this.#doc.send(new GetCommand({ TableName: this.tableName, Key: TOP_KEY, ConsistentRead: true }));
      const version = Number(Item?.version ?? 0);
      const top = (Item?.gaps as SearchGap[] | undefined) ?? [];
      const last = top.at(-1);
      if (top.length >= GAP_LIMITS.top && last && gap.count < last.count && !top.some((g) => g.query === gap.query)) return;
      try {
        await this.#doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...TOP_KEY, type: 'gap-top', version: version + 1, gaps: mergeTop(top, gap, GAP_LIMITS.top) },
            ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
            ExpressionAttributeValues: { ':version': version },
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  async listSearchGaps(): Promise<SearchGap[]> {
    const { Item } = await this.#doc.send(new GetCommand({ TableName: this.tableName, Key: TOP_KEY, ConsistentRead: true }));
    return ((Item?.gaps as Item[] | undefined) ?? []).map(searchGapOf);
  }

  async putDeadLetter(letter: DeadLetter): Promise<void> {
    await this.#doc.send(new PutCommand({ TableName: this.tableName, Item: deadLetterItem(letter) }));
  }

  async listDeadLetters(): Promise<DeadLetter[]> {
    return (await queryPartition(this.#doc, this.tableName, 'DEADLETTER')).map(deadLetterOf);
  }

  async deleteDeadLetter(id: string): Promise<void> {
    const letter = (await this.listDeadLetters()).find((d) => d.id === id);
    if (letter)
      await this.#doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: 'DEADLETTER', sk: `${letter.at}#${letter.id}` } }));
  }

  /** Every item about one runbook (its tickets and feedback), through the by-runbook index. */
  async byRunbook(runbookId: string): Promise<Item[]> {
    return queryPartition(this.#doc, this.tableName, `RUNBOOK#${runbookId}`, TABLE.byRunbookIndex, TABLE.byRunbookPartitionKey);
  }
}
