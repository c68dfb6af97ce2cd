import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Gzipped size of the JavaScript the first screen loads: every entry chunk in the Vite manifest
 * and its static imports (lazy `import()` chunks are not counted). Budget: 150 KB.
 *
 * @example
 *   npx tsx web/bundle-size.ts            # prints "first-screen JS: 18.4 KB gzipped (1 file)"
 *   const { bytes } = await firstScreenJs('web/dist');
 */
export const FIRST_SCREEN_BUDGET_BYTES = 150 * 1024;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

export async function firstScreenJs(dist: string): Promise<{ bytes: number; files: string[] }> {
  const manifest = JSON.parse(await readFile(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const next of chunk.imports ?? []) visit(next);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  let bytes = 0;
  for (const file of files) bytes += gzipSync(await readFile(join(dist, file))).length;
  return { bytes, files: [...files] };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? fileURLToPath(new URL('dist', import.meta.url));
  const { bytes, files } = await firstScreenJs(dist);
  console.log(`first-screen JS: ${(bytes / 1024).toFixed(1)} KB gzipped (${files.length} file${files.length === 1 ? '' : 's'}; budget ${FIRST_SCREEN_BUDGET_BYTES / 1024} KB)`);
  if (bytes > FIRST_SCREEN_BUDGET_BYTES) process.exitCode = 1;
}
