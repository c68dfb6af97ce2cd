import { randomUUID } from 'node:crypto';
import { openSearchTransport } from '../../functions/src/adapters/opensearch/client.ts';
import { Cluster } from '../../functions/src/adapters/opensearch/cluster.ts';
import { type OpenSearchIndexOptions, OpenSearchRunbookIndex } from '../../functions/src/adapters/opensearch/opensearch-runbook-index.ts';
import type { Embedder } from '../../functions/src/ports/embedder.ts';

/** The server under test; the vitest config runs these files only when it is set. */
export const OPENSEARCH_URL = process.env.KB_OPENSEARCH_URL ?? 'http://127.0.0.1:9200';

/** Every alias a test makes starts with this, so that cleanup finds them all and nothing else. */
export const TEST_PREFIX = 'kb-test-';

export const cluster = () => new Cluster(openSearchTransport({ node: OPENSEARCH_URL, auth: 'none' }), OPENSEARCH_URL);

/** A fresh alias name: each test gets its own indices on the shared server. */
export function testAlias(label: string): string {
  return `${TEST_PREFIX}${label}-${randomUUID().slice(0, 8)}`;
}

export function testIndex(label: string, options: Partial<OpenSearchIndexOptions> = {}): OpenSearchRunbookIndex {
  return new OpenSearchRunbookIndex(cluster(), { alias: testAlias(label), ...options });
}

/** Deletes the indices behind test aliases made with this label (or all test indices). */
export async function dropTestIndices(label = ''): Promise<void> {
  await cluster().call('DELETE', `/${TEST_PREFIX}${label}*`, { ignore: [404], querystring: { expand_wildcards: 'all' } });
}

/** Raw JSON from the server, for checks that must not go through the adapter. */
export async function raw<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, OPENSEARCH_URL), {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/**
 * Stands in for EmbeddedRunbookIndex in suites written for it (the ranking set, the labelled
 * sets), so they run unchanged on OpenSearch: same constructor (with a model, runbooks get their
 * vectors and the suite runs hybrid), and writes are made searchable before they return, as they
 * are in the embedded engine.
 */
export class RefreshingOpenSearchIndex extends OpenSearchRunbookIndex {
  constructor(options: { embedder?: Embedder } = {}) {
    super(cluster(), { alias: testAlias('suite'), ...(options.embedder ? { embedder: options.embedder } : {}) });
  }

  override async upsert(runbooks: Parameters<OpenSearchRunbookIndex['upsert']>[0]) {
    const report = await super.upsert(runbooks);
    await this.refresh();
    return report;
  }

  override async remove(ids: readonly string[]) {
    await super.remove(ids);
    await this.refresh();
  }
}
