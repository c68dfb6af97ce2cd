import { relative, sep } from 'node:path';
import { watch } from 'chokidar';
import type { Compile } from '../app/load-library.ts';
import type { CompileOptions } from '../core/runbook/compile.ts';
import type { Message } from '../core/runbook/model.ts';
import type { ContentSource } from '../ports/content-source.ts';
import type { RunbookIndex } from '../ports/runbook-index.ts';

export interface WatchEvents {
  indexed: (path: string, id: string) => void;
  removed: (path: string, id: string) => void;
  skipped: (path: string, messages: Message[]) => void;
  settings: (file: string) => void;
}

/**
 * Keeps the index in step with a content folder while an author edits: a saved runbook is
 * recompiled and re-indexed within a second, a deleted one removed, a broken one reported and
 * left as it was last indexed. Files compile through `compile` (the server's thread pool), never
 * on the thread that answers requests. Resolves once the watcher is ready; the result stops it.
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
    const listed = (await source.list()).includes(path);
    if (!listed) {
      if (known) {
        await index.remove([known]);
        pathToId.delete(path);
        on.removed(path, known);
      }
      return;
    }
    const [result] = await compile([{ path, bytes: await source.read(path) }], options());
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
    on.indexed(path, runbook.id);
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
