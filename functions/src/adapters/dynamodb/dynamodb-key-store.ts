import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { KeyStore, StoredKey } from '../../ports/key-store.ts';
import { documentClient } from './document-client.ts';
import { type Item, pick } from './items.ts';
import { queryPartition } from './query.ts';

/** Every key in one small partition, sorted by hash: a lookup is one GetItem, a listing one Query. */
const PARTITION = 'APIKEY';
const FIELDS = ['id', 'hash', 'name', 'scopes', 'sources', 'tier', 'createdAt'] as const;

const keyOf = (item: Item) => pick(item, FIELDS) as unknown as StoredKey;

/** API keys of the self-hosted server, in the resolutions table (see table-design.ts). */
export class DynamoDbKeyStore implements KeyStore {
  readonly #doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.#doc = documentClient(client);
  }

  async putKey(key: StoredKey): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: PARTITION, sk: key.hash, type: 'api-key', ...key },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async keyByHash(hash: string): Promise<StoredKey | undefined> {
    const { Item } = await this.#doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: PARTITION, sk: hash }, ConsistentRead: true }),
    );
    return Item ? keyOf(Item) : undefined;
  }

  async listKeys(): Promise<StoredKey[]> {
    const keys = (await queryPartition(this.#doc, this.tableName, PARTITION)).map(keyOf);
    return keys.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async deleteKey(id: string): Promise<boolean> {
    const key = (await this.listKeys()).find((k) => k.id === id);
    if (!key) return false;
    await this.#doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: PARTITION, sk: key.hash } }));
    return true;
  }
}
