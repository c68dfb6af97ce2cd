import type { CompiledRunbook } from '../../core/runbook/model.ts';
import { sameModel } from '../../ports/embedder.ts';
import type { IndexFailure } from '../../ports/runbook-index.ts';
import { DESIGN_VERSION, type VectorModel } from './index-design.ts';
import type { OpenSearchRunbookIndex } from './opensearch-runbook-index.ts';

export interface SyncReport {
  /** `full`: a new index was built and swapped in; `incremental`: changes written in place. */
  mode: 'full' | 'incremental';
  /** Why a full rebuild happened. */
  reason?: string;
  indexed: number;
  unchanged: number;
  removed: number;
  failed: IndexFailure[];
  /** The index behind the alias afterwards, and before when a rebuild replaced it. */
  index?: string;
  previous?: string;
  /** False when a rebuild was refused (too many failures) and the old index stayed in service. */
  swapped: boolean;
  retried: number;
}

/**
 * Brings the index in line with a library: by content hash when the index exists and was made
 * with this code's index design and this index's model (or, words only, with no vectors), else
 * (or when asked) by a full rebuild behind the alias, whose report says why (`staleBecause`).
 */
export async function syncIndex(
  index: OpenSearchRunbookIndex,
  runbooks: readonly CompiledRunbook[],
  options: { full?: boolean } = {},
): Promise<SyncReport> {
  const status = await index.status();
  const reason = options.full
    ? 'asked for (--full)'
    : !status.index
      ? `no index behind alias ${index.options.alias} yet`
      : !status.current
        ? staleBecause(status, index.model)
        : undefined;
  if (reason) {
    const report = await index.rebuild(runbooks);
    const live = report.swapped ? report.index : status.index;
    return {
      mode: 'full',
      reason,
      indexed: report.indexed,
      unchanged: 0,
      removed: 0,
      failed: report.failed,
      ...(live ? { index: live } : {}),
      ...(report.previous ? { previous: report.previous } : {}),
      swapped: report.swapped,
      retried: report.retried,
    };
  }
  // hashes() reads the searchable view; a refresh first makes it include the latest writes.
  await index.refresh();
  const stored = await index.hashes();
  const changed = runbooks.filter((r) => stored.get(r.id) !== r.hash);
  const report = await index.upsert(changed);
  const wanted = new Set(runbooks.map((r) => r.id));
  const stale = [...stored.keys()].filter((id) => !wanted.has(id));
  await index.remove(stale);
  await index.refresh();
  return {
    mode: 'incremental',
    indexed: report.indexed,
    unchanged: runbooks.length - changed.length + report.unchanged,
    removed: stale.length,
    failed: report.failed,
    ...(status.index ? { index: status.index } : {}),
    swapped: false,
    retried: 0,
  };
}

/**
 * Why the index behind the alias is not current (`status().current` false): its design, or else
 * the model of its vectors, which must be this sync's, or none when this sync writes words only,
 * else their search graph (index-design.ts `VECTOR_GRAPH`), which an index made before it lacks.
 * Operators read it in `kb index` and the content indexer's log, so it names both sides.
 */
export function staleBecause(found: { design?: string; model?: VectorModel; graph?: boolean }, wanted: VectorModel | undefined): string {
  if (found.design !== DESIGN_VERSION) return `the index design changed (${found.design ?? 'unknown'} → ${DESIGN_VERSION})`;
  const name = (model: VectorModel | undefined, other: VectorModel | undefined) =>
    !model ? 'none' : model.id === other?.id ? `${model.id} (${model.dimension} dimensions)` : model.id;
  if (!found.model) return `the index holds no vectors and this sync embeds with model ${name(wanted, found.model)}`;
  if (!wanted) return `the index holds vectors of model ${name(found.model, wanted)} and this sync writes words only`;
  if (!sameModel(found.model, wanted)) return `the model changed (${name(found.model, wanted)} → ${name(wanted, found.model)})`;
  return `the index's vectors of model ${wanted.id} are in no search graph (it was made before them)`;
}
