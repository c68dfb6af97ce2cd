import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * One table for everything written back (single-table design). Keys:
 *
 * | item          | pk                        | sk                    | gsi1pk                          | gsi1sk                      |
 * | ------------- | ------------------------- | --------------------- | ------------------------------- | --------------------------- |
 * | resolution    | `TICKET#<source>#<id>`    | `RESOLUTION`          | `RUNBOOK#<id>` or `NO-RUNBOOK`  | `<closedAt>#<source>#<id>`  |
 * | feedback      | `RUNBOOK#<id>`            | `FEEDBACK#<id>` (who + runbook: one vote each) | `RUNBOOK#<id>` | `FEEDBACK#<at>` |
 * | search gap    | `GAP#SEARCH`              | `Q#<normalised query>`| –                               | –                           |
 * | top gaps      | `GAP#SEARCH`              | `TOP` (≤ 200, versioned) | –                            | –                           |
 * | gap searcher  | `GAP#SEEN`                | `<query>#<who>`       | –                               | –                           |
 * | gap allowance | `GAP#ALLOWANCE`           | `<day>#<who>`         | –                               | –                           |
 * | API key       | `APIKEY`                  | `<sha256 of the key>` | –                               | –                           |
 * | dead letter   | `DEADLETTER`              | `<at>#<event id>`     | –                               | –                           |
 *
 * GSI1 ("by-runbook") answers "every ticket and piece of feedback about runbook X" and, through
 * `NO-RUNBOOK`, "tickets no runbook covered" (the knowledge-gap report). Resolution writes are
 * conditional on `closedAtMs`, so replays and out-of-order updates never overwrite newer data.
 * The CDK stack in infra/ declares the same keys and index (plus a NEW_AND_OLD_IMAGES stream).
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  byRunbookIndex: 'by-runbook',
  byRunbookPartitionKey: 'gsi1pk',
  byRunbookSortKey: 'gsi1sk',
} as const;

export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE.sortKey, AttributeType: 'S' },
      { AttributeName: TABLE.byRunbookPartitionKey, AttributeType: 'S' },
      { AttributeName: TABLE.byRunbookSortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: TABLE.byRunbookIndex,
        KeySchema: [
          { AttributeName: TABLE.byRunbookPartitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.byRunbookSortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}
