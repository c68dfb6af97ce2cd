import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

export interface LocalDynamoDb {
  client: DynamoDBClient;
  endpoint: string;
  close: () => Promise<void>;
}

/**
 * The DynamoDB API served in-process by dynalite on 127.0.0.1, persisted in LevelDB under `path`
 * (in memory without one), so the local platform runs the same DynamoDB adapter as AWS.
 */
export async function startLocalDynamoDb(path?: string): Promise<LocalDynamoDb> {
  if (path) mkdirSync(path, { recursive: true });
  const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  // dynalite accepts any credentials; fixed ones keep the SDK from searching the machine for real ones.
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    client,
    endpoint,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
