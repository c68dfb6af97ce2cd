import { createHash } from 'node:crypto';
import type { S3Event } from 'aws-lambda';
import { EmbeddedRunbookIndex } from '../adapters/embedded/embedded-runbook-index.ts';
import { artifactOf, type LoadedArtifact } from '../adapters/embedded/index-artifact.ts';
import { ReusedVectors } from '../adapters/embedded/reused-vectors.ts';
import type { IndexManifest, S3IndexArtifacts } from '../adapters/s3/s3-index-artifacts.ts';
import { optionsFingerprint } from '../app/cached-compile.ts';
import { type Compile, compileInThread } from '../app/load-library.ts';
import type { CompiledRunbook } from '../core/runbook/model.ts';
import { type Embedder, sameModel } from '../ports/embedder.ts';
import { type ContentCommand, type ContentDeps, createContentIndexer, type SyncOutcome } from './content-events.ts';
import { embeddingTimeLimit, type InvocationTime } from './time-limit.ts';

export interface ArtifactIndexerDeps {
  source: ContentDeps['source'];
  artifacts: Pick<S3IndexArtifacts, 'manifest' | 'load' | 'publish'>;
  publishQueues?: ContentDeps['publishQueues'];
  compile?: Compile;
  compilerVersion: () => Promise<string>;
  now?: () => Date;
  /** With a model (`KB_MODEL_DIR`), the artifact carries each runbook's vectors; words only without. */
  embedder?: Embedder;
}

/**
 * The content indexer for the embedded engine (`KB_SEARCH_ENGINE=embedded`): the same actions as
 * for OpenSearch (content-events.ts), applied to the embedded index restored from the latest
 * artifact, which is then published as a new version if anything changed. Runs one at a time
 * (reserved concurrency 1), so two publishes never race. With an embedder, the vectors of texts
 * the previous artifact holds (same model) are reused, so only changed runbooks are embedded.
 *
 * Embedding a large library for the first time (or for a new model) can take longer than one
 * invocation may run (10,000 runbooks: about 3 minutes on 2 cores, several times that on the
 * function's share of a CPU). Embedding stops `WRITE_RESERVE_MS` before the time limit; the
 * artifact is published with the rest indexed by their words, and the next run (the next
 * change, or the hourly sync) embeds more, from where this one stopped.
 */
export function createArtifactIndexer(deps: () => ArtifactIndexerDeps) {
  return async (event: S3Event | ContentCommand, context?: InvocationTime) => {
    const { source, artifacts, compile = compileInThread, compilerVersion, now = () => new Date(), embedder, publishQueues } = deps();
    const [previous, version] = await Promise.all([latest(artifacts), compilerVersion()]);
    const model = embedder ? { id: embedder.modelId, dimension: embedder.dimension } : null;
    const previousVectors = previous && sameModel(previous.header.model, model) ? previous.vectors() : undefined;
    const vectors = embedder
      ? new ReusedVectors(embedder, previous && previousVectors ? { runbooks: previous.runbooks(), vectors: previousVectors } : undefined)
      : undefined;
    const keepEmbedding = embeddingTimeLimit(context);
    const options = vectors ? { embedder: vectors, ...(keepEmbedding ? { keepEmbedding } : {}) } : {};
    let index = previous
      ? EmbeddedRunbookIndex.restore(
          {
            runbooks: previous.runbooks(),
            engine: previous.engine,
            ...(previousVectors && model ? { vectors: { model, byId: previousVectors } } : {}),
          },
          options,
        )
      : new EmbeddedRunbookIndex(options);
    // A previous artifact of another model, or of none, has its runbooks embedded now.
    const embeddedMissing = await index.embedMissing();
    const before = await index.hashes();
    const reuse = reusing(previous?.header.compilerVersion === version ? previous : undefined, compile);
    const sync: ContentDeps['sync'] = async (runbooks, { full }) => {
      // A full sync builds from nothing: whatever the old artifact held that the bucket does not goes.
      if (full) index = new EmbeddedRunbookIndex(options);
      return syncEmbedded(index, runbooks, full);
    };
    const { results } = await createContentIndexer(() => ({
      source,
      index,
      compile: reuse,
      sync,
      ...(publishQueues ? { publishQueues } : {}),
    }))(event);
    const rebuild = 'kb' in event && event.kb === 'rebuild';
    const modelChanged = (previous?.header.model || model) && !sameModel(previous?.header.model, model);
    if (previous && !rebuild && !modelChanged && embeddedMissing === 0 && same(before, await index.hashes())) {
      console.info({ message: 'index unchanged; nothing published', version: previous.header.version });
      return { results, published: null };
    }
    const artifact = artifactOf(index.snapshot(), {
      builtAt: now().toISOString(),
      compilerVersion: version,
      compileOptions: reuse.options() ?? previous?.header.compileOptions ?? optionsFingerprint({}),
    });
    const published: IndexManifest = await artifacts.publish(artifact);
    console.info({
      message: 'index published',
      ...published,
      reusedCompiles: reuse.reused(),
      ...(vectors ? { embeddedTexts: vectors.counts.embedded, reusedVectors: vectors.counts.reused } : {}),
    });
    const waiting = index.withoutVectors;
    if (waiting > 0)
      console.warn({ message: 'runbooks indexed by words only until the next run embeds them (time limit)', runbooks: waiting });
    return { results, published };
  };
}

async function latest(artifacts: ArtifactIndexerDeps['artifacts']): Promise<LoadedArtifact | undefined> {
  const read = await artifacts.manifest();
  return read.status === 'found' ? artifacts.load(read.manifest) : undefined;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A compile that reuses what the previous artifact holds for a file of the same path and bytes,
 * compiled by the same compiler with the same options: the artifact is the compile cache.
 */
function reusing(previous: LoadedArtifact | undefined, compile: Compile) {
  const byPath = new Map((previous?.runbooks() ?? []).map((r) => [r.path, r]));
  let reused = 0;
  let options: string | undefined;
  const wrapped: Compile = async (sources, compileOptions, onDone) => {
    options = optionsFingerprint(compileOptions);
    const usable = options === previous?.header.compileOptions ? byPath : new Map<string, CompiledRunbook>();
    const found = sources.map((s) => {
      const runbook = usable.get(s.path);
      return runbook && runbook.hash === sha256(s.bytes) ? runbook : undefined;
    });
    const compiled = await compile(
      sources.filter((_, i) => !found[i]),
      compileOptions,
      onDone,
    );
    let next = 0;
    return found.map((runbook) => {
      if (!runbook) return compiled[next++] as (typeof compiled)[number];
      reused++;
      onDone?.();
      return { ok: true as const, runbook };
    });
  };
  return Object.assign(wrapped, { reused: () => reused, options: () => options });
}

async function syncEmbedded(index: EmbeddedRunbookIndex, runbooks: readonly CompiledRunbook[], full: boolean): Promise<SyncOutcome> {
  const keep = new Set(runbooks.map((r) => r.id));
  const gone = [...(await index.hashes()).keys()].filter((id) => !keep.has(id));
  await index.remove(gone);
  const report = await index.upsert(runbooks);
  return { mode: full ? 'full' : 'incremental', indexed: report.indexed, removed: gone.length, failed: report.failed, swapped: false };
}

function same(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([id, hash]) => b.get(id) === hash);
}
