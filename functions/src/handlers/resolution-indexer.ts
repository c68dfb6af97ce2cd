import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { signalOfItem } from '../adapters/dynamodb/items.ts';
import { indexChanges } from '../app/resolution-indexer.ts';
import type { ResolutionIndex } from '../ports/resolution-index.ts';
import type { ChangeEvent } from '../ports/resolution-store.ts';
import { resolutionIndex, useModel } from './wiring.ts';
import { modelFromEnv } from './wiring-model.ts';

type Image = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
const image = (raw: Image) => (raw ? unmarshall(raw as Record<string, AttributeValue>) : undefined);

/** A stream record as the indexer's change event; its id is the sequence number Lambda resumes from. */
export function changeEventOf(record: DynamoDBRecord): ChangeEvent {
  const newImage = image(record.dynamodb?.NewImage);
  const oldImage = image(record.dynamodb?.OldImage);
  return {
    id: record.dynamodb?.SequenceNumber ?? record.eventID ?? '',
    name: record.eventName ?? 'MODIFY',
    ...(newImage ? { newImage } : {}),
    ...(oldImage ? { oldImage } : {}),
  };
}

/**
 * The table's stream → the resolution index. Records apply in order; the first that still fails
 * after the adapter's retries is reported, and Lambda retries the batch from it (partial batch
 * response), bisecting, then sends what keeps failing to the dead-letter queue.
 */
export function createResolutionIndexer(index: () => ResolutionIndex) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    // One attempt per record: the OpenSearch adapter already retried within its budget, and the
    // event source retries (bisecting) after that; a third layer made a bad record cost 30 s.
    const { failed } = await indexChanges(event.Records.map(changeEventOf), { index: index(), toSignal: signalOfItem, attempts: 1 });
    if (failed.length > 0) console.error({ message: 'resolution indexing failed', failed });
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

// The model (`KB_MODEL_DIR`), loaded at cold start: each past ticket is indexed with its meaning
// vector, so the API finds paraphrases of it. Words only when the function has none.
useModel(await modelFromEnv());

export const handler = createResolutionIndexer(resolutionIndex);
