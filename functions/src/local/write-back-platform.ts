import { join } from 'node:path';
import { DynamoDbKeyStore } from '../adapters/dynamodb/dynamodb-key-store.ts';
import { DynamoDbResolutionStore } from '../adapters/dynamodb/dynamodb-resolution-store.ts';
import { feedbackItem, resolutionItem, signalOfItem } from '../adapters/dynamodb/items.ts';
import { startLocalDynamoDb } from '../adapters/dynamodb/local-dynamodb.ts';
import { EmbeddedResolutionIndex } from '../adapters/embedded/embedded-resolution-index.ts';
import { FsEmbeddingCache } from '../adapters/fs/fs-embedding-cache.ts';
import { sharedEmbedder } from '../adapters/onnx/onnx-embedder.ts';
import { flagNotifier, parseFlagWebhooks } from '../app/flag-notifier.ts';
import { LearningService, learningOptions } from '../app/learning-service.ts';
import { type IndexerDeps, indexChanges } from '../app/resolution-indexer.ts';
import { replayStoredSignals } from '../app/stored-signals.ts';
import { WriteBackService } from '../app/write-back-service.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { RunbookIndex } from '../ports/runbook-index.ts';
import { lockDataDir } from './data-lock.ts';

export const LOCAL_TABLE = 'runbook-kb-resolutions';

export interface LocalWriteBack {
  store: DynamoDbResolutionStore;
  /** API keys (`kb keys`), in the same table. */
  keys: DynamoDbKeyStore;
  index: EmbeddedResolutionIndex;
  learning: LearningService;
  /** The model, for queries: their texts are not worth keeping. */
  embedder: Embedder | undefined;
  /**
   * The model behind a cache of its vectors in `dataDir` when there is one (opened under the data
   * folder's lock), for what is indexed: runbooks and past tickets, embedded once across restarts.
   */
  documentEmbedder: Embedder | undefined;
  /** Needs the runbook index, which is built after the store is up. */
  service: (runbooks: RunbookIndex, onIndexed: () => void) => WriteBackService;
  close: () => Promise<void>;
}

/**
 * Write-back on one machine: the DynamoDB API served in-process (persisted under `dataDir`), the
 * same DynamoDB adapter as on AWS, and the resolution index rebuilt from the table at start-up —
 * it is derived state, so an event lost to a crash between write and indexing is recovered here.
 */
export async function startLocalWriteBack(
  dataDir: string | undefined,
  options: {
    /** Past tickets' meaning, for finding paraphrases: the installed model by default; `false` for words only. */
    embedder?: Embedder | false;
  } = {},
): Promise<LocalWriteBack> {
  // Read first, before anything is started: a malformed KB_FLAG_WEBHOOKS or KB_LEARNING_SOURCE_WEIGHTS
  // stops the server with its reason instead of losing flags or learning from a source misread.
  const notifyFlag = flagNotifier({
    webhooks: parseFlagWebhooks(process.env.KB_FLAG_WEBHOOKS),
    webUrl: process.env.KB_WEB_URL || undefined,
    log: (line) => console.log(line),
  });
  const learningSettings = learningOptions(process.env.KB_LEARNING_SOURCE_WEIGHTS);
  // The model too: a missing one (ModelFilesError) stops the start before the data folder is taken.
  const model = options.embedder === false ? undefined : (options.embedder ?? (await sharedEmbedder()));
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  const dynamo = await startLocalDynamoDb(dataDir).catch((error) => {
    release();
    throw error;
  });
  const close = async () => {
    await dynamo.close();
    release();
  };
  const store = new DynamoDbResolutionStore(dynamo.client, LOCAL_TABLE);
  let documentEmbedder: Embedder | undefined;
  let index: EmbeddedResolutionIndex;
  try {
    await store.ensureTable();
    // A restart embeds only texts it has not seen (see FsEmbeddingCache).
    documentEmbedder = model && dataDir ? await FsEmbeddingCache.open(model, join(dataDir, 'embeddings')) : model;
    index = new EmbeddedResolutionIndex(documentEmbedder ? { embedder: documentEmbedder } : {});
    await replayStoredSignals(store, index);
  } catch (error) {
    // What was started is stopped, so the process ends with the error instead of running on.
    await close().catch(() => {});
    throw error;
  }
  const learning = new LearningService(index, learningSettings);

  const service = (runbooks: RunbookIndex, onIndexed: () => void) => {
    const indexer: IndexerDeps = {
      index,
      toSignal: signalOfItem,
      deadLetter: (letter) => store.putDeadLetter(letter),
      onIndexed,
    };
    return new WriteBackService({
      store,
      runbooks,
      resolutions: index,
      images: { resolution: resolutionItem, feedback: feedbackItem },
      // The same event shape a DynamoDB stream delivers to the resolution-indexer Lambda.
      deliver: async (events) => {
        await indexChanges(events, indexer);
      },
      replay: (events) => indexChanges(events, { ...indexer, attempts: 1, deadLetter: undefined as never }),
      notifyFlag,
    });
  };
  return {
    store,
    keys: new DynamoDbKeyStore(dynamo.client, LOCAL_TABLE),
    index,
    learning,
    embedder: model,
    documentEmbedder,
    service,
    close,
  };
}
