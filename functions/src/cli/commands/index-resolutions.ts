import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbResolutionStore } from '../../adapters/dynamodb/dynamodb-resolution-store.ts';
import { sharedEmbedder } from '../../adapters/onnx/onnx-embedder.ts';
import type { OpenSearchConnection } from '../../adapters/opensearch/client.ts';
import { OpenSearchUnavailableError } from '../../adapters/opensearch/errors.ts';
import { OpenSearchResolutionIndex } from '../../adapters/opensearch/opensearch-resolution-index.ts';
import { replayStoredSignals } from '../../app/stored-signals.ts';
import type { Signal } from '../../core/resolutions/model.ts';
import { CliError } from '../cli-error.ts';
import { step } from '../progress.ts';

export interface ResolutionReplay {
  target: OpenSearchConnection;
  /** The DynamoDB table the write-backs are stored in (default AWS credentials and region). */
  table: string;
  alias: string;
  replicas: number;
}

/**
 * `kb index --resolutions-from TABLE`: fills OpenSearch's resolution index with every past ticket
 * and piece of feedback stored in the table. The stream feeds the index only with what changed in
 * the last 24 hours, so a new domain, or an index deleted by hand, is filled this way. The table
 * is only read; the index is keyed, so running it twice, or while the stream indexer runs, writes
 * nothing twice, and what the index already holds as it is is skipped: run again after a failure,
 * it embeds only what it had not written.
 */
export async function indexResolutions({ target, table, alias, replicas }: ResolutionReplay): Promise<number> {
  const embedder = await sharedEmbedder().catch((error: Error) => {
    throw new CliError(`the embedding model cannot be loaded: ${error.message}`, 1);
  });
  const client = new DynamoDBClient({});
  const index = OpenSearchResolutionIndex.connect(target, { alias, replicas, embedder });
  step(`indexing the past tickets and feedback of table ${table} into ${alias} on ${target.node}…`);
  const started = performance.now();
  try {
    await index.ensureIndex();
    // What the index already holds as it is is not written (nor embedded, the slow part) again.
    let already = 0;
    const changed = {
      upsert: async (signals: readonly Signal[]) => {
        const alike = await index.indexedAlike(signals);
        already += alike.size;
        await index.upsert(signals.filter((s) => !alike.has(s.key)));
      },
    };
    const read = await replayStoredSignals(new DynamoDbResolutionStore(client, table), changed, (n) => {
      if (n % 1000 === 0) step(`  ${n} read`);
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `indexed ${read - already} past tickets and feedback into ${alias} in ${seconds} s (${already} already there; the table is unchanged)\n`,
    );
    return 0;
  } catch (error) {
    const reason = error instanceof OpenSearchUnavailableError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    throw new CliError(`${reason}\nthe table is unchanged; what was indexed stays, and running the command again completes it`, 1);
  } finally {
    client.destroy();
  }
}
