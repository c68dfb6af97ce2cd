import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CompileResult } from '../../core/runbook/model.ts';
import type { CompileCache } from '../../ports/compile-cache.ts';

/** 2: written as ASCII (see `asciiJson`), read as latin1. A format-1 file is ignored, not misread. */
const FORMAT = 2;

interface CacheFile {
  format: number;
  entries: Record<string, CompileResult>;
}

/**
 * The compile cache as one JSON file (`.kb/compile-cache.json`): read once, written once per
 * library load. One file rather than one per runbook: reading 2,449 small files costs more than
 * parsing one, and a rename makes the write atomic, so a second `kb` process reading it meanwhile
 * sees the old cache or the new one, never half of one. A missing or unreadable file is an empty cache.
 */
export class FsCompileCache implements CompileCache {
  private entries: Promise<Map<string, CompileResult>> | undefined;

  constructor(readonly file: string) {}

  private load(): Promise<Map<string, CompileResult>> {
    this.entries ??= readFile(this.file, 'latin1').then(
      (text) => {
        const parsed = JSON.parse(text) as CacheFile;
        return parsed.format === FORMAT ? new Map(Object.entries(parsed.entries)) : new Map();
      },
      () => new Map(),
    );
    return this.entries;
  }

  async get(keys: readonly string[]): Promise<Map<string, CompileResult>> {
    const entries = await this.load().catch(() => new Map<string, CompileResult>());
    const found = new Map<string, CompileResult>();
    for (const key of keys) {
      const result = entries.get(key);
      if (result) found.set(key, result);
    }
    return found;
  }

  async put(fresh: ReadonlyMap<string, CompileResult>, live: ReadonlySet<string>): Promise<void> {
    const entries = await this.load().catch(() => new Map<string, CompileResult>());
    let changed = fresh.size > 0;
    for (const [key, result] of fresh) entries.set(key, result);
    for (const key of [...entries.keys()]) {
      if (live.has(key)) continue;
      entries.delete(key);
      changed = true;
    }
    // A load reads the cache once and writes it once: let go of it now rather than hold a second
    // copy of the library for the life of the process (a later `get` reads the file again).
    this.entries = undefined;
    if (!changed) return;
    const file: CacheFile = { format: FORMAT, entries: Object.fromEntries(entries) };
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, asciiJson(file), 'latin1');
    await rename(temp, this.file);
  }
}

/**
 * JSON with every character past ASCII escaped (`\u00e9`), so the file is read as latin1: decoding
 * 28 MB of UTF-8 (2,449 runbooks) took 280–300 ms on the development machine, latin1 about 40 ms,
 * and the parse is the same either way. Runbooks are mostly ASCII, so the file barely grows.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
