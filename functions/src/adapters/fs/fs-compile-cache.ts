import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CompileResult } from '../../core/runbook/model.ts';
import type { CompileCache } from '../../ports/compile-cache.ts';
import { decodeCacheFile, encodeCacheFile, mergeCacheEntries, pickEntries } from '../compile/cache-file.ts';

/**
 * The compile cache as one file (`.kb/compile-cache/<folder>.json`, see cache-file.ts): read once,
 * written once per library load. One file rather than one per runbook: reading 2,449 small files
 * costs more than parsing one, and a rename makes the write atomic, so a second `kb` process
 * reading it meanwhile sees the old cache or the new one, never half of one. A missing or
 * unreadable file is an empty cache.
 */
export class FsCompileCache implements CompileCache {
  private entries: Promise<Map<string, CompileResult>> | undefined;

  constructor(readonly file: string) {}

  private load(): Promise<Map<string, CompileResult>> {
    this.entries ??= readFile(this.file, 'latin1').then(decodeCacheFile, () => new Map());
    return this.entries;
  }

  async get(keys: readonly string[]): Promise<Map<string, CompileResult>> {
    return pickEntries(await this.load().catch(() => new Map<string, CompileResult>()), keys);
  }

  async put(fresh: ReadonlyMap<string, CompileResult>, live: ReadonlySet<string>): Promise<void> {
    const loaded = await this.load().catch(() => new Map<string, CompileResult>());
    // A load reads the cache once and writes it once: let go of it now rather than hold a second
    // copy of the library for the life of the process (a later `get` reads the file again).
    this.entries = undefined;
    const { entries, changed } = mergeCacheEntries(loaded, fresh, live);
    if (!changed) return;
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, encodeCacheFile(entries), 'latin1');
    await rename(temp, this.file);
  }
}
