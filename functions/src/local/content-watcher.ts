import { relative, sep } from 'node:path';
import { watch } from 'chokidar';
import { slug } from 'github-slugger';
import type { Compile } from '../app/load-library.ts';
import type { LibraryView } from '../core/lint/context.ts';
import { lintInLibrary } from '../core/lint/lint.ts';
import type { CompileOptions, SourceFile } from '../core/runbook/compile.ts';
import type { Message } from '../core/runbook/model.ts';
import type { ContentSource } from '../ports/content-source.ts';
import type { RunbookIndex } from '../ports/runbook-index.ts';

export interface WatchEvents {
  /** A runbook was (re-)indexed; `messages` are what `kb lint` says of it (errors, warnings and their hints). */
  indexed: (path: string, id: string, messages: Message[]) => void;
  removed: (path: string, id: string) => void;
  skipped: (path: string, messages: Message[]) => void;
  settings: (file: string) => void;
}

/** Today in UTC, as YYYY-MM-DD, for the `stale` rule. */
const today = () => new Date().toISOString().slice(0, 10);

/**
 * What `kb lint` would say of a saved runbook, against the library as indexed: the other files'
 * ids and paths, and their heading ids from their indexed sections (plus their title's, which
 * heads the page). The file passed the compile pool's budget first, so compiling it once more on
 * this thread costs milliseconds.
 */
async function lintSaved(
  file: SourceFile,
  paths: readonly string[],
  index: RunbookIndex,
  pathToId: ReadonlyMap<string, string>,
  options: Partial<CompileOptions>,
): Promise<Message[]> {
  const ids = new Map<string, string[]>();
  for (const [path, id] of pathToId) ids.set(id, [...(ids.get(id) ?? []), path]);
  const others = await index.get([...new Set(pathToId.values())]);
  const anchors = new Map(others.map((r) => [r.path, new Set([slug(r.meta.title), ...r.sections.map((s) => s.anchor)])]));
  const library: LibraryView = { ids, paths: new Set(paths), anchors };
  return lintInLibrary(file, library, { ...options, today: today() }).messages.filter((m) => m.severity !== 'info');
}

/**
 * Keeps the index in step with a content folder while an author edits: a saved runbook is
 * recompiled and re-indexed within a second, a deleted one removed, a broken one reported and
 * left as it was last indexed, and what lint says of each indexed one reported with it. Files
 * compile through `compile` (the server's thread pool), never on the thread that answers requests.
 * Resolves once the watcher is ready; the result stops it.
 */
export async function watchContent(
  root: string,
  source: ContentSource,
  index: RunbookIndex,
  options: () => Partial<CompileOptions>,
  compile: Compile,
  pathToId: Map<string, string>,
  on: WatchEvents,
): Promise<() => Promise<void>> {
  const pending = new Map<string, NodeJS.Timeout>();
  const toPath = (file: string) => relative(root, file).split(sep).join('/');

  async function refresh(path: string): Promise<void> {
    if (path === 'synonyms.txt' || path === 'taxonomy.yaml') return on.settings(path);
    if (!/\.(md|markdown)$/i.test(path)) return;
    const known = pathToId.get(path);
    const paths = await source.list();
    const listed = paths.includes(path);
    if (!listed) {
      if (known) {
        await index.remove([known]);
        pathToId.delete(path);
        on.removed(path, known);
      }
      return;
    }
    const file = { path, bytes: await source.read(path) };
    const [result] = await compile([file], options());
    if (!result) return;
    if (!result.ok) return on.skipped(path, result.failure.messages);
    const { runbook } = result;
    const owner = [...pathToId].find(([p, id]) => id === runbook.id && p !== path);
    if (owner) {
      const reason = `Duplicate id \`${runbook.id}\`, already declared by \`${owner[0]}\`; this file is skipped`;
      return on.skipped(path, [{ severity: 'error', fatal: true, ruleId: 'unique-id', reason, line: 1, column: 1 }]);
    }
    if (known && known !== runbook.id) await index.remove([known]);
    await index.upsert([runbook]);
    pathToId.set(path, runbook.id);
    const messages = await lintSaved(file, paths, index, pathToId, options()).catch((error: unknown) => [
      { severity: 'warning' as const, fatal: false, ruleId: 'lint', reason: `lint could not run: ${String(error)}` },
    ]);
    on.indexed(path, runbook.id, messages);
  }

  const schedule = (file: string) => {
    const path = toPath(file);
    clearTimeout(pending.get(path));
    // Editors write a file in several steps; wait for them to settle, well within a second.
    pending.set(
      path,
      setTimeout(() => {
        pending.delete(path);
        refresh(path).catch((error) => on.skipped(path, [{ severity: 'error', fatal: true, ruleId: 'watch', reason: String(error) }]));
      }, 150),
    );
  };

  const watcher = watch(root, { ignoreInitial: true, ignored: (file) => /(^|[/\\])(\.|node_modules)/.test(relative(root, file)) });
  watcher.on('add', schedule).on('change', schedule).on('unlink', schedule);
  // Changes made before the initial scan completes are not reported, so start only once it has.
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return async () => {
    for (const timer of pending.values()) clearTimeout(timer);
    await watcher.close();
  };
}
