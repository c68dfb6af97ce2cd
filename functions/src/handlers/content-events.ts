import type { S3Event } from 'aws-lambda';
import { isRunbookPath } from '../adapters/s3/s3-content-source.ts';
import type { CacheSettings } from '../app/cached-compile.ts';
import { type Compile, compileInThread, loadLibrary, loadSettings } from '../app/load-library.ts';
import { idFromPath } from '../core/runbook/meta.ts';
import type { Message } from '../core/runbook/model.ts';
import { type EscalationQueues, NO_QUEUES } from '../core/search/queues.ts';
import type { ContentSource } from '../ports/content-source.ts';
import type { IndexFailure, IndexReport, RunbookIndex } from '../ports/runbook-index.ts';

/**
 * Keeping the runbook index in line with the content bucket, one changed key at a time, plus a
 * whole-library sync. Every action reads the bucket's *current* state rather than trusting the
 * event, so S3's unordered, at-least-once notifications are harmless: replaying one, or handling
 * "created" after a later "removed", converges on what the bucket holds.
 */

/** A content CI writes this key after `aws s3 sync` to ask for a rebuild behind the alias. */
export const REBUILD_KEY = '.kb/rebuild';

export type ContentAction =
  | { kind: 'file'; path: string }
  | { kind: 'sync'; full: boolean; reason: string }
  | { kind: 'ignore'; key: string; reason: string };

export interface ContentDeps {
  source: ContentSource & {
    /** The library path of a bucket key; undefined outside the library's prefix. */
    pathOf(key: string): string | undefined;
    /** What a key held before its latest version (versioned bucket). */
    previousVersion(path: string): Promise<Uint8Array | undefined>;
  };
  index: Pick<RunbookIndex, 'upsert' | 'remove' | 'get'>;
  /**
   * How files compile: in threads under a time and memory budget on Lambda (compile-pool.ts), so
   * a hostile file is skipped rather than stalling every event behind it. In-thread when absent.
   */
  compile?: Compile;
  /**
   * Where whole-library syncs keep compile results (S3 on Lambda), so the daily sync and a
   * rebuild compile only what changed. Every file is compiled when absent.
   */
  compileCache?: () => Promise<CacheSettings>;
  /**
   * Hands the API the escalation queues of the library's taxonomy (on AWS a JSON object in the
   * index bucket), once per event that touches the library: a whole-library sync (the one a
   * taxonomy.yaml change asks for, and the hourly one) or changed runbooks, which is all a first
   * deploy sends. Not published when absent (`kb serve` reads taxonomy.yaml itself).
   */
  publishQueues?: (queues: EscalationQueues) => Promise<void>;
  /** Brings the index in line with a whole library: by hash, or rebuilt behind the alias when `full`. */
  sync(runbooks: Parameters<RunbookIndex['upsert']>[0], options: { full: boolean }): Promise<SyncOutcome>;
}

export interface SyncOutcome {
  mode: 'full' | 'incremental';
  indexed: number;
  removed: number;
  failed: IndexFailure[];
  swapped: boolean;
}

export type FileOutcome =
  | { path: string; result: 'indexed' | 'unchanged'; id: string; failed: IndexFailure[]; warnings: number }
  | { path: string; result: 'removed' | 'not-indexed' | 'moved'; id: string }
  | { path: string; result: 'skipped'; messages: string[] };

/** S3 notification keys are URL-encoded with `+` for spaces. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * What a batch of changed keys asks for. A change to `taxonomy.yaml` (which decides how every
 * runbook compiles) or the rebuild key means one full sync, which covers every file as well.
 */
export function actionsFor(keys: readonly string[], source: Pick<ContentDeps['source'], 'pathOf'>): ContentAction[] {
  const actions: ContentAction[] = [];
  for (const key of new Set(keys)) {
    const path = source.pathOf(key);
    if (path === undefined) actions.push({ kind: 'ignore', key, reason: 'outside the library prefix' });
    else if (path === REBUILD_KEY) return [{ kind: 'sync', full: true, reason: `${REBUILD_KEY} was written` }];
    else if (path === 'taxonomy.yaml') return [{ kind: 'sync', full: true, reason: 'taxonomy.yaml changed' }];
    else if (path === 'synonyms.txt') actions.push({ kind: 'ignore', key, reason: 'synonyms apply at query time; the API reloads them' });
    else if (isRunbookPath(path)) actions.push({ kind: 'file', path });
    else actions.push({ kind: 'ignore', key, reason: 'not a runbook' });
  }
  return actions;
}

