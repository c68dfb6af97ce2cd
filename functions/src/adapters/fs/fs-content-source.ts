import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ContentSource } from '../../ports/content-source.ts';

const MARKDOWN = /\.(md|markdown)$/i;

/** Files that document the library rather than being runbooks in it. */
const NOT_RUNBOOKS = new Set(['readme.md', 'contributing.md', 'changelog.md', 'license.md']);

/**
 * A content folder on disk. Skips dot-folders, `node_modules` and folders starting with `_`
 * (templates, drafts kept out of the index), and README-style files at the content root.
 */
export class FsContentSource implements ContentSource {
  readonly location: string;

  constructor(private readonly root: string) {
    this.location = root;
  }

  async list(): Promise<string[]> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true });
    const paths: string[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || !MARKDOWN.test(entry.name)) continue;
      const path = relative(this.root, join(entry.parentPath, entry.name)).split(sep).join('/');
      const segments = path.split('/');
      if (segments.slice(0, -1).some((s) => s.startsWith('.') || s.startsWith('_') || s === 'node_modules')) continue;
      if (segments.length === 1 && NOT_RUNBOOKS.has(path.toLowerCase())) continue;
      paths.push(path);
    }
    return paths.sort();
  }

  read(path: string): Promise<Uint8Array> {
    return readFile(join(this.root, path));
  }

  async readOptional(path: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(join(this.root, path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
