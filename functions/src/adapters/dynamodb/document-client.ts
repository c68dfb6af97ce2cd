import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withOutageErrors } from './outage.ts';

/** The document client every table adapter uses: undefined fields left out, outages as `StoreUnavailableError`. */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(withOutageErrors(client), { marshallOptions: { removeUndefinedValues: true } });
}
