import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbResolutionStore } from '../adapters/dynamodb/dynamodb-resolution-store.ts';
import { ENV, once, required } from './wiring.ts';

/*
 * Wiring for the resolutions table, apart from wiring.ts: only the API function writes to the
 * table (the resolution indexer receives its stream), and lib-dynamodb is not marked
 * side-effect free, so a bundle that imports it keeps all of it.
 */

export const resolutionStore = /* @__PURE__ */ once(() => new DynamoDbResolutionStore(new DynamoDBClient({}), required(ENV.table)));
