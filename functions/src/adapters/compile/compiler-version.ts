import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

let version: Promise<string> | undefined;

/**
 * A fingerprint of the compiler's own code, part of every compile-cache key, so a cache never
 * serves what an older compiler produced. Run from source it hashes `core/runbook/` and the
 * lockfile (remark's version); bundled (Lambda), the bundle itself. No version number to remember
 * to bump.
 */
export function compilerVersion(): Promise<string> {
  version ??= (async () => {
    const hash = createHash('sha256');
    if (!import.meta.url.endsWith('.ts')) {
      hash.update(await readFile(fileURLToPath(import.meta.url)));
      return hash.digest('hex').slice(0, 16);
    }
    const dir = fileURLToPath(new URL('../../core/runbook/', import.meta.url));
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ts')).sort();
    for (const file of files) hash.update(file).update(await readFile(`${dir}${file}`));
    hash.update(await readFile(fileURLToPath(new URL('../../../../package-lock.json', import.meta.url))).catch(() => ''));
    return hash.digest('hex').slice(0, 16);
  })();
  return version;
}
