import type { Cluster } from './cluster.ts';
import { DESIGN_VERSION, indexBody, type VectorModel } from './index-design.ts';
import { WRITE_RETRY } from './retry.ts';

/**
 * Versioned indices behind an alias. Readers and writers only ever name the alias; a full
 * rebuild fills a new index and then moves the alias in one `_aliases` call, which OpenSearch
 * applies atomically: every search sees the old index or the new one, never neither.
 */
export interface IndexLayout {
  /** The name everything reads and writes through. */
  alias: string;
  /** Replicas of each index: 0 on a single node (else it is never green), 1+ on a real cluster. */
  replicas: number;
  /** Superseded indices kept after a rebuild, newest first, for a manual rollback. */
  keepPrevious: number;
}

export const INDEX_LAYOUT: IndexLayout = { alias: 'kb-runbooks', replicas: 0, keepPrevious: 1 };

/** `<alias>-<UTC yyyymmddhhmmssSSS>-<design version>`: names sort by age and say which design made them. */
export function versionedName(alias: string, now = new Date()): string {
  return `${alias}-${now.toISOString().replace(/\D/g, '').slice(0, 17)}-${DESIGN_VERSION}`;
}

function versionPattern(alias: string): RegExp {
  return new RegExp(`^${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d{17}-[0-9a-f]{8}$`);
}

export interface AliasState {
  /** The index behind the alias, if there is one. */
  index?: string;
  /** The design version that index was made with (its mapping `_meta`). */
  design?: string;
}

export async function aliasState(cluster: Cluster, alias: string): Promise<AliasState> {
  const { statusCode, body } = await cluster.call<Record<string, { mappings?: { _meta?: { design?: string } } }>>(
    'GET',
    `/${encodeURIComponent(alias)}/_mapping`,
    { ignore: [404] },
  );
  if (statusCode === 404) return {};
  const indices = Object.keys(body);
  if (indices.length !== 1 || indices[0] === alias) {
    throw new Error(`"${alias}" must be an alias of exactly one index; found ${indices.join(', ') || 'none'}`);
  }
  const index = indices[0] as string;
  const design = body[index]?.mappings?._meta?.design;
  return { index, ...(design ? { design } : {}) };
}

/** How a new index is made: its replicas, and optionally its alias, bulk-load settings and model. */
export interface IndexCreation {
  replicas: number;
  /** Create it already behind this alias (one atomic request: the first index of a new alias). */
  alias?: string;
  /** Refresh off while a rebuild loads it; `finishBulkLoad` turns it back on. */
  bulkLoad?: boolean;
  /** The model of the vectors it will hold: its vector fields, and the model in the mapping's `_meta`. */
  model?: VectorModel;
}

/**
 * Creates a versioned index. With `alias`, the index is created already behind it; without, it
 * stays invisible until `swapAlias`. A rebuild creates it with refresh off (bulk loads faster)
 * and turns refresh on before the swap. With `model`, the body is the design with vector fields
 * (index-design.ts `indexBody`), so the index is never, even briefly, one without them.
 */
export async function createIndex(cluster: Cluster, name: string, options: IndexCreation) {
  const body = {
    ...indexBody({
      replicas: options.replicas,
      ...(options.bulkLoad ? { refreshInterval: '-1' } : {}),
      ...(options.model ? { model: options.model } : {}),
    }),
    ...(options.alias ? { aliases: { [options.alias]: {} } } : {}),
  };
  await cluster.call('PUT', `/${encodeURIComponent(name)}`, { body, querystring: { wait_for_active_shards: 1 }, retry: WRITE_RETRY });
}

/** Ends a bulk load: refresh back on and everything written made searchable. */
export async function finishBulkLoad(cluster: Cluster, name: string): Promise<void> {
  const index = encodeURIComponent(name);
  await cluster.call('PUT', `/${index}/_settings`, { body: { index: { refresh_interval: null } }, retry: WRITE_RETRY });
  await cluster.call('POST', `/${index}/_refresh`, { retry: WRITE_RETRY });
}

/** Moves the alias from whatever it pointed at to `to`, in one atomic request. */
export async function swapAlias(cluster: Cluster, alias: string, to: string, from: readonly string[]): Promise<void> {
  const actions = [...from.filter((i) => i !== to).map((index) => ({ remove: { index, alias } })), { add: { index: to, alias } }];
  await cluster.call('POST', '/_aliases', { body: { actions }, retry: WRITE_RETRY });
}

/**
 * Deletes this alias's versioned indices that nothing needs: not behind the alias, not among the
 * `keepPrevious` newest superseded ones, and not newer than `current` (a concurrent rebuild's).
 * Leftovers of a rebuild that failed half-way are older, so they go too.
 */
export async function pruneIndices(cluster: Cluster, layout: IndexLayout, current: string): Promise<string[]> {
  const { body } = await cluster.call<{ index: string }[]>('GET', `/_cat/indices/${encodeURIComponent(layout.alias)}-*`, {
    querystring: { format: 'json', h: 'index' },
    ignore: [404],
  });
  const pattern = versionPattern(layout.alias);
  const older = (Array.isArray(body) ? body : [])
    .map((r) => r.index)
    .filter((name) => pattern.test(name) && name < current)
    .sort()
    .reverse();
  const doomed = older.slice(layout.keepPrevious);
  if (doomed.length > 0)
    await cluster.call('DELETE', `/${doomed.map(encodeURIComponent).join(',')}`, { retry: WRITE_RETRY, ignore: [404] });
  return doomed;
}

/** Best effort: removes an index a failed rebuild left behind (the next rebuild prunes it otherwise). */
export async function dropIndex(cluster: Cluster, name: string): Promise<void> {
  await cluster.call('DELETE', `/${encodeURIComponent(name)}`, { ignore: [404] }).catch(() => {});
}