const compile = (deps: ContentDeps): Compile => deps.compile ?? compileInThread;

const where = (m: Message) => `${m.line ?? 1}:${m.column ?? 1} ${m.severity} ${m.reason}${m.ruleId ? ` ${m.ruleId}` : ''}`;

/**
 * Indexes one path as the bucket now has it. A file that no longer compiles is reported and the
 * indexed version kept (fail soft on content). A deleted file's runbook is removed, unless the
 * index holds that id from another path (the file was moved, and the new path is already in).
 */
export async function reconcileFile(path: string, deps: ContentDeps): Promise<FileOutcome> {
  const bytes = await deps.source.readOptional(path);
  if (bytes) {
    const settings = await loadSettings(deps.source);
    const [result] = await compile(deps)([{ path, bytes }], settings.categories ? { categories: settings.categories } : {});
    if (!result) throw new Error(`no compile result for ${path}`);
    if (!result.ok) return { path, result: 'skipped', messages: result.failure.messages.map(where) };
    const report: IndexReport = await deps.index.upsert([result.runbook]);
    const warnings = result.runbook.messages.length;
    return { path, result: report.unchanged > 0 ? 'unchanged' : 'indexed', id: result.runbook.id, failed: report.failed, warnings };
  }
  const previous = await deps.source.previousVersion(path);
  const [compiled] = previous ? await compile(deps)([{ path, bytes: previous }], {}) : [];
  const id = compiled?.ok ? compiled.runbook.id : idFromPath(path);
  const [indexed] = await deps.index.get([id]);
  if (!indexed) return { path, result: 'not-indexed', id };
  if (indexed.path !== path) return { path, result: 'moved', id };
  await deps.index.remove([id]);
  return { path, result: 'removed', id };
}

/** Compiles the whole library from the source and syncs the index with it. */
export async function syncLibrary(full: boolean, deps: ContentDeps): Promise<SyncOutcome & { skipped: string[] }> {
  const cache = await deps.compileCache?.();
  const library = await loadLibrary(deps.source, { compile: compile(deps), ...(cache ? { cache } : {}) });
  const outcome = await deps.sync(library.runbooks, { full });
  return { ...outcome, skipped: library.failures.map((f) => f.path) };
}

/** What the schedule (daily `sync`) or an operator (`rebuild`) sends instead of an S3 notification. */
export type ContentCommand = { kb: 'sync' | 'rebuild' };

/**
 * S3 ObjectCreated/ObjectRemoved notifications (and the two commands) → compile → OpenSearch.
 * Runs one at a time (reserved concurrency 1), so a rebuild and single-file updates never race;
 * accounts too small to reserve it deploy without (`-c reservedConcurrency=false`), and every
 * action reads the bucket's current state, so a race converges on the next event or daily sync.
 * A throw makes Lambda retry the whole event, which is safe: every action is idempotent.
 */
export function createContentIndexer(deps: () => ContentDeps) {
  return async (event: S3Event | ContentCommand) => {
    const actions =
      'kb' in event
        ? [{ kind: 'sync' as const, full: event.kb === 'rebuild', reason: `${event.kb} requested` }]
        : actionsFor(
            event.Records.map((r) => decodeS3Key(r.s3.object.key)),
            deps().source,
          );
    const results = [];
    for (const action of actions) {
      if (action.kind === 'ignore') results.push(action);
      else if (action.kind === 'file') results.push(await reconcileFile(action.path, deps()));
      else results.push({ ...action, ...(await syncLibrary(action.full, deps())) });
    }
    // Once per event that touched the library, whichever way (see ContentDeps.publishQueues).
    const { publishQueues, source } = deps();
    if (publishQueues && actions.some((a) => a.kind !== 'ignore')) await publishQueues((await loadSettings(source)).queues ?? NO_QUEUES);
    for (const result of results) {
      const failed = 'failed' in result && result.failed.length > 0;
      const log = failed ? console.error : 'result' in result && result.result === 'skipped' ? console.warn : console.info;
      log({ message: 'content indexed', ...result });
    }
    return { results };
  };
}
