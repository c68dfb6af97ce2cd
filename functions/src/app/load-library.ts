import type { CompileOptions } from '../core/runbook/compile.ts';
import { compileRunbook, type SourceFile } from '../core/runbook/compile.ts';
import type { CompiledRunbook, CompileFailure, CompileResult, Message } from '../core/runbook/model.ts';
import { parseTaxonomy } from '../core/runbook/taxonomy.ts';
import { type EscalationQueues, escalationQueues } from '../core/search/queues.ts';
import type { ContentSource } from '../ports/content-source.ts';
import { type CacheSettings, compileWithCache } from './cached-compile.ts';

export interface LibrarySettings {
  /** Category ids from `taxonomy.yaml`, when the library has one. */
  categories?: ReadonlySet<string>;
  /** Team names and each tier's default escalation queue from `taxonomy.yaml`, when the library has one. */
  queues?: EscalationQueues;
  /** Raw `synonyms.txt`, when the library has one. */
  synonyms?: string;
}

export interface Library {
  runbooks: CompiledRunbook[];
  /** Files that were reported and skipped: unreadable, over a limit, or a duplicate id. */
  failures: CompileFailure[];
  settings: LibrarySettings;
  /** Files whose result came from the compile cache instead of the compiler. */
  cacheHits?: number;
}

/** Compiles many sources, in their order: sequential by default, a thread pool locally. */
export type Compile = (sources: readonly SourceFile[], options: Partial<CompileOptions>, onDone?: () => void) => Promise<CompileResult[]>;

export interface LoadOptions extends Partial<Omit<CompileOptions, 'categories'>> {
  onProgress?: (done: number, total: number) => void;
  /** How to compile many files (see adapters/compile/compile-pool.ts); in-thread when absent. */
  compile?: Compile;
  /** Where unchanged files' results are kept between loads; every file is compiled when absent. */
  cache?: CacheSettings;
}

export const compileInThread: Compile = async (sources, options, onDone) =>
  sources.map((source) => {
    const { tree: _tree, fieldPositions: _positions, ...result } = compileRunbook(source, options);
    onDone?.();
    return result;
  });

const decoder = new TextDecoder();

export async function loadSettings(source: ContentSource): Promise<LibrarySettings> {
  const [taxonomy, synonyms] = await Promise.all([source.readOptional('taxonomy.yaml'), source.readOptional('synonyms.txt')]);
  const parsed = taxonomy ? parseTaxonomy(decoder.decode(taxonomy)) : undefined;
  return {
    ...(parsed ? { categories: new Set(parsed.categories.map((c) => c.id)), queues: escalationQueues(parsed) } : {}),
    ...(synonyms ? { synonyms: decoder.decode(synonyms) } : {}),
  };
}

function duplicateOf(runbook: CompiledRunbook, first: CompiledRunbook): CompileFailure {
  const message: Message = {
    severity: 'error',
    fatal: true,
    ruleId: 'unique-id',
    reason: `Duplicate id \`${runbook.id}\`, already declared by \`${first.path}\`; this file is skipped`,
    line: 1,
    column: 1,
  };
  return { path: runbook.path, hash: runbook.hash, messages: [message] };
}

/**
 * Reads and compiles a whole content library. Broken files and duplicate ids are reported in
 * `failures` and skipped; they never stop the others. The first file (in path order) keeps an id.
 */
export async function loadLibrary(source: ContentSource, options: LoadOptions = {}): Promise<Library> {
  const settings = await loadSettings(source);
  const paths = await source.list();
  const runbooks: CompiledRunbook[] = [];
  const failures: CompileFailure[] = [];
  const byId = new Map<string, CompiledRunbook>();
  const { onProgress, compile = compileInThread, cache, ...rest } = options;
  const compileOptions: Partial<CompileOptions> = { ...rest, ...(settings.categories ? { categories: settings.categories } : {}) };
  const sources = await Promise.all(paths.map(async (path) => ({ path, bytes: await source.read(path) })));
  let done = 0;
  const onDone = () => onProgress?.(++done, paths.length);
  const { results, hits } = cache
    ? await compileWithCache(sources, compileOptions, compile, cache, onDone)
    : { results: await compile(sources, compileOptions, onDone), hits: 0 };
  for (const result of results) {
    if (!result.ok) {
      failures.push(result.failure);
      continue;
    }
    const first = byId.get(result.runbook.id);
    if (first) {
      failures.push(duplicateOf(result.runbook, first));
      continue;
    }
    byId.set(result.runbook.id, result.runbook);
    runbooks.push(result.runbook);
  }
  return { runbooks, failures, settings, cacheHits: hits };
}
